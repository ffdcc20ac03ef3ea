// Fuzzed price files for the data reader's property test and the CLI's (issue 14, item 16): real-looking files in every
// layout this project reads, mutated the ways files get broken.
import fc from 'fast-check';
import type { PriceSeries } from '@overfit/core';
import { syntheticMarket } from '@overfit/data';

const market = syntheticMarket({ bars: 24, seed: 14 });
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const spaced = (ms: number) => iso(ms).slice(0, 19).replace('T', ' ');
const dukascopy = (ms: number) => {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}.${p(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ${d.toISOString().slice(11, 19)}.000`;
};
const lines = (s: PriceSeries, row: (i: number) => string) => Array.from(s.time, (_, i) => row(i));

/** One real-looking file per layout this project reads, as lines (header first when there is one). */
export const LAYOUT_FILES: Record<string, string[]> = {
  generic: [
    'timestamp,open,high,low,close,volume',
    ...lines(
      market,
      (i) =>
        `${iso(market.time[i])},${market.open[i]},${market.high[i]},${market.low[i]},${market.close[i]},${market.volume[i]}`,
    ),
  ],
  binance: lines(
    market,
    (i) =>
      `${market.time[i]},${market.open[i].toFixed(2)},${market.high[i].toFixed(2)},${market.low[i].toFixed(2)},` +
      `${market.close[i].toFixed(2)},12.5,${market.time[i] + 3_599_999},0,1,0,0,0`,
  ),
  yahoo: [
    'Date,Open,High,Low,Close,Adj Close,Volume',
    ...lines(
      market,
      (i) =>
        `${spaced(market.time[i])},${market.open[i]},${market.high[i]},${market.low[i]},${market.close[i]},${market.close[i]},100`,
    ),
  ],
  yfinance: [
    'Price,Close,High,Low,Open,Volume',
    'Ticker,BTC-USD,BTC-USD,BTC-USD,BTC-USD,BTC-USD',
    'Date,,,,,',
    ...lines(
      market,
      (i) =>
        `${iso(market.time[i]).slice(0, 10)}T${iso(market.time[i]).slice(11)},` +
        `${market.close[i]},${market.high[i]},${market.low[i]},${market.open[i]},7`,
    ),
  ],
  dukascopy: [
    'Gmt time,Open,High,Low,Close,Volume',
    ...lines(
      market,
      (i) => `${dukascopy(market.time[i])},${market.open[i]},${market.high[i]},${market.low[i]},${market.close[i]},3.2`,
    ),
  ],
  close_only: [
    'timestamp,price,returns,split',
    ...lines(market, (i) => `${spaced(market.time[i])},${market.close[i]},0.001,train`),
  ],
};

const ODD_NUMBERS = [
  '0x10',
  '0b101',
  '0o17',
  'Infinity',
  '-Infinity',
  'NaN',
  '-0',
  '0',
  '-5',
  '1e308',
  '5e-324',
  '1e-9',
  '1000000001',
  '999999999.99',
  '1_000',
  '１２３',
  '1e',
  '.',
  '+',
  '--1',
  '',
  '   ',
  '1,5',
  '"1"',
  '"',
  '1e+400',
  '0.00000001',
  ' 42 ',
  '\u00a042',
  '4.2.1',
  '9'.repeat(400),
];
const CONTROL = [
  '\x00',
  '\x1b[2J',
  '\x1b]0;pwned\x07',
  '\r',
  '\n',
  '\x7f',
  '\u009b',
  '\u2028',
  '\u202e',
  '\ufeff',
  '\t',
  '\x08',
];
const ODD_TIMES = [
  '2024-02-30',
  '2024-13-01',
  '0000-01-01',
  '9999-12-31T23:59:59Z',
  '2024-01-01T24:00',
  '1e12',
  '99999999',
  '9999999999999999',
  '01.02.2024 25:00:00',
  '2024-01-01T00:00:00+99:99',
  'yesterday',
  '',
];

export type Mutation = (text: string, lines: string[]) => string;
/** Marks a mutation's result as raw bytes (base64 after it): a flipped byte need not leave UTF-8 text. */
const RAW = '\u0000RAW:';

/** Mutations of a file's text (or its lines); positions are fractions of the length so any file can take any. */
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc
    .tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 255 }))
    .map(([at, xor]) => (t: string) => {
      const bytes = Buffer.from(t);
      const i = Math.min(bytes.length - 1, Math.floor(at * bytes.length));
      if (i >= 0) bytes[i] ^= xor; // a flipped byte: may break UTF-8, a digit, a comma or a newline
      return `${RAW}${bytes.toString('base64')}`;
    }),
  fc.double({ min: 0, max: 1, noNaN: true }).map((at) => (t: string) => t.slice(0, Math.floor(at * t.length))),
  fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(...ODD_NUMBERS)).map(
    ([r, c, odd]) =>
      (_t: string, ls: string[]) =>
        cell(ls, r, c, () => odd),
  ),
  fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(...ODD_TIMES)).map(
    ([r, , odd]) =>
      (_t: string, ls: string[]) =>
        cell(ls, r, 0, () => odd),
  ),
  fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(...CONTROL)).map(
    ([r, c, ctl]) =>
      (_t: string, ls: string[]) =>
        cell(ls, r, c, (v) => v.slice(0, 2) + ctl + v.slice(2)),
  ),
  fc.constant((t: string) => `\ufeff${t}`),
  fc.constant((t: string) => t.replace(/\n/g, '\r\n')),
  fc.constant((t: string) => t.replace(/\n/g, '\r')),
  fc.constant((_t: string, ls: string[]) =>
    ls
      .map((l) =>
        l
          .split(',')
          .map((f) => `"${f.replace(/"/g, '""')}"`)
          .join(','),
      )
      .join('\n'),
  ),
  fc.nat().map((r) => (_t: string, ls: string[]) => cell(ls, r, 1, (v) => `"${v}`)),
  fc.nat().map((r) => (_t: string, ls: string[]) => {
    const i = r % ls.length;
    return [...ls.slice(0, i + 1), ls[i], ...ls.slice(i + 1)].join('\n');
  }),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => (_t: string, ls: string[]) => {
    const c = ls.slice();
    const i = a % c.length;
    const j = b % c.length;
    [c[i], c[j]] = [c[j], c[i]];
    return c.join('\n');
  }),
  fc.constant((_t: string, ls: string[]) => [ls[0], ...ls.slice(1).reverse()].join('\n')),
  fc.nat().map((r) => (_t: string, ls: string[]) => {
    const c = ls.slice();
    c.splice(r % c.length, 0, '', '   ', ',,,');
    return c.join('\n');
  }),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 6000 })).map(
    ([r, n]) =>
      (_t: string, ls: string[]) =>
        cell(ls, r, 2, (v) => v + '7'.repeat(n)),
  ),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 80 })).map(
    ([r, n]) =>
      (_t: string, ls: string[]) =>
        cell(ls, r, 3, (v) => v + ','.repeat(n)),
  ),
  fc.constant((t: string) => t.replace(/,/g, ';')),
);

