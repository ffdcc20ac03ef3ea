// Stage 1 — generate: draw the run's random strategies (seeded) and store them.
import { generateStrategies } from '@overfit/core';
import { parseStageEvent, putJson, runKeys, type ArtifactStore, type StageEvent, type StrategiesDocument } from '@overfit/store';

export type GenerateInput = StageEvent;

export interface GenerateOutput {
  strategiesKey: string;
  count: number;
}

export const parseEvent = (event: unknown): GenerateInput => parseStageEvent(event);

export async function run(input: GenerateInput, deps: { store: ArtifactStore }): Promise<GenerateOutput> {
  const { strategies: count, seed, families } = input.config;
  const strategies = generateStrategies({ count, seed, families });
  const key = runKeys(input.runId).strategies;
  const document: StrategiesDocument = { seed, families, count, strategies };
  await putJson(deps.store, key, document);
  return { strategiesKey: key, count };
}
