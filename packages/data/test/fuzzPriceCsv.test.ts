// Property-based fuzzing of the price reader (issue 14, item 16): real-looking files in every layout, mutated the
// ways files get broken — flipped bytes, cut ends, odd numbers, control bytes, BOM/CRLF/quotes, duplicate and
// unsorted times — must either read into sane bars or fail with an InputError located at the file (file,
// file:line or file:line:column), with a printable one-line message. Never another exception, never a hang.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { isInputError, PRICE_FORMATS } from '@overfit/core';
import { assertTradablePrices, MAX_PRICE, MIN_PRICE, readPriceCsv } from '../src';
import { fuzzedFile } from '@overfit/testing/fuzz-files';

jest.setTimeout(300_000);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'overfit-fuzz-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('readPriceCsv on fuzzed files (property)', () => {
  let n = 0;
  it('reads sane bars or throws a located InputError, never anything else', async () => {
    await fc.assert(
      fc.asyncProperty(
        fuzzedFile,
        fc.boolean(),
        fc.option(fc.constantFrom(...PRICE_FORMATS), { freq: 4 }),
        async ({ bytes }, lenient, format) => {
          const path = join(dir, `fuzz-${++n}.csv`);
          await writeFile(path, bytes);
          let loaded: Awaited<ReturnType<typeof readPriceCsv>>;
          try {
            loaded = await readPriceCsv(path, { lenient, format: format ?? undefined });
          } catch (error) {
            if (!isInputError(error)) throw new Error(`not an InputError: ${(error as Error)?.stack ?? String(error)}`);
            expect(error.where).toMatch(new RegExp(`^${escapeRe(path)}(:\\d+(:\\d+)?)?$`));
            expect(error.message.startsWith(`${error.where}: `)).toBe(true);
            // eslint-disable-next-line no-control-regex
            expect(error.message).not.toMatch(/[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e]/);
            expect(error.message.length).toBeLessThan(1200);
            return;
          }
          const { time, open, high, low, close, volume } = loaded.series;
          expect(time.length).toBeGreaterThanOrEqual(2);
          for (const column of [open, high, low, close, volume]) expect(column.length).toBe(time.length);
          for (let i = 0; i < time.length; i++) {
            if (i > 0) expect(time[i]).toBeGreaterThan(time[i - 1]);
            for (const p of [open[i], high[i], low[i], close[i]]) expect(p >= MIN_PRICE && p <= MAX_PRICE).toBe(true);
            expect(volume[i] >= 0 && Number.isFinite(volume[i])).toBe(true);
          }
          const { dropped, problems } = loaded.report;
          const reported = [...dropped.map((d) => d.reason), ...problems.map((p) => p.example ?? '')].join('\n');
          // The report's words from the file (the CLI prints them) are printable.
          // eslint-disable-next-line no-control-regex
          expect(reported).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
          // What a run does next with the prices does not throw anything but an InputError either.
          try {
            assertTradablePrices(loaded);
          } catch (error) {
            if (!isInputError(error)) throw error;
            expect(error.where).toBe(path);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