/** Row r (mod the row count), field c (mod its field count), changed by `f`; the file's lines joined back. */
function cell(ls: string[], r: number, c: number, f: (v: string) => string): string {
  const out = ls.slice();
  const i = r % out.length;
  const fields = out[i].split(',');
  const k = c % fields.length;
  fields[k] = f(fields[k]);
  out[i] = fields.join(',');
  return out.join('\n');
}

/** Apply mutations in turn; a byte-level one returns raw bytes (marked), which later text mutations leave alone. */
export function mutate(base: string[], mutations: Mutation[], finalNewline: boolean): Buffer {
  let text = base.join('\n') + (finalNewline ? '\n' : '');
  for (const m of mutations) {
    if (text.startsWith(RAW)) break;
    text = m(text, text.split('\n'));
  }
  return text.startsWith(RAW) ? Buffer.from(text.slice(RAW.length), 'base64') : Buffer.from(text);
}

/** A fuzzed file: its layout, the mutations, and its bytes. */
export const fuzzedFile = fc
  .tuple(
    fc.constantFrom(...Object.keys(LAYOUT_FILES)),
    fc.array(mutation, { minLength: 1, maxLength: 4 }),
    fc.boolean(),
  )
  .map(([layout, mutations, finalNewline]) => ({
    layout,
    bytes: mutate(LAYOUT_FILES[layout], mutations, finalNewline),
  }));
