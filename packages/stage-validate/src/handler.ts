// The validate Lambda: event → parseEvent → run, with JSON logs and EMF metrics (see @overfit/lambda).
import { lambdaHandler, type StageDefinition } from '@overfit/lambda';
import { parseEvent, run, type ValidateInput, type ValidateOutput } from './index';

export const stage: StageDefinition<ValidateInput, ValidateOutput> = {
  stage: 'validate',
  parseEvent,
  run,
};

export const handler = lambdaHandler(stage);
