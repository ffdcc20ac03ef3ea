// Every figure on the runs that broke figures before: one trade, all losing trades, a +300 % return, very short
// windows (50 bars) and a flat strategy. Each case checks on the axis functions that what the figure marks lies
// inside its axes, then renders the figure to prove it draws.
import {
  comparisonAxis,
  equityAxis,
  histogramAxis,
  logitAxis,
  logTicks,
  renderEquityCurve,
  renderExpectedMaxSharpe,
  renderIsOosScatter,
  renderMetricHistogram,
  renderPboLogits,
  renderPerformanceComparison,
  renderWalkForwardEquity,
  scatterAxis,
  sharpeAxis,
  walkForwardAxis,
} from '../src';

const PNG = '\x89PNG';
const inside = (axis: { min: number; max: number }, ...values: number[]) => {
  for (const v of values.filter(Number.isFinite)) {
    expect(v).toBeGreaterThanOrEqual(axis.min);
    expect(v).toBeLessThanOrEqual(axis.max);
  }
};

interface Case {
  name: string;
  /** The selection metric of every strategy on training (a win rate) and on validation. */
  training: number[];
  validation: number[];
  best: { training: number; validation: number };
  returns: { training: number; validation: number; heldTraining: number; heldValidation: number };
  /** Equity of the strategy and of buy-and-hold, bar by bar. */
  strategy: number[];
  held: number[];
}

const bars = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));
const CASES: Case[] = [
  {
    name: 'one trade: every win rate is 0 % or 100 %',
    training: bars(50, (i) => (i % 3 ? 0 : 1)),
    validation: bars(50, (i) => (i % 2 ? 1 : 0)),
    best: { training: 1, validation: 0 },
    returns: { training: 0.04, validation: -0.02, heldTraining: 0.1, heldValidation: 0.05 },
    strategy: bars(400, (i) => (i < 100 ? 1 : 1.04)),
    held: bars(400, (i) => 1 + i / 4000),
  },
  {
    name: 'all losing trades: win rate 0 %, equity down 99 %',
    training: bars(200, () => 0),
    validation: bars(200, () => 0),
    best: { training: 0, validation: 0 },
    returns: { training: -0.99, validation: -0.6, heldTraining: -0.5, heldValidation: -0.3 },
    strategy: bars(400, (i) => 0.99 ** (i * 1.15)),
    held: bars(400, (i) => 1 - i / 800),
  },
  {
    name: 'a +300 % return',
    training: bars(300, (i) => 0.3 + (i % 50) / 100),
    validation: bars(300, (i) => 0.35 + (i % 40) / 100),
    best: { training: 0.79, validation: 0.36 },
    returns: { training: 3, validation: 0.4, heldTraining: 22.5, heldValidation: -0.87 },
    strategy: bars(400, (i) => 4 ** (i / 399)),
    held: bars(400, (i) => 23.5 ** (i / 399)),
  },
  {
    name: 'very short windows: 50 bars',
    training: bars(20, (i) => 0.4 + i / 100),
    validation: bars(20, (i) => 0.5 - i / 100),
    best: { training: 0.59, validation: 0.71 },
    returns: { training: 0.012, validation: -0.004, heldTraining: 0.02, heldValidation: 0.001 },
    strategy: bars(50, (i) => 1 + (i % 7) / 1000),
    held: bars(50, (i) => 1 + i / 5000),
  },
  {
    name: 'a flat strategy: never trades',
    training: bars(100, (i) => 0.45 + (i % 10) / 100),
    validation: bars(100, (i) => 0.4 + (i % 10) / 100),
    best: { training: 0.54, validation: Number.NaN },
    returns: { training: 0, validation: 0, heldTraining: 0, heldValidation: 0 },
    strategy: bars(300, () => 1),
    held: bars(300, () => 1),
  },
];

