// results/block_moments.bin: the training window's per-block figures of every strategy (BlockMoments): Σr, Σr²,
// trades, and the selection metric's two figures when it is not Sharpe-based. Binary, because at 100,000
// strategies × 64 blocks each Float64 array is 51 MB as numbers and several times that as text. Layout: one JSON
// header line padded with spaces so the arrays start 8-byte aligned, then the arrays the header lists, in that
// order, as little-endian Float64, row-major (strategy i, block b at i·blocks + b). The backtest stage streams it
// (writeBlockMoments), the shard merge concatenates parts array by array, the validate stage reads it
// (readBlockMoments). A file that does not parse was written by the pipeline: a CorruptArtifactError naming it.
import { CorruptArtifactError, type BlockMoments } from '@overfit/core';
import type { ArtifactStore } from './artifactStore';

const FORMAT = 'overfit-block-moments/2';

type ArrayName = 'sum' | 'sumSquares' | 'trades' | 'x' | 'y';

export interface BlockMomentsHeader {
  strategies: number;
  blocks: number;
  blockBars: number;
  /** The selection metric whose figures are the arrays `x` and `y`; null when there are none. */
  selection: string | null;
}

const arrayNames = (selection: string | null): ArrayName[] =>
  selection === null ? ['sum', 'sumSquares', 'trades'] : ['sum', 'sumSquares', 'trades', 'x', 'y'];

function arraysOf(moments: BlockMoments): Float64Array[] {
  const { sum, sumSquares, trades, selection } = moments;
  return selection ? [sum, sumSquares, trades, selection.x, selection.y] : [sum, sumSquares, trades];
}

function assertLittleEndian(): void {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1)
    throw new Error('block moments need a little-endian machine');
}

/** The header line, padded with spaces so that with its newline it is a multiple of 8 bytes long. */
export function blockMomentsHeader({ strategies, blocks, blockBars, selection }: BlockMomentsHeader): string {
  const header = JSON.stringify({
    format: FORMAT,
    strategies,
    blocks,
    blockBars,
    selection,
    arrays: arrayNames(selection),
  });
  return `${header.padEnd(Math.ceil((header.length + 1) / 8) * 8 - 1, ' ')}\n`;
}

const headerOf = (moments: BlockMoments): BlockMomentsHeader => ({
  strategies: moments.strategies,
  blocks: moments.blocks,
  blockBars: moments.blockBars,
  selection: moments.selection?.metric ?? null,
});

/** The file's bytes, streamed 8 MB at a time (100 MB and more at 100,000 strategies is never copied whole). */
export async function* blockMomentsChunks(moments: BlockMoments, valuesPerChunk = 1 << 20): AsyncGenerator<Buffer> {
  assertLittleEndian();
  yield Buffer.from(blockMomentsHeader(headerOf(moments)), 'latin1');
  for (const values of arraysOf(moments)) {
    for (let from = 0; from < values.length; from += valuesPerChunk) {
      const part = values.subarray(from, Math.min(values.length, from + valuesPerChunk));
      const chunk = Buffer.alloc(part.byteLength); // a copy: the arrays may live in a SharedArrayBuffer
      new Float64Array(chunk.buffer, chunk.byteOffset, part.length).set(part);
      yield chunk;
    }
  }
}

/** Write the moments under `key` (a run's or a shard's block_moments.bin), streamed. */
export async function writeBlockMoments(store: ArtifactStore, key: string, moments: BlockMoments): Promise<void> {
  await store.put(key, blockMomentsChunks(moments), 'application/octet-stream');
}

/** Read the moments at `key`. */
export async function readBlockMoments(store: ArtifactStore, key: string): Promise<BlockMoments> {
  return parseBlockMoments(await store.get(key), key);
}

/** The whole file in one buffer (tests and small runs). */
export function formatBlockMoments(moments: BlockMoments): Buffer {
  const count = moments.strategies * moments.blocks;
  const arrays = arraysOf(moments);
  if (arrays.some((a) => a.length !== count)) {
    throw new Error(
      `block moments hold ${arrays.map((a) => a.length).join(', ')} values, expected ${moments.strategies} × ${moments.blocks} each`,
    );
  }
  assertLittleEndian();
  const header = blockMomentsHeader(headerOf(moments));
  const out = Buffer.alloc(header.length + 8 * count * arrays.length);
  out.write(header, 0, 'latin1');
  const body = new Float64Array(out.buffer, out.byteOffset + header.length, count * arrays.length);
  for (const [i, values] of arrays.entries()) body.set(values, i * count);
  return out;
}

