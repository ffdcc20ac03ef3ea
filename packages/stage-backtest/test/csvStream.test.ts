// The stage's outputs are streamed in chunks; the bytes must be those of formatting everything at once.
import { backtestAll, createMarket, generateStrategies, splitWindows } from '@overfit/core';
import { syntheticMarket } from '@overfit/data';
import { formatTrainingPerformance } from '@overfit/store';
import { performanceCsvChunks } from '../src';

const market = createMarket(syntheticMarket({ bars: 800, seed: 5 }));
const windows = splitWindows(800, 0.7);

it.each([
  [1, 7],
  [23, 7], // seasonal params hold commas: quoted cells cross no chunk edge
  [23, 23],
  [50, 1],
  [50, 4000],
])('streams %i rows in chunks of %i with the bytes of a one-shot format', async (count, rowsPerChunk) => {
  const strategies = generateStrategies({ count, seed: 3 });
  const { training } = backtestAll(strategies, market, windows, { feesBps: 10, slippageBps: 0 }, { blocks: 8 });
  const chunks: Buffer[] = [];
  for await (const chunk of performanceCsvChunks(strategies, training, rowsPerChunk)) chunks.push(chunk);
  expect(chunks).toHaveLength(Math.ceil(count / rowsPerChunk));
  expect(Buffer.concat(chunks).toString()).toBe(formatTrainingPerformance(strategies, training));
});
