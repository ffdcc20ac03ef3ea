import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { CorruptArtifactError, type BlockMoments } from '@overfit/core';
import {
  blockMomentsChunks,
  formatBlockMoments,
  getJson,
  LocalStore,
  parseBlockMoments,
  readBlockMoments,
  writeBlockMoments,
} from '../src';

const KEY = 'runs/r1/results/block_moments.bin';

const bits = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('block_moments.bin', () => {
  it('round-trips every array bit for bit, NaN, -0 and ±∞ included, with and without selection figures', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 99 }),
        fc.double(),
        fc.constantFrom(null, 'win_rate', 'total_return'),
        (n, blocks, blockBars, x, metric) => {
          const count = n * blocks;
          const column = (f: (i: number) => number) => Float64Array.from({ length: count }, (_, i) => f(i));
          const moments: BlockMoments = {
            strategies: n,
            blocks,
            blockBars,
            sum: column((i) => x * (i + 1)),
            sumSquares: column((i) => (i % 3 === 0 ? -0 : Number.NaN)),
            trades: column((i) => i % 4),
            selection:
              metric === null
                ? null
                : { metric, x: column((i) => (i % 2 ? Number.NEGATIVE_INFINITY : i)), y: column((i) => -i) },
          };
          const bytes = formatBlockMoments(moments);
          // A view at an odd offset: the reader must not assume alignment.
          const shifted = new Uint8Array(bytes.length + 1);
          shifted.set(bytes, 1);
          const back = parseBlockMoments(shifted.subarray(1), KEY);
          expect(back).toMatchObject({ strategies: n, blocks, blockBars });
          expect(bits(back.sum)).toEqual(bits(moments.sum));
          expect(bits(back.sumSquares)).toEqual(bits(moments.sumSquares));
          expect(bits(back.trades)).toEqual(bits(moments.trades));
          expect(back.selection?.metric ?? null).toBe(metric);
          if (back.selection && moments.selection) {
            expect(bits(back.selection.x)).toEqual(bits(moments.selection.x));
            expect(bits(back.selection.y)).toEqual(bits(moments.selection.y));
          }
        },
      ),
    );
  });

  it('refuses a truncated file and a foreign or older header: the file is corrupt, and named', () => {
    const zeros = () => new Float64Array(4);
    const bytes = formatBlockMoments({
      strategies: 2,
      blocks: 2,
      blockBars: 5,
      sum: zeros(),
      sumSquares: zeros(),
      trades: zeros(),
      selection: null,
    });
    const refusal = (text: Uint8Array) => {
      try {
        parseBlockMoments(text, KEY);
      } catch (error) {
        return error as CorruptArtifactError;
      }
      throw new Error('parsed');
    };
    expect(refusal(bytes.subarray(0, bytes.length - 8)).message).toBe(
      `${KEY} is corrupt: it has 88 data bytes, expected 96`,
    );
    expect(refusal(Buffer.from('{"format":"csv"}\n')).message).toMatch(
      /^runs\/r1\/results\/block_moments\.bin is corrupt: its header is not/,
    );
    expect(
      refusal(Buffer.from('{"format":"overfit-block-moments/1","strategies":0,"blocks":1,"blockBars":1}\n')).message,
    ).toMatch(/its header is not overfit-block-moments\/2/);
    const notJson = refusal(Buffer.from('not json\n'));
    expect([notJson instanceof CorruptArtifactError, notJson.key, notJson.message]).toEqual([
      true,
      KEY,
      `${KEY} is corrupt: has no readable header`,
    ]);
    expect(notJson.cause).toBeInstanceOf(SyntaxError);
  });
});

it.each([1, 5, 1 << 20])(
  'streams block_moments.bin in chunks of %i values with the bytes of formatBlockMoments',
  async (valuesPerChunk) => {
    const column = (k: number) => Float64Array.from({ length: 21 }, (_, i) => k * i + 0.5);
    const moments: BlockMoments = {
      strategies: 7,
      blocks: 3,
      blockBars: 9,
      sum: column(1),
      sumSquares: column(2),
      trades: column(3),
      selection: { metric: 'win_rate', x: column(4), y: column(5) },
    };
    const chunks: Buffer[] = [];
    for await (const chunk of blockMomentsChunks(moments, valuesPerChunk)) chunks.push(chunk);
    expect(Buffer.concat(chunks).equals(formatBlockMoments(moments))).toBe(true);
    expect(parseBlockMoments(Buffer.concat(chunks), KEY)).toEqual(moments);
  },
);

it('writes the moments under a key and reads them back from the store', async () => {
  const root = await mkdtemp(join(tmpdir(), 'moments-'));
  const moments: BlockMoments = {
    strategies: 1,
    blocks: 2,
    blockBars: 3,
    sum: Float64Array.of(1, 2),
    sumSquares: Float64Array.of(3, 4),
    trades: Float64Array.of(5, 6),
    selection: null,
  };
  const store = new LocalStore(root);
  await writeBlockMoments(store, KEY, moments);
  expect(await readBlockMoments(store, KEY)).toEqual(moments);
  await rm(root, { recursive: true });
});

describe('JSON documents', () => {
  it('keep ±Infinity (a profit factor with no losing trade) and write NaN as null', async () => {
    const { formatJsonDocument, parseJsonDocument } = await import('../src');
    const text = formatJsonDocument({
      profitFactor: Number.POSITIVE_INFINITY,
      floor: Number.NEGATIVE_INFINITY,
      sharpe: Number.NaN,
      id: 's1',
    });
    expect(text).toBe(
      '{\n  "profitFactor": "Infinity",\n  "floor": "-Infinity",\n  "sharpe": null,\n  "id": "s1"\n}\n',
    );
    expect(parseJsonDocument(text)).toEqual({
      profitFactor: Number.POSITIVE_INFINITY,
      floor: Number.NEGATIVE_INFINITY,
      sharpe: null,
      id: 's1',
    });
  });

  it("read back from the store, one that is not JSON is corrupt: named, with the parser's error as cause", async () => {
    const store = { get: async () => Buffer.from('{"runId": "r1",') } as unknown as LocalStore;
    const error = await getJson(store, 'runs/r1/results/validation_results.json').catch(
      (e: unknown) => e as CorruptArtifactError,
    );
    expect(error).toBeInstanceOf(CorruptArtifactError);
    expect((error as CorruptArtifactError).message).toBe(
      'runs/r1/results/validation_results.json is corrupt: it is not valid JSON',
    );
    expect((error as CorruptArtifactError).cause).toBeInstanceOf(SyntaxError);
  });
});
