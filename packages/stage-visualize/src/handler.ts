// The visualize Lambda: event → parseEvent → run, with JSON logs and EMF metrics (see @overfit/lambda).
import { lambdaHandler, type StageDefinition } from '@overfit/lambda';
import { parseEvent, run, type VisualizeInput, type VisualizeOutput } from './index';

export const stage: StageDefinition<VisualizeInput, VisualizeOutput> = {
  stage: 'visualize',
  parseEvent,
  run,
};

export const handler = lambdaHandler(stage);
