import { ConfigError, isLoopbackHost, loadConfig } from '../src/config';
import { DEFAULT_RUN_WORK_BUDGET } from '../src/workBudget';

const ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:overfitting-pipeline';

const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe('loadConfig', () => {
  test('defaults: the local store .overfit, port 3000 on this machine only, runs in process, no token', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      store: { kind: 'local', dir: '.overfit' },
      stateMachineArn: undefined,
      runTriggerToken: undefined,
      dataDir: undefined,
      rateLimitPerMinute: 600,
      trustProxyHops: 0,
      runWorkBudget: DEFAULT_RUN_WORK_BUDGET,
      shutdownGraceMs: 20_000,
      logLevel: 'info',
    });
  });

  test('the AWS setting: S3, Step Functions, a token, behind one proxy', () => {
    const config = loadConfig({
      USE_S3: 'true',
      S3_BUCKET: 'overfitting-lab-artifacts',
      S3_PREFIX: 'prod',
      AWS_REGION: 'eu-west-1',
      STATE_MACHINE_ARN: ARN,
      RUN_TRIGGER_TOKEN: 'x'.repeat(32),
      PORT: '8080',
      TRUST_PROXY_HOPS: '1',
      LOG_LEVEL: 'WARN',
    });
    expect(config).toMatchObject({
      port: 8080,
      stateMachineArn: ARN,
      runTriggerToken: 'x'.repeat(32),
      trustProxyHops: 1,
      logLevel: 'warn',
      store: {
        kind: 's3',
        bucket: 'overfitting-lab-artifacts',
        prefix: 'prod',
        endpoint: undefined,
        region: 'eu-west-1',
      },
    });
  });

  test('every problem is reported at once, naming the variable', () => {
    // Each variable, a bad value, and what the boot says of it (in the order the problems are listed).
    const bad: [name: string, value: string, problem: string][] = [
      ['USE_S3', 'yes', 'USE_S3 must be true or false (got "yes")'],
      ['RUN_TRIGGER_TOKEN', 'short', 'RUN_TRIGGER_TOKEN must be at least 16 characters'],
      ['LOG_LEVEL', 'loud', 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")'],
      ['PORT', '70000', 'PORT must be an integer from 0 to 65535 (got "70000")'],
      ['RATE_LIMIT_PER_MINUTE', '-1', 'RATE_LIMIT_PER_MINUTE must be an integer from 1 to 1000000000 (got "-1")'],
    ];
    const env = Object.fromEntries(bad.map(([name, value]) => [name, value]));
    expect(problemsOf(env)).toEqual(bad.map(([, , problem]) => problem));
  });

  test('S3 needs a bucket; Step Functions needs S3 and a state machine ARN', () => {
    expect(problemsOf({ USE_S3: 'true' })).toEqual(['S3_BUCKET must name a bucket when USE_S3 is true (got "")']);
    expect(problemsOf({ USE_S3: 'true', S3_BUCKET: 'b-1', S3_ENDPOINT: 'localhost:4568' })).toEqual([
      'S3_ENDPOINT must be an http(s) URL (got "localhost:4568")',
    ]);
    expect(problemsOf({ STATE_MACHINE_ARN: ARN })).toEqual([
      'STATE_MACHINE_ARN needs USE_S3=true and S3_BUCKET: the state machine writes its runs to S3',
    ]);
    expect(
      problemsOf({
        USE_S3: 'true',
        S3_BUCKET: 'bucket',
        STATE_MACHINE_ARN: 'arn:aws:lambda:eu-west-1:123456789012:function:x',
      }),
    ).toEqual([
      'STATE_MACHINE_ARN: is not a state machine ARN (arn:aws:states:REGION:ACCOUNT:stateMachine:NAME; got "arn:aws:lambda:eu-west-1:123456789012:function:x")',
    ]);
  });

  test('listening beyond this machine needs a token: the boot stops with a clear message otherwise', () => {
    expect(problemsOf({ HOST: '0.0.0.0' })).toEqual([
      'HOST=0.0.0.0 listens beyond this machine, so anyone who reaches it could start runs: set RUN_TRIGGER_TOKEN (at least 16 characters, e.g. openssl rand -hex 24), or listen on HOST=127.0.0.1',
    ]);
    expect(problemsOf({ HOST: '::' })).toHaveLength(1);
    expect(problemsOf({ HOST: '192.168.1.20' })).toHaveLength(1);
    expect(loadConfig({ HOST: '0.0.0.0', RUN_TRIGGER_TOKEN: 'x'.repeat(16) }).host).toBe('0.0.0.0');
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) {
      expect([host, isLoopbackHost(host), problemsOf({ HOST: host })]).toEqual([host, true, []]);
    }
    expect(isLoopbackHost('127.evil.example')).toBe(false);
  });

  test('the work budget and the shutdown grace are set from the environment', () => {
    expect(loadConfig({ RUN_WORK_BUDGET: '1000000', SHUTDOWN_GRACE_SECONDS: '5' })).toMatchObject({
      runWorkBudget: 1_000_000,
      shutdownGraceMs: 5000,
    });
    expect(problemsOf({ RUN_WORK_BUDGET: '1e9', SHUTDOWN_GRACE_SECONDS: '-1' })).toEqual([
      'RUN_WORK_BUDGET must be an integer from 1 to 9007199254740991 (got "1e9")',
      'SHUTDOWN_GRACE_SECONDS must be an integer from 0 to 3600 (got "-1")',
    ]);
  });
});
