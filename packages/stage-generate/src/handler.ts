// The generate Lambda: event → parseEvent → run, with JSON logs and EMF metrics (see @overfit/lambda).
import { lambdaHandler, type StageDefinition } from '@overfit/lambda';
import { parseEvent, run, type GenerateInput, type GenerateOutput } from './index';

export const stage: StageDefinition<GenerateInput, GenerateOutput> = {
  stage: 'generate',
  parseEvent,
  run,
  counts: (_input, output) => ({ StrategiesGenerated: output.count, BacktestShards: output.shards.length }),
};

export const handler = lambdaHandler(stage);