/** The header and each array's bytes (views, not copies) of the block_moments.bin at `key` (named in errors). */
function blockMomentsParts(
  bytes: Uint8Array,
  key: string,
): { header: BlockMomentsHeader; arrays: Record<string, Uint8Array> } {
  const newline = bytes.indexOf(0x0a);
  let parsed: {
    format?: unknown;
    strategies?: unknown;
    blocks?: unknown;
    blockBars?: unknown;
    selection?: unknown;
    arrays?: unknown;
  };
  try {
    parsed = JSON.parse(Buffer.from(bytes.subarray(0, Math.max(0, newline))).toString('latin1'));
  } catch (error) {
    throw new CorruptArtifactError(key, 'has no readable header', { cause: error });
  }
  const { format, strategies, blocks, blockBars, selection } = parsed ?? {};
  const count = Number(strategies) * Number(blocks);
  const valid =
    format === FORMAT &&
    Number.isInteger(count) &&
    count >= 0 &&
    Number.isInteger(blockBars) &&
    (selection === null || typeof selection === 'string');
  if (!valid) throw new CorruptArtifactError(key, `its header is not ${FORMAT}: ${JSON.stringify(parsed)}`);
  const header = {
    strategies: strategies as number,
    blocks: blocks as number,
    blockBars: blockBars as number,
    selection: selection as string | null,
  };
  const names = arrayNames(header.selection);
  const size = 8 * count;
  if (bytes.length !== newline + 1 + size * names.length) {
    throw new CorruptArtifactError(
      key,
      `it has ${bytes.length - newline - 1} data bytes, expected ${size * names.length}`,
    );
  }
  const arrays = Object.fromEntries(
    names.map((n, i) => [n, bytes.subarray(newline + 1 + i * size, newline + 1 + (i + 1) * size)]),
  );
  return { header, arrays };
}

/** The moments in the bytes of the block_moments.bin at `key` (named in errors). */
export function parseBlockMoments(bytes: Uint8Array, key: string): BlockMoments {
  const { header, arrays } = blockMomentsParts(bytes, key);
  // Copies: the input may not be 8-byte aligned (e.g. a slice of a pooled Buffer). Uint8Array's slice, because
  // Buffer's slice is a view of the whole underlying memory, not a copy.
  const read = (name: ArrayName) => new Float64Array(Uint8Array.prototype.slice.call(arrays[name]).buffer);
  return {
    strategies: header.strategies,
    blocks: header.blocks,
    blockBars: header.blockBars,
    sum: read('sum'),
    sumSquares: read('sumSquares'),
    trades: read('trades'),
    selection: header.selection === null ? null : { metric: header.selection, x: read('x'), y: read('y') },
  };
}

/** The run's file from its shards' files, array by array; each part is read once per array rather than kept. */
export async function* concatBlockMoments(store: ArtifactStore, keys: readonly string[]): AsyncGenerator<Buffer> {
  let first: BlockMomentsHeader | undefined;
  let strategies = 0;
  for (const key of keys) {
    const { header } = blockMomentsParts(await store.get(key), key);
    first ??= header;
    if (
      header.blocks !== first.blocks ||
      header.blockBars !== first.blockBars ||
      header.selection !== first.selection
    ) {
      throw new CorruptArtifactError(
        key,
        `it has ${header.blocks} blocks of ${header.blockBars} bars (selection figures: ${header.selection}), the first part ${first.blocks} of ${first.blockBars} (${first.selection})`,
      );
    }
    strategies += header.strategies;
  }
  if (!first) throw new Error('no block moments to merge');
  yield Buffer.from(blockMomentsHeader({ ...first, strategies }), 'latin1');
  for (const name of arrayNames(first.selection)) {
    for (const key of keys) yield Buffer.from(blockMomentsParts(await store.get(key), key).arrays[name]);
  }
}
