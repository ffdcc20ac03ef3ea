// The code version a bundle's run manifests record (OVERFIT_CODE_VERSION, defined into the bundle at build time):
// the environment's value if set (CI passes the commit it deploys), else the git commit being built, with "-dirty"
// when files differ from it; undefined outside a git checkout (the manifests then fall back to the package version).
import { execFileSync } from 'node:child_process';

export function codeVersion(root) {
  if (process.env.OVERFIT_CODE_VERSION) return process.env.OVERFIT_CODE_VERSION;
  try {
    const git = (...args) =>
      execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return `${git('rev-parse', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no') ? '-dirty' : ''}`;
  } catch {
    return undefined;
  }
}
