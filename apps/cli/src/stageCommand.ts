// `overfit stage`: one pipeline stage run on its own, from an event JSON file, as a Lambda would run it.
import { readFile } from 'node:fs/promises';
import { InputError, isStageName, STAGE_NAMES } from '@overfit/core';
import { cachedPriceLoader } from '@overfit/data';
import { openStore } from '@overfit/store';
import { STAGE_DEFINITIONS } from '@overfit/pipeline';
import { parse } from './flags';

export async function stageCommand(args: string[]): Promise<string> {
  const { values, positionals } = parse(
    args,
    { event: { type: 'string' }, store: { type: 'string', default: '.overfit' }, 's3-endpoint': { type: 'string' } },
    1,
  );
  const name = positionals[0];
  if (!name || !isStageName(name))
    throw new InputError(`must be one of ${STAGE_NAMES.join(', ')} (got ${JSON.stringify(name ?? '')})`, 'stage');
  if (!values.event)
    throw new InputError('needs the path of an event JSON file (examples: apps/cli/events/)', '--event');
  let event: unknown;
  try {
    event = JSON.parse(await readFile(values.event, 'utf8'));
  } catch (error) {
    throw new InputError(`cannot read the event: ${(error as Error).message}`, values.event, { cause: error });
  }
  const store = openStore(values.store, { s3Endpoint: values['s3-endpoint'] });
  const deps = { store, loadPrices: cachedPriceLoader(store) };
  const stage = STAGE_DEFINITIONS[name];
  const output = await stage.run(stage.parseEvent(event), deps);
  return JSON.stringify(output, null, 2);
}
