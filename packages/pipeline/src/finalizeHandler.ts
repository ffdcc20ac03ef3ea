// The finalize Lambda (dist/lambda/finalize.zip): commits the run the state machine just ran.
import { lambdaHandler } from '@overfit/lambda';
import { finalizeStage } from './finalize';

export const handler = lambdaHandler(finalizeStage);
