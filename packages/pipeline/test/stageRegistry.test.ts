// The stage registry (@overfit/core's stages.ts) against the state machine Terraform deploys: every Task state
// invokes a registered function and every registered function has its Task states, each stage's state exists and
// writes its result where the registry says, and each function's definition is the one its Lambda runs.
import {
  FUNCTION_NAMES,
  PIPELINE_FUNCTIONS,
  PIPELINE_STAGES,
  stageShownDuring,
  stageStartedBy,
  TASK_FUNCTIONS,
} from '@overfit/core';
import { STAGE_DEFINITIONS, stateMachineTemplate } from '../src';

interface State {
  Type: string;
  ResultPath?: string;
  Parameters?: { FunctionName?: string };
  ItemProcessor?: { States: Record<string, State> };
}

/** Every state of the definition by name, the Map's inner states included. */
function allStates(states: Record<string, State>): Record<string, State> {
  return Object.fromEntries(
    Object.entries(states).flatMap(([name, state]) => [
      [name, state],
      ...Object.entries(allStates(state.ItemProcessor?.States ?? {})),
    ]),
  );
}

const states = allStates((JSON.parse(stateMachineTemplate()) as { States: Record<string, State> }).States);
const taskStates = Object.entries(states).filter(([, state]) => state.Type === 'Task');

test('every Task state of the definition invokes the function the registry maps it to, and no registered Task state is missing', () => {
  expect(taskStates.length).toBeGreaterThanOrEqual(7);
  for (const [name, state] of taskStates)
    expect([name, state.Parameters?.FunctionName]).toEqual([name, `\${${TASK_FUNCTIONS[name]}_function_arn}`]);
  expect(Object.keys(TASK_FUNCTIONS).sort()).toEqual(taskStates.map(([name]) => name).sort());
  expect([...new Set(Object.values(TASK_FUNCTIONS))].sort()).toEqual([...FUNCTION_NAMES].sort());
});

test('each stage starts at a state of the definition and its result sits at the registry result path', () => {
  for (const stage of PIPELINE_STAGES) {
    expect(states[stage.state]?.ResultPath).toBe(`$.${stage.resultPath}`);
    expect(stageStartedBy(stage.state)).toBe(stage.name);
    for (const shown of [...stage.taskStates, ...stage.alsoShownDuring]) expect(states[shown]).toBeDefined();
  }
  expect(PIPELINE_STAGES.map((stage) => stage.name)).toEqual([
    'generate',
    'backtest',
    'select',
    'validate',
    'visualize',
  ]);
});

test('a watcher shows the backtest during its shards and the last stage while the run commits, no stage while a failure is recorded', () => {
  expect([stageShownDuring('Backtest'), stageShownDuring('BacktestShard'), stageShownDuring('Commit')]).toEqual([
    'backtest',
    'backtest',
    'visualize',
  ]);
  expect([
    stageShownDuring('MarkRunFailed'),
    stageShownDuring('CapConcurrency'),
    stageStartedBy('BacktestShard'),
  ]).toEqual([null, null, undefined]);
});

test('each registered function has the definition its Lambda handler wraps, under its own name', async () => {
  expect(Object.keys(STAGE_DEFINITIONS).sort()).toEqual([...FUNCTION_NAMES].sort());
  for (const fn of PIPELINE_FUNCTIONS) {
    expect(STAGE_DEFINITIONS[fn.name].stage).toBe(fn.name);
    const module = (await import(fn.handler)) as { handler?: unknown };
    expect(typeof module.handler).toBe('function');
  }
});
