// The select Lambda: event → parseEvent → run, with JSON logs and EMF metrics (see @overfit/lambda).
import { lambdaHandler, type StageDefinition } from '@overfit/lambda';
import { parseEvent, run, type SelectInput, type SelectOutput } from './index';

export const stage: StageDefinition<SelectInput, SelectOutput> = {
  stage: 'select',
  parseEvent,
  run,
  counts: (_input, output) => ({ EligibleStrategies: output.eligible }),
};

export const handler = lambdaHandler(stage);
