// What the state-machine tests share: one s3rver for the test file, a store on it, and a small whole run (60
// strategies on 3,000 synthetic hours, no null-market repeats: those rerun the backtest and are the statistics' to
// test, not the orchestration's) whose options a test overrides.
import { parseRunConfig, type DataRef } from '@overfit/core';
import { S3Store } from '@overfit/store';
import { startS3rver, type TestS3 } from '@overfit/testing/s3rver';
import { runStateMachineLocally, type StateMachineRunOptions } from '../src';

export const small = parseRunConfig({ strategies: 60, seed: 5, nullMarkets: 0 });
export const synthetic: DataRef = { kind: 'synthetic', bars: 3000, seed: 11, intervalSeconds: 3600 };

export interface OnS3rver {
  s3: TestS3;
  /** The bucket `artifacts`, no prefix. */
  store: S3Store;
  /** The small run on `store` (unless the options name another), through the state machine. */
  runSmall: (options?: Partial<StateMachineRunOptions>) => ReturnType<typeof runStateMachineLocally>;
}

/** Starts s3rver before the file's tests and disposes of it after them; read the fields inside tests only. */
export function onS3rver(): OnS3rver {
  const on = {
    runSmall: (options = {}) => runStateMachineLocally({ config: small, data: synthetic, store: on.store, ...options }),
  } as OnS3rver;
  beforeAll(async () => {
    on.s3 = await startS3rver(['artifacts']);
    on.store = new S3Store({ bucket: 'artifacts', client: on.s3.client });
  });
  afterAll(() => on.s3.dispose());
  return on;
}
