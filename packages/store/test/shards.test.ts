import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { BlockMoments } from '@overfit/core';
import {
  assertShardsCover,
  formatBlockMoments,
  LocalStore,
  mergeShardResults,
  parseBlockMoments,
  parseShardRange,
  planShards,
  runKeys,
  shardKeys,
} from '../src';

const moments = (strategies: number, blocks: number, offset: number): BlockMoments => {
  const column = (f: (i: number) => number) =>
    Float64Array.from({ length: strategies * blocks }, (_, i) => f(offset + i));
  return {
    strategies,
    blocks,
    blockBars: 7,
    sum: column((v) => v + 0.25),
    sumSquares: column((v) => v * 1e-3),
    trades: column((v) => v % 5),
    selection: { metric: 'win_rate', x: column((v) => v % 3), y: column((v) => v % 7) },
  };
};

const slice = (m: BlockMoments, start: number, end: number): BlockMoments => {
  const cut = (a: Float64Array) => a.slice(start * m.blocks, end * m.blocks);
  return {
    ...m,
    strategies: end - start,
    sum: cut(m.sum),
    sumSquares: cut(m.sumSquares),
    trades: cut(m.trades),
    selection: m.selection && { metric: m.selection.metric, x: cut(m.selection.x), y: cut(m.selection.y) },
  };
};

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'overfit-shards-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('planning shards', () => {
  it('tiles the strategies with contiguous ranges, the last one shorter', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 5, max: 5000 }), (count, size) => {
        const shards = planShards(count, size);
        assertShardsCover(shards, count);
        expect(shards.every((s) => s.end - s.start <= size && s.end > s.start)).toBe(true);
      }),
    );
  });

  it('refuses ranges that are malformed or do not tile the run', () => {
    expect(() => parseShardRange({ index: 0, start: 5, end: 5 }, 'event.shard')).toThrow('event.shard: is empty');
    expect(() => parseShardRange({ index: -1, start: 0, end: 5 }, 'event.shard')).toThrow(
      'event.shard.index: must be an integer ≥ 0',
    );
    expect(() =>
      assertShardsCover(
        [
          { index: 0, start: 0, end: 4 },
          { index: 1, start: 5, end: 9 },
        ],
        9,
      ),
    ).toThrow('shard 1 is');
    expect(() => assertShardsCover([{ index: 0, start: 0, end: 4 }], 9)).toThrow(
      'cover strategies 0 to 3, but the run has 9',
    );
  });
});

describe('merging shard results', () => {
  it('writes exactly the bytes of the unsharded files', async () => {
    const store = new LocalStore(root);
    const whole = moments(10, 3, 100);
    const header = 'strategy_id,family,win_rate\n';
    const rows = Array.from({ length: 10 }, (_, i) => `s${i},sma_cross,"{""fast"":${i}}"\n`);
    const shards = planShards(10, 4);
    for (const shard of shards) {
      const keys = shardKeys('r1', shard.index);
      const csv = header + rows.slice(shard.start, shard.end).join('');
      await store.put(keys.trainingPerformance, csv);
      await store.put(keys.validationPerformance, csv.replace(/sma_cross/g, 'ema_cross'));
      await store.put(keys.blockMoments, formatBlockMoments(slice(whole, shard.start, shard.end)));
    }
    const merged = await mergeShardResults(store, 'r1', shards);
    expect(merged.trainingPerformanceKey).toBe(runKeys('r1').trainingPerformance);
    expect((await store.get(merged.trainingPerformanceKey)).toString()).toBe(header + rows.join(''));
    expect((await store.get(merged.validationPerformanceKey)).toString()).toBe(
      (header + rows.join('')).replace(/sma_cross/g, 'ema_cross'),
    );
    const bytes = await store.get(merged.blockMomentsKey);
    expect(bytes.equals(formatBlockMoments(whole))).toBe(true);
    expect(parseBlockMoments(bytes, merged.blockMomentsKey)).toEqual(whole);
  });

  it('refuses parts that do not belong together', async () => {
    const store = new LocalStore(root);
    const shards = planShards(4, 2);
    await store.put(shardKeys('r1', 0).trainingPerformance, 'a,b\n1,2\n');
    await store.put(shardKeys('r1', 1).trainingPerformance, 'a,c\n3,4\n');
    await expect(mergeShardResults(store, 'r1', shards)).rejects.toThrow(
      /shards\/0001\/training_performance\.csv is corrupt: it has the header/,
    );
  });
});
