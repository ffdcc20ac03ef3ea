// The stage registry: the pipeline's five stages in execution order and the finalize function that commits a run,
// each with the state machine states that run it, where its result sits in the Step Functions state, and the module
// whose `handler` its Lambda runs. The one list of them: the state machine engines, the finalize function's timings,
// the dashboard's progress, the CLI's `stage` command and the Lambda build all read it. It lives in core, the
// package every other one may import, and holds data only; the stage definitions themselves (parseEvent and run)
// are keyed by these names in @overfit/pipeline (stageDefinitions.ts).

export interface FunctionSpec<Name extends string = string> {
  /** The Lambda function's name (dist/lambda/<name>.zip, Terraform's local.functions key). */
  name: Name;
  /** The Task states of state-machine.asl.json that invoke this function. */
  taskStates: readonly string[];
  /** The module whose `handler` export the function's Lambda runs (an `exports` entry of its package). */
  handler: string;
}

export interface StageSpec<Name extends string = string> extends FunctionSpec<Name> {
  /** The state whose entry starts the stage (for the backtest, the Map around its shards' Task). */
  state: string;
  /** Where the stage's result sits in the state machine's state (the ASL's ResultPath without "$."). */
  resultPath: string;
  /** Further states during which a watcher shows this stage (the commit is shown as the last stage's end). */
  alsoShownDuring: readonly string[];
}

/** The five stages in the order they run. */
export const PIPELINE_STAGES = [
  {
    name: 'generate',
    state: 'Generate',
    taskStates: ['Generate'],
    resultPath: 'generate',
    alsoShownDuring: [],
    handler: '@overfit/stage-generate/handler',
  },
  {
    name: 'backtest',
    state: 'Backtest',
    taskStates: ['BacktestShard'],
    resultPath: 'shards',
    alsoShownDuring: [],
    handler: '@overfit/stage-backtest/handler',
  },
  {
    name: 'select',
    state: 'Select',
    taskStates: ['Select'],
    resultPath: 'select',
    alsoShownDuring: [],
    handler: '@overfit/stage-select/handler',
  },
  {
    name: 'validate',
    state: 'Validate',
    taskStates: ['Validate'],
    resultPath: 'validate',
    alsoShownDuring: [],
    handler: '@overfit/stage-validate/handler',
  },
  {
    name: 'visualize',
    state: 'Visualize',
    taskStates: ['Visualize'],
    resultPath: 'visualize',
    alsoShownDuring: ['Commit'],
    handler: '@overfit/stage-visualize/handler',
  },
] as const satisfies readonly StageSpec[];

/** The sixth function: commits a succeeded run, or records a failed one. Orchestration, not a stage. */
export const FINALIZE_FUNCTION = {
  name: 'finalize',
  taskStates: ['Commit', 'MarkRunFailed'],
  handler: '@overfit/pipeline/finalize-handler',
} as const satisfies FunctionSpec;

export type StageName = (typeof PIPELINE_STAGES)[number]['name'];
export type FunctionName = StageName | typeof FINALIZE_FUNCTION.name;

export const STAGE_NAMES: readonly StageName[] = PIPELINE_STAGES.map((stage) => stage.name);

/** Every Lambda function of the pipeline, stages first. */
export const PIPELINE_FUNCTIONS: readonly FunctionSpec<FunctionName>[] = [...PIPELINE_STAGES, FINALIZE_FUNCTION];
export const FUNCTION_NAMES: readonly FunctionName[] = PIPELINE_FUNCTIONS.map((fn) => fn.name);

/** Which function each Task state invokes (state names are unique across the definition, Map included). */
export const TASK_FUNCTIONS: Readonly<Record<string, FunctionName>> = Object.fromEntries(
  PIPELINE_FUNCTIONS.flatMap((fn) => fn.taskStates.map((state) => [state, fn.name])),
);

/** The stage that starts when the execution enters `state`, if any (a stage's first state only). */
export const stageStartedBy = (state: string): StageName | undefined =>
  PIPELINE_STAGES.find((stage) => stage.state === state)?.name;

/** The stage a watcher shows while the execution is in `state`, or null (e.g. while a failure is recorded). */
export const stageShownDuring = (state: string): StageName | null =>
  PIPELINE_STAGES.find(
    (stage) =>
      stage.state === state ||
      (stage.taskStates as readonly string[]).includes(state) ||
      (stage.alsoShownDuring as readonly string[]).includes(state),
  )?.name ?? null;

export const isStageName = (name: string): name is StageName => (STAGE_NAMES as readonly string[]).includes(name);