describe.each(CASES)('$name', (c) => {
  const time = c.strategy.map((_, i) => Date.UTC(2022, 0, 1) + i * 86_400_000);
  const split = Math.floor(c.strategy.length * 0.7);

  it('histogram: both marked values lie on the axis, and it renders', async () => {
    const axis = histogramAxis(
      Math.min(...c.training),
      Math.max(...c.training),
      [c.best.training, c.best.validation],
      [0, 1],
    );
    inside(axis, c.best.training, c.best.validation, ...c.training);
    inside({ min: 0, max: 1 }, ...axis.ticks); // a rate's ticks never pass 0 % or 100 %
    const png = await renderMetricHistogram({
      values: c.training,
      metricLabel: 'Win rate',
      best: { id: 's1', ...c.best },
      bounds: [0, 1],
    });
    expect(png.subarray(0, 4).toString('latin1')).toBe(PNG);
  });

  it('comparison: every bar ends inside its panel, a return axis never below −100 %', async () => {
    const { training, validation, heldTraining, heldValidation } = c.returns;
    const values = [training, validation, heldTraining, heldValidation];
    const axis = comparisonAxis(values, [-1, Number.POSITIVE_INFINITY]);
    inside(axis, 0, ...values);
    expect(axis.min).toBeGreaterThanOrEqual(-1);
    const png = await renderPerformanceComparison({
      metrics: [
        { label: 'Win rate', ...c.best, format: 'percent', bounds: [0, 1] },
        {
          label: 'Annualised return',
          training,
          validation,
          format: 'percent',
          bounds: [-1, Number.POSITIVE_INFINITY],
          benchmark: { training: heldTraining, validation: heldValidation },
        },
      ],
      windowLabels: ['training, 35 days', 'validation, 15 days'],
    });
    expect(png.subarray(0, 4).toString('latin1')).toBe(PNG);
  });

  it('equity curve and walk-forward: both lines inside the axis, ≥ 3 ticks, and they render', async () => {
    for (const axis of [equityAxis(c.strategy, c.held, true), walkForwardAxis(c.strategy, c.held)]) {
      inside(axis, ...c.strategy, ...c.held);
      const ticks = axis.log ? logTicks(axis.min, axis.max, 400) : axis.ticks;
      expect(ticks.length).toBeGreaterThanOrEqual(3);
      inside(axis, ...ticks);
    }
    const equity = await renderEquityCurve({
      time,
      strategy: c.strategy,
      buyAndHold: c.held,
      splitIndex: split,
      strategyLabel: 's1',
      logScale: true,
    });
    const walkForward = await renderWalkForwardEquity({
      time,
      equity: c.strategy,
      buyAndHold: c.held,
      foldStarts: [0, split],
      foldLabels: ['s1 momentum', 'flat'],
      totalReturn: c.strategy[c.strategy.length - 1] - 1,
    });
    for (const png of [equity, walkForward]) expect(png.subarray(0, 4).toString('latin1')).toBe(PNG);
  });

  it('scatter, expected max Sharpe and logits: points, the observed Sharpe and λ = 0 inside the axes, and they render', async () => {
    // The selected strategy is one of the points: first here.
    const [training, validation] = [
      [c.best.training, ...c.training],
      [c.best.validation, ...c.validation],
    ];
    inside(scatterAxis(training, validation), ...training, ...validation);
    const observed = c.returns.training * 10 - 2; // any Sharpe, negative ones included
    const curve = [0, 0.5, 1, 1.4];
    inside(sharpeAxis(curve, observed), observed, ...curve);
    const logits = c.training.map((v) => (v - 0.5) * 9);
    inside(logitAxis(logits), 0, ...logits);
    const pngs = await Promise.all([
      renderIsOosScatter({
        training,
        validation,
        eligible: training.map(() => true),
        selected: 0,
        metricLabel: 'Win rate',
        format: 'percent',
        rho: c.training.length > 20 ? 0.05 : null,
      }),
      renderExpectedMaxSharpe({
        trials: [1, 10, 100, 1000],
        expectedMax: curve,
        observed: { trials: 40, sharpeAnnual: observed, label: 'selected' },
        bars: c.strategy.length,
      }),
      renderPboLogits({ logits, pbo: 0.5, partitions: 16, rankedBy: 'win rate' }),
    ]);
    for (const png of pngs) expect(png.subarray(0, 4).toString('latin1')).toBe(PNG);
  });
});
