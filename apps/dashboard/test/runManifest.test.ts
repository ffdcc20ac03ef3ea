// What the run list and a run's page show of a manifest: never the server's folders.
import type { RunManifest } from '@overfit/store';
import { listItemOf, publicManifest, publicSource } from '../src/runManifest';

test('a data source shows a file by its name and read options, never the folder the server keeps it in', () => {
  expect(publicSource('/srv/overfit/data/btc_usd_1h.csv')).toBe('btc_usd_1h.csv');
  expect(publicSource('/srv/data/my prices.csv (lenient, resampled to 1 h)')).toBe(
    'my prices.csv (lenient, resampled to 1 h)',
  );
  expect(publicSource('C:\\data\\btc.csv')).toBe('btc.csv');
  // Sources without a path stay as they are.
  expect(publicSource('store:data/btc_usd_1h.csv')).toBe('store:data/btc_usd_1h.csv');
  expect(publicSource('synthetic GBM market (3000 bars of 3600 s, seed 7)')).toBe(
    'synthetic GBM market (3000 bars of 3600 s, seed 7)',
  );
});

test('the run list and the run’s manifest as served both use the public source', () => {
  const manifest = {
    runId: '20260101T000000Z-aaaaaa',
    status: 'failed',
    createdAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    codeVersion: 'test',
    timings: {},
    artifacts: [],
    config: { strategies: 50 },
    data: {
      source: '/home/op/data/btc.csv',
      synthetic: false,
      sha256: 'x',
      rows: 10,
      first: '',
      last: '',
      barSeconds: 60,
    },
    error: { stage: 'backtest', message: 'the disk was full' },
  } satisfies RunManifest;
  expect(listItemOf(manifest).dataSource).toBe('btc.csv');
  expect(publicManifest(manifest).data?.source).toBe('btc.csv');
  expect(manifest.data.source).toBe('/home/op/data/btc.csv'); // the stored manifest is not changed
});
