// The run config has one set of rules: parseRunConfig (CLI, events) and RUN_REQUEST_SCHEMA as a JSON Schema
// validator (Ajv, which Fastify uses) must accept and reject the same bodies, and OPTION_LIMITS must say the same.
import Ajv from 'ajv';
import fc from 'fast-check';
import {
  DEFAULT_RUN_CONFIG,
  InputError,
  MAX_COST_BPS,
  OPTION_LIMITS,
  parseRunConfig,
  RUN_REQUEST_SCHEMA,
  type OptionLimit,
  type RunOption,
} from '../src';

// Plain JSON Schema semantics (no coercion, no defaults written into the body); strict mode refuses unknown keywords.
const ajv = new Ajv({ allErrors: true, strict: true });
const schemaAccepts = ajv.compile(RUN_REQUEST_SCHEMA);

function configAccepts(settings: Record<string, unknown>): boolean {
  try {
    parseRunConfig(settings, 'body');
    return true;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return false;
  }
}

/** Values of an option: mostly inside its limits, often at or just beyond them, sometimes of the wrong type. */
function valuesFor(limit: OptionLimit): fc.Arbitrary<unknown> {
  const wrong = fc.constantFrom<unknown>('12', null, true, [], {}, '');
  if (limit.values) {
    const valid = fc.constantFrom(...limit.values);
    const choice = fc.oneof(
      { weight: 8, arbitrary: valid },
      { weight: 1, arbitrary: fc.constantFrom('luck', 'WIN_RATE') },
    );
    const value = limit.type === 'choices' ? fc.array(choice, { maxLength: 4 }) : choice;
    return fc.oneof({ weight: 9, arbitrary: value }, { weight: 1, arbitrary: wrong });
  }
  const { min = 0, max = 1e6 } = limit;
  const bounds = [
    min,
    max,
    min - 1,
    max + 1,
    min - 0.5,
    max + 0.5,
    min + 1e-9,
    max - 1e-9,
    min + 0.05,
    max - 0.05,
    0,
    -1,
    1e12,
  ];
  const inside =
    limit.type === 'integer' ? fc.integer({ min, max: Math.min(max, 2 ** 40) }) : fc.double({ min, max, noNaN: true });
  return fc.oneof(
    { weight: 6, arbitrary: inside },
    { weight: 3, arbitrary: fc.constantFrom(...bounds) },
    { weight: 1, arbitrary: wrong },
  );
}

const optionNames = Object.keys(OPTION_LIMITS) as RunOption[];
const bodies = fc.record({
  strategies: valuesFor(OPTION_LIMITS.strategies),
  settings: fc
    .dictionary(fc.constantFrom(...optionNames.filter((n) => n !== 'strategies')), fc.constant(null), { maxKeys: 4 })
    .chain((picked) =>
      fc.record(
        Object.fromEntries(Object.keys(picked).map((name) => [name, valuesFor(OPTION_LIMITS[name as RunOption])])),
      ),
    ),
  unknown: fc.oneof(
    { weight: 9, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom('stratgies', 'data', 'pad') },
  ),
});

describe('run options have one set of rules', () => {
  it('parseRunConfig and RUN_REQUEST_SCHEMA accept and reject the same bodies (besides fees + slippage together)', () => {
    fc.assert(
      fc.property(bodies, ({ strategies, settings, unknown }) => {
        const options: Record<string, unknown> = { strategies, ...settings, ...(unknown ? { [unknown]: 1 } : {}) };
        const schema = schemaAccepts({ dataset: 'synthetic-quick', ...options });
        // The one rule between two fields, which JSON Schema cannot state: checked by the handler's parseRunConfig.
        const fees = (options.feesBps ?? DEFAULT_RUN_CONFIG.feesBps) as number;
        const slippage = (options.slippageBps ?? DEFAULT_RUN_CONFIG.slippageBps) as number;
        expect(configAccepts(options)).toBe(schema && fees + slippage <= MAX_COST_BPS);
      }),
      { numRuns: 3000, seed: 16 },
    );
  });

  it('OPTION_LIMITS are the bounds both enforce: each bound accepted or refused as it says, one step beyond refused', () => {
    for (const name of optionNames) {
      const { min, max, exclusiveMin, exclusiveMax, type } = OPTION_LIMITS[name];
      const step = type === 'integer' ? 1 : 1e-9;
      const cases: [number, boolean][] = [];
      if (min !== undefined) cases.push([min, !exclusiveMin], [min - step, false]);
      if (max !== undefined) cases.push([max, !exclusiveMax], [max + step, false]);
      for (const [value, accepted] of cases) {
        // Costs alone: the other one at 0 so the sum rule is not what decides.
        const body = {
          strategies: 100,
          ...(name === 'feesBps' ? { slippageBps: 0 } : name === 'slippageBps' ? { feesBps: 0 } : {}),
          [name]: value,
        };
        expect([name, value, configAccepts(body), schemaAccepts({ dataset: 'd', ...body })]).toEqual([
          name,
          value,
          accepted,
          accepted,
        ]);
      }
    }
    expect(OPTION_LIMITS.trainFraction).toEqual({
      type: 'number',
      default: 0.7,
      min: 0,
      max: 1,
      exclusiveMin: true,
      exclusiveMax: true,
    });
    expect(OPTION_LIMITS.selectBy).toMatchObject({
      type: 'choice',
      default: 'win_rate',
      values: expect.arrayContaining(['win_rate', 'sharpe']),
    });
  });

  it('defaults in OPTION_LIMITS are DEFAULT_RUN_CONFIG', () => {
    expect(Object.fromEntries(optionNames.map((n) => [n, OPTION_LIMITS[n].default]))).toEqual(DEFAULT_RUN_CONFIG);
  });
});

describe('one InputError lists every problem', () => {
  it('names each field, the first as its where, in words a user reads', () => {
    let error: InputError | undefined;
    try {
      parseRunConfig({ strategies: 0, trainFraction: 1.5, selectBy: 'luck', families: ['macd', 'tarot'] }, 'option');
    } catch (caught) {
      error = caught as InputError;
    }
    expect(error?.problems.map((p) => p.where)).toEqual([
      'option.strategies',
      'option.families',
      'option.trainFraction',
      'option.selectBy',
    ]);
    expect(error?.where).toBe('option.strategies');
    expect(error?.message).toBe(
      'option.strategies: must be an integer from 1 to 1000000 (got 0); ' +
        'option.families: must be one of coin_flip, sma_cross, ema_cross, rsi_reversion, bollinger, donchian_breakout, momentum, macd, seasonal (got "tarot"); ' +
        'option.trainFraction: must be a number greater than 0 and less than 1 (got 1.5); ' +
        'option.selectBy: must be one of win_rate, sharpe, total_return, sortino, calmar, cagr, profit_factor, hit_rate (got "luck")',
    );
  });

  it('a typo is an unknown field, never a silent default; fees and slippage are bounded together', () => {
    expect(() => parseRunConfig({ stratgies: 10 })).toThrow(
      'config.stratgies: unknown field (known: strategies, seed, families',
    );
    expect(() => parseRunConfig({ feesBps: 600, slippageBps: 600 })).toThrow(
      expect.objectContaining({ where: 'config.feesBps + slippageBps' }),
    );
    expect(parseRunConfig({ families: ['macd', 'macd'] }).families).toEqual(['macd']);
  });
});
