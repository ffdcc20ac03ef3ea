// The data reference contract: where a run's prices come from. A CSV file, a CSV object in the run's artifact
// store (`data/<name>.csv`: how Lambdas, which have no shared disk, read it), or a seeded synthetic market (a null
// market: no edge exists). A CSV may force its layout (`format`), drop bad rows instead of failing (`lenient`),
// and be resampled to a coarser bar (`resampleSeconds`); absent means detect, strict, as stored.
import { Type, type Static } from '@sinclair/typebox';
import { choiceOf } from './check';

/** The CSV layouts @overfit/data reads (packages/data/README.md); a file reference may force one. */
export const PRICE_FORMATS = ['generic', 'yahoo', 'binance', 'dukascopy', 'close_only'] as const;
export type PriceFormat = (typeof PRICE_FORMATS)[number];

const MAX_BAR_SECONDS = 31 * 86400;

/** How a CSV is read; the same for a file on disk and a CSV object in the artifact store. */
const CSV_OPTIONS_SCHEMA = Type.Object({
  format: Type.Optional(choiceOf(PRICE_FORMATS)),
  lenient: Type.Optional(Type.Boolean()),
  resampleSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_BAR_SECONDS })),
});
export type CsvOptions = Static<typeof CSV_OPTIONS_SCHEMA>;
const CSV_OPTIONS = CSV_OPTIONS_SCHEMA.properties;

const FILE_DATA = Type.Object({
  kind: Type.Literal('file'),
  path: Type.String({ minLength: 1, description: 'a file path' }),
  ...CSV_OPTIONS,
});

const STORE_DATA = Type.Object({
  kind: Type.Literal('store'),
  key: Type.String({
    maxLength: 1024,
    pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$',
    description: 'a key in the store such as "data/btc_usd_1h.csv"',
  }),
  ...CSV_OPTIONS,
});

const SYNTHETIC_DATA = Type.Object({
  kind: Type.Literal('synthetic'),
  bars: Type.Integer({ minimum: 100, maximum: 10_000_000 }),
  seed: Type.Integer({ minimum: 0, maximum: 0xffffffff }),
  intervalSeconds: Type.Integer({ minimum: 1, maximum: MAX_BAR_SECONDS }),
});

export const DATA_REF_SCHEMA = Type.Union([FILE_DATA, STORE_DATA, SYNTHETIC_DATA], {
  description:
    '{"kind":"file","path":…}, {"kind":"store","key":…} or {"kind":"synthetic","bars":…,"seed":…,"intervalSeconds":…}',
});
export type DataRef = Static<typeof DATA_REF_SCHEMA>;
