// The stage registry's functions (see @overfit/core's stages.ts) bound to their definitions: the parseEvent and
// run each Lambda's handler wraps. The in-process state machine and the CLI's `stage` command look them up here.
import type { FunctionName } from '@overfit/core';
import type { StageDefinition } from '@overfit/lambda';
import { stage as generate } from '@overfit/stage-generate/handler';
import { stage as backtest } from '@overfit/stage-backtest/handler';
import { stage as select } from '@overfit/stage-select/handler';
import { stage as validate } from '@overfit/stage-validate/handler';
import { stage as visualize } from '@overfit/stage-visualize/handler';
import { finalizeStage as finalize } from './finalize';

/** A definition whose event and output types are known only to its own stage. */
export type AnyStageDefinition = StageDefinition<{ runId: string }, unknown>;

/** Every function of the registry, by name (the compiler checks none is missing). */
export const STAGE_DEFINITIONS = {
  generate,
  backtest,
  select,
  validate,
  visualize,
  finalize,
} satisfies Record<FunctionName, { stage: FunctionName }> as unknown as Readonly<
  Record<FunctionName, AnyStageDefinition>
>;
