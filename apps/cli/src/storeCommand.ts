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
import { JSON_FLAG, STORE_FLAG, type CommandSpec } from './optionTable';
import type { FlagValues } from './parseFlags';
import { shortPath } from './storePaths';

export const STORE_GC_SPEC: CommandSpec = {
  name: 'store gc',
  summary: 'list (a dry run) or remove what crashes and failed runs left in a folder store',
  flags: [
    STORE_FLAG,
    { name: 'apply', type: 'boolean', description: 'remove them (without it nothing is removed)' },
    {
      name: 'min-age-hours',
      type: 'number',
      value: 'H',
      default: DEFAULT_GC_MIN_AGE_MS / 3600_000,
      min: 0,
      description: 'leave run folders without a manifest younger than this (a run may be writing one)',
    },
    JSON_FLAG,
  ],
};

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
export async function storeGcCommand(values: FlagValues): Promise<string> {
  const store = openStore(values.string('store') as string);
  if (!(store instanceof LocalStore)) {
    throw new InputError(
      'gc cleans a folder store; for a bucket, an S3 lifecycle rule expires incomplete runs',
      '--store',
    );
  }
  const minAgeMs = (values.number('min-age-hours') as number) * 3600_000;
  const apply = values.boolean('apply');
  const plan = await planGc(store, { minAgeMs });
  const removed = apply ? await applyGc(store, plan) : [];
  if (values.boolean('json'))
    return JSON.stringify(
      {
        store: plan.store,
        applied: apply,
        minAgeHours: minAgeMs / 3600_000,
        items: apply ? removed : plan.items,
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
  return apply
    ? [`Removed from ${where}: ${total}.`, ...removed.map(gcLine)].join('\n')
    : [`${where}: ${total} can be removed (dry run: nothing was removed; add --apply to remove them).`, ...lines].join(
        '\n',
      );
}
