// The finalize function's two events: the state machine's own call at the end of a run (Commit or MarkRunFailed,
// with the state accumulated so far), and EventBridge's "Execution Status Change" for an execution that ended
// outside the state machine's error handling.
import { Type, type Static } from '@sinclair/typebox';
import { choiceOf } from './check';
import { RUN_ID_SCHEMA } from './stageEvents';

export const FINALIZE_EVENT_SCHEMA = Type.Object({
  status: choiceOf(['succeeded', 'failed'] as const, { description: '"succeeded" or "failed"' }),
  // When the execution started ($$.Execution.StartTime); that it parses as a time is checked after the schema.
  startedAt: Type.String({ minLength: 1, description: 'an ISO time' }),
  // The state machine's state: the execution input plus each stage's small result.
  run: Type.Object({ runId: RUN_ID_SCHEMA }),
});
export type FinalizeEvent = Static<typeof FINALIZE_EVENT_SCHEMA>;

export const EXECUTION_STATUS_CHANGE = 'Step Functions Execution Status Change';

/** Only the executions that ended badly are EventBridge's to report; a success is committed by the state machine. */
export const EXECUTION_EVENT_SCHEMA = Type.Object({
  detail: Type.Object({
    status: choiceOf(['FAILED', 'TIMED_OUT', 'ABORTED'] as const, { description: 'FAILED, TIMED_OUT or ABORTED' }),
  }),
});
