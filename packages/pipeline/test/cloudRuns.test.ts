// Step Functions is out of reach here, so the SDK is mocked at the command level (aws-sdk-client-mock): the
// tests check what is sent and how answers are read, not AWS itself.
import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { parseRunConfig } from '@overfit/core';
import { describeCloudRun, executionArnOf, startCloudRun, waitForCloudRun } from '../src';

const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:overfitting-lab-pipeline';
const sfn = mockClient(SFNClient);
beforeEach(() => sfn.reset());

const history = (...names: string[]) => ({
  events: names.map((name, i) => ({
    id: i,
    type: 'TaskStateEntered' as const,
    timestamp: new Date(),
    stateEnteredEventDetails: { name },
  })),
});

describe('startCloudRun', () => {
  it('starts an execution named after the run, with the run config and data as input', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: executionArnOf(MACHINE, 'run-1'), startDate: new Date() });
    const config = parseRunConfig({ strategies: 10_000, seed: 7 });
    const started = await startCloudRun(new SFNClient({}), MACHINE, {
      runId: 'run-1',
      config,
      data: { kind: 'store', key: 'data/btc.csv' },
      shardSize: 2500,
      maxConcurrency: 4,
    });
    expect(started).toEqual({
      runId: 'run-1',
      executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:overfitting-lab-pipeline:run-1',
    });
    const [call] = sfn.commandCalls(StartExecutionCommand);
    expect(call.args[0].input.name).toBe('run-1');
    expect(call.args[0].input.stateMachineArn).toBe(MACHINE);
    expect(JSON.parse(call.args[0].input.input!)).toEqual({
      runId: 'run-1',
      config,
      data: { kind: 'store', key: 'data/btc.csv' },
      shardSize: 2500,
      maxConcurrency: 4,
    });
  });

  it('refuses something that is not a state machine ARN before calling AWS', async () => {
    await expect(
      startCloudRun(new SFNClient({}), 'arn:aws:lambda:eu-west-1:123456789012:function:x', {
        config: parseRunConfig({}),
        data: { kind: 'store', key: 'd.csv' },
      }),
    ).rejects.toThrow('stateMachineArn: is not a state machine ARN');
    expect(sfn.calls()).toHaveLength(0);
  });
});

describe('describeCloudRun and waitForCloudRun', () => {
  const arn = executionArnOf(MACHINE, 'run-2');

  it('reports a running execution with the state it is in', async () => {
    sfn
      .on(DescribeExecutionCommand)
      .resolves({ executionArn: arn, status: 'RUNNING', startDate: new Date('2026-11-24T10:00:00Z') });
    sfn.on(GetExecutionHistoryCommand).resolves(history('Backtest', 'Generate'));
    expect(await describeCloudRun(new SFNClient({}), arn)).toEqual({
      runId: 'run-2',
      executionArn: arn,
      status: 'RUNNING',
      state: 'running',
      currentState: 'Backtest',
      startedAt: '2026-11-24T10:00:00.000Z',
      stoppedAt: null,
      error: null,
      output: null,
    });
    expect(sfn.commandCalls(GetExecutionHistoryCommand)[0].args[0].input).toMatchObject({ reverseOrder: true });
  });

  it('polls until the execution stops, then returns its output', async () => {
    sfn
      .on(DescribeExecutionCommand)
      .resolvesOnce({ executionArn: arn, status: 'RUNNING', startDate: new Date() })
      .resolvesOnce({ executionArn: arn, status: 'RUNNING', startDate: new Date() })
      .resolves({
        executionArn: arn,
        status: 'SUCCEEDED',
        startDate: new Date(),
        stopDate: new Date(),
        output: '{"runId":"run-2","status":"succeeded","verdict":"overfit"}',
      });
    sfn
      .on(GetExecutionHistoryCommand)
      .resolvesOnce(history('Generate'))
      .resolvesOnce(history('Select'))
      .resolves(history('Commit'));
    const seen: string[] = [];
    const final = await waitForCloudRun(new SFNClient({}), arn, {
      sleep: async () => {},
      onStatus: (s) => seen.push(`${s.status}:${s.currentState}`),
    });
    expect(seen).toEqual(['RUNNING:Generate', 'RUNNING:Select', 'SUCCEEDED:Commit']);
    expect(final.output).toEqual({ runId: 'run-2', status: 'succeeded', verdict: 'overfit' });
  });

  it('gives a failed execution its error and cause, and says when there is no such execution', async () => {
    sfn.on(DescribeExecutionCommand).resolves({
      executionArn: arn,
      status: 'FAILED',
      startDate: new Date(),
      stopDate: new Date(),
      error: 'InputError',
      cause: 'event.config.strategies: must be an integer',
    });
    sfn.on(GetExecutionHistoryCommand).resolves(history('RunFailed'));
    const failed = await describeCloudRun(new SFNClient({}), arn);
    expect([failed?.state, failed?.error]).toEqual([
      'failed',
      'InputError: event.config.strategies: must be an integer',
    ]);
    sfn
      .on(DescribeExecutionCommand)
      .rejects(new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: {} }));
    expect(await describeCloudRun(new SFNClient({}), arn)).toBeNull();
    await expect(waitForCloudRun(new SFNClient({}), arn, { sleep: async () => {} })).rejects.toThrow(
      'no such execution',
    );
  });
});
