// `overfit store gc`: lists, and with --apply removes, what crashes and failed runs left in a folder store.
import { InputError } from '@overfit/core';
import {
  applyGc,
  DEFAULT_GC_MIN_AGE_MS,
  formatBytes,
  LocalStore,
  openStore,
  planGc,
  type GcItem,
} from '@overfit/store';
import { numberFlag, parse } from './flags';
import { shortPath } from './storePaths';

const GC_LABELS: Record<GcItem['kind'], string> = {
  'orphan-run': 'orphan run folder',
  'failed-run-files': 'failed run’s files',
  'temp-file': 'temp file',
};

function describeAge(ms: number): string {
  const hours = ms / 3600_000;
  return hours >= 48
    ? `${Math.floor(hours / 24)} days`
    : hours >= 1
      ? `${Math.floor(hours)} h`
      : `${Math.max(0, Math.floor(ms / 60_000))} min`;
}

function gcLine(item: GcItem): string {
  const what =
    item.kind === 'orphan-run'
      ? `no manifest, last written ${describeAge(item.ageMs)} ago; ${item.files} files`
      : item.kind === 'failed-run-files'
        ? `${item.files} intermediate files; manifest.json kept`
        : `${describeAge(item.ageMs)} old`;
  return `  ${GC_LABELS[item.kind].padEnd(19)} ${item.key}  (${what}, ${formatBytes(item.bytes)})`;
}

/**
 * `overfit store gc`: what crashes and failed runs left in a folder store — run folders without a manifest older
 * than --min-age-hours (a run may still be writing a younger one), `*.tmp` files of interrupted writes, and the
 * intermediates of failed runs (their manifest stays). A dry run unless --apply.
 */
export async function storeCommand(args: string[]): Promise<string> {
  const { values, positionals } = parse(
    args,
    {
      store: { type: 'string', default: '.overfit' },
      apply: { type: 'boolean', default: false },
      'min-age-hours': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    1,
  );
  if (positionals[0] !== 'gc')
    throw new InputError(`must be gc (got ${JSON.stringify(positionals[0] ?? '')})`, 'overfit store');
  const store = openStore(values.store);
  if (!(store instanceof LocalStore)) {
    throw new InputError(
      'gc cleans a folder store; for a bucket, an S3 lifecycle rule expires incomplete runs',
      '--store',
    );
  }
  const hours = numberFlag(values['min-age-hours'], '--min-age-hours');
  if (hours !== undefined && !(hours >= 0))
    throw new InputError(`must be a number of hours ≥ 0 (got "${values['min-age-hours']}")`, '--min-age-hours');
  const minAgeMs = hours === undefined ? DEFAULT_GC_MIN_AGE_MS : hours * 3600_000;
  const plan = await planGc(store, { minAgeMs });
  const removed = values.apply ? await applyGc(store, plan) : [];
  if (values.json)
    return JSON.stringify(
      {
        store: plan.store,
        applied: values.apply,
        minAgeHours: minAgeMs / 3600_000,
        items: values.apply ? removed : plan.items,
        bytes: plan.bytes,
      },
      null,
      2,
    );
  const where = shortPath(plan.store);
  if (plan.items.length === 0)
    return `Nothing to collect in ${where} (orphan run folders and temp files younger than ${describeAge(minAgeMs)} are left alone).`;
  const lines = plan.items.map(gcLine);
  const total = `${plan.items.length} item${plan.items.length === 1 ? '' : 's'}, ${plan.files} files, ${formatBytes(plan.bytes)}`;
  return values.apply
    ? [`Removed from ${where}: ${total}.`, ...removed.map(gcLine)].join('\n')
    : [`${where}: ${total} can be removed (dry run: nothing was removed; add --apply to remove them).`, ...lines].join(
        '\n',
      );
}
