// The dashboard's configuration comes from the environment and is checked once, at boot: a typo in a variable
// stops the server with every problem listed, instead of surfacing as a confusing failure on the first request.
import { isIP } from 'node:net';
import { assertStateMachineArn } from '@overfit/pipeline';
import { LocalStore, S3Store, type ArtifactStore } from '@overfit/store';
import { DEFAULT_RUN_WORK_BUDGET } from './workBudget';

export type StoreConfig =
  | { kind: 'local'; dir: string }
  | { kind: 's3'; bucket: string; prefix: string; endpoint: string | undefined; region: string | undefined };

/**
 * The store these settings name. Plain data, so the launcher hands it to the pipeline's worker thread as it is: the
 * thread opens the same store as the server without reading the environment again.
 */
export function openConfiguredStore(config: StoreConfig): ArtifactStore {
  if (config.kind === 'local') return new LocalStore(config.dir);
  return new S3Store({
    bucket: config.bucket,
    prefix: config.prefix,
    endpoint: config.endpoint,
    region: config.region,
  });
}

export interface DashboardConfig {
  port: number;
  host: string;
  /** Where runs are read and written: by the server, and by the worker thread of an in-process run. */
  store: StoreConfig;
  /** When set, runs start as Step Functions executions of this state machine; otherwise in this process. */
  stateMachineArn: string | undefined;
  /** When set, POST /api/runs needs `Authorization: Bearer <token>`. */
  runTriggerToken: string | undefined;
  /** A folder whose *.csv files are offered as data sets on the Try it page (local runs only). */
  dataDir: string | undefined;
  /** Requests per minute per client address, over every route. */
  rateLimitPerMinute: number;
  /** Proxies in front of the app whose X-Forwarded-For is trusted (1 behind the ALB). */
  trustProxyHops: number;
  /** The most work one run may take, in strategy-bars (strategies × bars, plus null markets and walk-forward). */
  runWorkBudget: number;
  /** How long SIGTERM waits for a run under way before marking it failed, in milliseconds. */
  shutdownGraceMs: number;
  logLevel: string;
}

/** 127.0.0.0/8, ::1 and localhost: only this machine can connect. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1' || bare === '0:0:0:0:0:0:0:1') return true;
  if (bare.startsWith('::ffff:')) return isLoopbackHost(bare.slice('::ffff:'.length));
  return isIP(bare) === 4 && bare.startsWith('127.');
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid dashboard configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const MIN_TOKEN_LENGTH = 16;
/** Only this machine, unless HOST says otherwise (the container image sets HOST=0.0.0.0, with a token). */
const DEFAULT_HOST = '127.0.0.1';
/** ECS stops a task 30 s after SIGTERM (its default stopTimeout): the run gets 20, the rest is for the manifest. */
const DEFAULT_SHUTDOWN_GRACE_SECONDS = 20;

export function loadConfig(env: NodeJS.ProcessEnv): DashboardConfig {
  const problems: string[] = [];
  const text = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const flag = (name: string): boolean => {
    const raw = text(name)?.toLowerCase();
    if (raw === undefined || raw === 'false' || raw === '0') return false;
    if (raw === 'true' || raw === '1') return true;
    problems.push(`${name} must be true or false (got "${env[name]}")`);
    return false;
  };

  let store: StoreConfig;
  if (flag('USE_S3')) {
    const bucket = text('S3_BUCKET') ?? '';
    if (!BUCKET_NAME.test(bucket)) problems.push(`S3_BUCKET must name a bucket when USE_S3 is true (got "${bucket}")`);
    const endpoint = text('S3_ENDPOINT');
    if (endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(endpoint))
      problems.push(`S3_ENDPOINT must be an http(s) URL (got "${endpoint}")`);
    store = { kind: 's3', bucket, prefix: text('S3_PREFIX') ?? '', endpoint, region: text('AWS_REGION') };
  } else {
    store = { kind: 'local', dir: text('STORE_DIR') ?? '.overfit' };
  }

  const stateMachineArn = text('STATE_MACHINE_ARN');
  if (stateMachineArn !== undefined) {
    try {
      assertStateMachineArn(stateMachineArn, 'STATE_MACHINE_ARN');
    } catch (error) {
      problems.push((error as Error).message);
    }
    // The Lambdas read and write the bucket; a run they make would be invisible to a dashboard reading a folder.
    if (store.kind !== 's3')
      problems.push('STATE_MACHINE_ARN needs USE_S3=true and S3_BUCKET: the state machine writes its runs to S3');
  }

  const runTriggerToken = text('RUN_TRIGGER_TOKEN');
  if (runTriggerToken !== undefined && runTriggerToken.length < MIN_TOKEN_LENGTH) {
    problems.push(`RUN_TRIGGER_TOKEN must be at least ${MIN_TOKEN_LENGTH} characters`);
  }
  // Anyone who can reach the port can start runs that take CPU for minutes: beyond this machine, only with a token.
  const host = text('HOST') ?? DEFAULT_HOST;
  if (!isLoopbackHost(host) && runTriggerToken === undefined) {
    problems.push(
      `HOST=${host} listens beyond this machine, so anyone who reaches it could start runs: set RUN_TRIGGER_TOKEN ` +
        `(at least ${MIN_TOKEN_LENGTH} characters, e.g. openssl rand -hex 24), or listen on HOST=127.0.0.1`,
    );
  }

  const logLevel = text('LOG_LEVEL')?.toLowerCase() ?? 'info';
  if (!LOG_LEVELS.includes(logLevel))
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);

  const config: DashboardConfig = {
    port: integer('PORT', 3000, 0, 65_535),
    host,
    store,
    stateMachineArn,
    runTriggerToken,
    dataDir: text('DATA_DIR'),
    rateLimitPerMinute: integer('RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000_000),
    trustProxyHops: integer('TRUST_PROXY_HOPS', 0, 0, 10),
    runWorkBudget: integer('RUN_WORK_BUDGET', DEFAULT_RUN_WORK_BUDGET, 1, Number.MAX_SAFE_INTEGER),
    shutdownGraceMs: 1000 * integer('SHUTDOWN_GRACE_SECONDS', DEFAULT_SHUTDOWN_GRACE_SECONDS, 0, 3600),
    logLevel,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
