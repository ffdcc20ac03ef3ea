// The backtest Lambda: event → parseEvent → run, with JSON logs and EMF metrics (see @overfit/lambda).
import { lambdaHandler, type StageDefinition } from '@overfit/lambda';
import { parseEvent, run, type BacktestInput, type BacktestOutput } from './index';

export const stage: StageDefinition<BacktestInput, BacktestOutput> = {
  stage: 'backtest',
  parseEvent,
  run,
  counts: (_input, output) => ({ StrategiesBacktested: output.count }),
};

export const handler = lambdaHandler(stage);
