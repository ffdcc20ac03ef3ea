// What the routes share, set up once per app and decorated onto it as `app.dashboard`: the store and its reader,
// the launcher, the data sets on offer, the work budget, and the settings of starting runs. The environment is
// read by config.ts (once, in server.ts); this plugin takes the values it produced, never process.env.
import fp from 'fastify-plugin';
import type { ArtifactStore } from '@overfit/store';
import type { DataRef } from '@overfit/core';
import type { Dataset } from '../datasets';
import type { RunLauncher } from '../runLauncher';
import { RunReader } from '../runReader';
import { barCounter, DEFAULT_RUN_WORK_BUDGET } from '../workBudget';

export interface AppOptions {
  store: ArtifactStore;
  launcher: RunLauncher;
  datasets: Dataset[];
  /** When set, POST /api/runs needs `Authorization: Bearer <token>`. */
  runTriggerToken?: string;
  rateLimitPerMinute?: number;
  /** Runs a client may start per minute (default 10). */
  runsPerMinute?: number;
  /** Wrong or missing tokens a client may send per minute before it gets 429 (default 10); counted apart from runs. */
  authFailuresPerMinute?: number;
  /** The most work a run may take, in strategy-bars (see workBudget.ts); default DEFAULT_RUN_WORK_BUDGET. */
  runWorkBudget?: number;
  /**
   * Whether this server writes runs into the store itself (in-process runs): then /readyz also checks a write
   * lands. Default: when the launcher runs in process.
   */
  storeWrites?: boolean;
  /** How many proxies' X-Forwarded-For to trust (1 behind a load balancer); 0 trusts none. */
  trustProxyHops?: number;
  publicDir?: string;
}

interface Dashboard {
  store: ArtifactStore;
  reader: RunReader;
  launcher: RunLauncher;
  datasets: Dataset[];
  /** How many bars a data set has (at most), to price a run against the budget. */
  barsOf: (ref: DataRef) => Promise<number>;
  runWorkBudget: number;
  storeWrites: boolean;
  runTriggerToken: string | undefined;
  runsPerMinute: number;
  authFailuresPerMinute: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    dashboard: Dashboard;
  }
}

export default fp<AppOptions>(
  async (app, options) => {
    const { store, launcher, datasets } = options;
    app.decorate('dashboard', {
      store,
      launcher,
      datasets,
      reader: new RunReader(store),
      barsOf: barCounter(store),
      runWorkBudget: options.runWorkBudget ?? DEFAULT_RUN_WORK_BUDGET,
      storeWrites: options.storeWrites ?? launcher.kind === 'in-process',
      runTriggerToken: options.runTriggerToken,
      runsPerMinute: options.runsPerMinute ?? 10,
      authFailuresPerMinute: options.authFailuresPerMinute ?? 10,
    });
    app.addHook('onClose', async () => launcher.close());
  },
  { name: 'dashboard-config' },
);
