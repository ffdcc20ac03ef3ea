import fc from 'fast-check';
import { formatBlockMoments, parseBlockMoments } from '../src';

describe('block_moments.bin', () => {
  it('round-trips every value bit for bit, NaN and -0 included', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 99 }), fc.double(), (n, blocks, blockBars, x) => {
      const sum = Float64Array.from({ length: n * blocks }, (_, i) => x * (i + 1));
      const sumSquares = Float64Array.from({ length: n * blocks }, (_, i) => (i % 3 === 0 ? -0 : Number.NaN));
      const bytes = formatBlockMoments({ strategies: n, blocks, blockBars, sum, sumSquares });
      // A view at an odd offset: the reader must not assume alignment.
      const shifted = new Uint8Array(bytes.length + 1);
      shifted.set(bytes, 1);
      const back = parseBlockMoments(shifted.subarray(1));
      expect(back).toMatchObject({ strategies: n, blocks, blockBars });
      expect(Buffer.from(back.sum.buffer)).toEqual(Buffer.from(sum.buffer));
      expect(Buffer.from(back.sumSquares.buffer)).toEqual(Buffer.from(sumSquares.buffer));
    }));
  });

  it('refuses a truncated file and a foreign header', () => {
    const bytes = formatBlockMoments({ strategies: 2, blocks: 2, blockBars: 5, sum: new Float64Array(4), sumSquares: new Float64Array(4) });
    expect(() => parseBlockMoments(bytes.subarray(0, bytes.length - 8))).toThrow(/expected 64/);
    expect(() => parseBlockMoments(Buffer.from('{"format":"csv"}\n'))).toThrow(/header/);
    expect(() => parseBlockMoments(Buffer.from('not json\n'))).toThrow(/header/);
  });
});
