// The stage event contracts: what the state machine (or `overfit stage --event`) hands each stage. Every event
// carries the run id, the run options and the data reference; each stage adds the keys of the artifacts it reads.
// Keys must also lie inside the run's own folder, a rule between two fields the store's eventKey checks.
import { Type, type Static, type TProperties } from '@sinclair/typebox';
import { DATA_REF_SCHEMA } from './dataRef';
import { RUN_CONFIG_SCHEMA, RUN_OPTIONS_SCHEMA } from './runConfig';

export const RUN_ID_SCHEMA = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$',
  description: 'a run id of letters, digits, "_" and "-"',
});

/** A key of one of the run's artifacts, e.g. "runs/<runId>/results/strategies.json". */
const key = Type.String({ minLength: 1, description: 'a key under runs/<runId>/' });

/** A contiguous range [start, end) of the run's strategies, backtested by one shard. */
const SHARD_RANGE_SCHEMA = Type.Object({
  index: Type.Integer({ minimum: 0 }),
  start: Type.Integer({ minimum: 0 }),
  end: Type.Integer({ minimum: 1 }),
});

/** An event as it arrives: the common fields plus the stage's own (unknown extra fields are the state's, allowed). */
const event = <P extends TProperties>(properties: P) =>
  Type.Object({
    runId: RUN_ID_SCHEMA,
    config: Type.Optional(RUN_OPTIONS_SCHEMA),
    data: DATA_REF_SCHEMA,
    ...properties,
  });

/** What every parsed stage event holds: the config is complete, its defaults filled in. */
const STAGE_EVENT = Type.Object({ runId: RUN_ID_SCHEMA, config: RUN_CONFIG_SCHEMA, data: DATA_REF_SCHEMA });
export type StageEvent = Static<typeof STAGE_EVENT>;

const GENERATE = {
  /** Strategies per backtest shard (default 1000). */
  shardSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  /** Shards backtested at once under Step Functions (default 10). */
  maxConcurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
};
const BACKTEST = { strategiesKey: key, shard: Type.Optional(SHARD_RANGE_SCHEMA) };
/** Either the run-level training table of an unsharded backtest, or the shards to merge into it first. */
const SELECT = {
  strategiesKey: key,
  trainingPerformanceKey: Type.Optional(key),
  shards: Type.Optional(Type.Array(SHARD_RANGE_SCHEMA, { minItems: 1, description: 'a non-empty list of shards' })),
};
const VALIDATE = {
  bestStrategyKey: key,
  strategiesKey: key,
  trainingPerformanceKey: key,
  validationPerformanceKey: key,
  blockMomentsKey: key,
};
const VISUALIZE = {
  trainingPerformanceKey: key,
  validationPerformanceKey: key,
  validationResultsKey: key,
  overfittingReportKey: key,
};

export const STAGE_EVENT_SCHEMAS = {
  stage: event({}),
  generate: event(GENERATE),
  backtest: event(BACKTEST),
  select: event(SELECT),
  validate: event(VALIDATE),
  visualize: event(VISUALIZE),
};

const parsed = <P extends TProperties>(properties: P) => Type.Composite([STAGE_EVENT, Type.Object(properties)]);
const GENERATE_EVENT = parsed(GENERATE);
const BACKTEST_EVENT = parsed(BACKTEST);
const VALIDATE_EVENT = parsed(VALIDATE);
const VISUALIZE_EVENT = parsed(VISUALIZE);
export type GenerateEvent = Static<typeof GENERATE_EVENT>;
export type BacktestEvent = Static<typeof BACKTEST_EVENT>;
type ShardRangeEvent = Static<typeof SHARD_RANGE_SCHEMA>;
export type SelectEvent = StageEvent & { strategiesKey: string } & (
    | { trainingPerformanceKey: string }
    | { shards: ShardRangeEvent[] }
  );
export type ValidateEvent = Static<typeof VALIDATE_EVENT>;
export type VisualizeEvent = Static<typeof VISUALIZE_EVENT>;
