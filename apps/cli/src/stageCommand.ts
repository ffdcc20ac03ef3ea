// `overfit stage`: one pipeline stage run on its own, from an event JSON file, as a Lambda would run it.
import { readFile } from 'node:fs/promises';
import { InputError, isStageName, STAGE_NAMES } from '@overfit/core';
import { cachedPriceLoader } from '@overfit/data';
import { openStore } from '@overfit/store';
import { STAGE_DEFINITIONS } from '@overfit/pipeline';
import { S3_ENDPOINT_FLAG, STORE_FLAG, type CommandSpec } from './optionTable';
import type { FlagValues } from './parseFlags';
import { didYouMean } from './suggest';

export const STAGE_SPEC: CommandSpec = {
  name: 'stage',
  summary: 'one pipeline stage, with the event its Lambda gets',
  positionals: [{ name: 'STAGE', description: 'the stage to run', choices: STAGE_NAMES }],
  flags: [
    {
      name: 'event',
      type: 'string',
      value: 'FILE',
      description: 'the event JSON (required; examples: apps/cli/events/)',
    },
    STORE_FLAG,
    S3_ENDPOINT_FLAG,
  ],
  notes: ['Example: overfit stage generate --event apps/cli/events/generate.json'],
};

export async function stageCommand(values: FlagValues, positionals: string[]): Promise<string> {
  const name = positionals[0];
  if (!name || !isStageName(name))
    throw new InputError(
      `must be one of ${STAGE_NAMES.join(', ')} (got ${JSON.stringify(name ?? '')}${didYouMean(name ?? '', STAGE_NAMES)})`,
      'stage',
    );
  const path = values.string('event');
  if (!path) throw new InputError('needs the path of an event JSON file (examples: apps/cli/events/)', '--event');
  let event: unknown;
  try {
    event = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new InputError(`cannot read the event: ${(error as Error).message}`, path, { cause: error });
  }
  const store = openStore(values.string('store') as string, { s3Endpoint: values.string('s3-endpoint') });
  const deps = { store, loadPrices: cachedPriceLoader(store) };
  const stage = STAGE_DEFINITIONS[name];
  const output = await stage.run(stage.parseEvent(event), deps);
  return JSON.stringify(output, null, 2);
}
