// results/block_moments.bin: the training window's per-block return moments of every strategy (BlockMoments).
// Binary, because at 100,000 strategies × 64 blocks the two Float64 arrays are 100 MB as numbers and several
// times that as text. Layout: one JSON header line padded with spaces so the arrays start 8-byte aligned, then
// `sum` and `sumSquares` as little-endian Float64, row-major (strategy i, block b at i·blocks + b).
import type { BlockMoments } from '@overfit/core';

const FORMAT = 'overfit-block-moments/1';

/** The header line, padded with spaces so that with its newline it is a multiple of 8 bytes long. */
export function blockMomentsHeader(strategies: number, blocks: number, blockBars: number): string {
  const header = JSON.stringify({ format: FORMAT, strategies, blocks, blockBars });
  return `${header.padEnd(Math.ceil((header.length + 1) / 8) * 8 - 1, ' ')}\n`;
}

export function formatBlockMoments(moments: BlockMoments): Buffer {
  const { strategies, blocks, blockBars, sum, sumSquares } = moments;
  if (sum.length !== strategies * blocks || sumSquares.length !== strategies * blocks) {
    throw new Error(`block moments hold ${sum.length} and ${sumSquares.length} values, expected ${strategies} × ${blocks}`);
  }
  const header = blockMomentsHeader(strategies, blocks, blockBars);
  const out = Buffer.alloc(header.length + 16 * sum.length);
  out.write(header, 0, 'latin1');
  const body = new Float64Array(out.buffer, out.byteOffset + header.length, 2 * sum.length);
  body.set(sum, 0);
  body.set(sumSquares, sum.length);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('block moments need a little-endian machine');
  return out;
}

export function parseBlockMoments(bytes: Uint8Array): BlockMoments {
  const newline = bytes.indexOf(0x0a);
  let header: { format?: string; strategies?: number; blocks?: number; blockBars?: number };
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(0, newline)).toString('latin1'));
  } catch {
    throw new Error('block_moments.bin has no readable header');
  }
  const { format, strategies, blocks, blockBars } = header;
  const count = (strategies ?? -1) * (blocks ?? -1);
  if (format !== FORMAT || !Number.isInteger(count) || count < 0 || !Number.isInteger(blockBars)) {
    throw new Error(`block_moments.bin header is not ${FORMAT}: ${JSON.stringify(header)}`);
  }
  if (bytes.length !== newline + 1 + 16 * count) {
    throw new Error(`block_moments.bin has ${bytes.length - newline - 1} data bytes, expected ${16 * count}`);
  }
  // Copy: the input buffer may not be 8-byte aligned at the arrays' start (e.g. a slice of a pooled Buffer).
  // Uint8Array's slice, because Buffer's slice is a view of the whole underlying memory, not a copy.
  const body = new Float64Array(Uint8Array.prototype.slice.call(bytes, newline + 1).buffer);
  return { strategies: strategies!, blocks: blocks!, blockBars: blockBars!, sum: body.slice(0, count), sumSquares: body.slice(count) };
}
