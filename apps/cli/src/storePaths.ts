// Where a run's files are, as the user reads them: a key in a folder or S3 store, and paths under the working
// directory shortened. Shared by `overfit run` and `overfit store gc`.
import { join, relative, sep } from 'node:path';

/** Where a key is: a path in a folder store, s3://bucket/prefix/key in a bucket. */
export const inStore = (location: string, key: string): string =>
  location.startsWith('s3://') ? `${location}/${key}` : join(location, ...key.split('/'));

/** A path under the working directory is shown relative to it: shorter, and what the user would type. */
export const shortPath = (path: string): string =>
  path.startsWith(process.cwd() + sep) ? relative(process.cwd(), path) : path;
