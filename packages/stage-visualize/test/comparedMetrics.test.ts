import { YEAR_MS } from '@overfit/core';
import type { ValidationResults } from '@overfit/store';
import { comparedMetrics, formatSpan, windowYears } from '../src/comparedMetrics';

const DAY = 86_400_000;
const metrics = (totalReturn: number, cagr: number) =>
  ({
    totalReturn,
    cagr,
    sharpe: 1,
    maxDrawdown: 0.2,
    winRate: 0.6,
    hitRate: 0.5,
    profitFactor: 1.5,
  }) as unknown as ValidationResults['training'];

/** Validation results over `bars` daily bars split at `split`, with the daily data's real returns. */
function results(bars: number, split: number): { results: ValidationResults; time: number[] } {
  const time = Array.from({ length: bars }, (_, i) => i * DAY);
  const window = (start: number, end: number) => ({ start, end, bars: end - start, first: '', last: '' });
  return {
    time,
    results: {
      windows: { training: window(0, split), validation: window(split, bars) },
      training: metrics(14.997, 0.62),
      validation: metrics(0.822, 0.28),
      buyAndHold: { training: metrics(53.7, 0.67), validation: metrics(2.92, 0.5) },
    } as unknown as ValidationResults,
  };
}

it('compares annualised returns, with buy-and-hold, when both windows are long enough', () => {
  const { results: r, time } = results(4091, 2863);
  expect(windowYears(time, r.windows.training)).toBeCloseTo(2862 / 365, 6);
  const { metrics: panels, windowLabels } = comparedMetrics(r, 'winRate', time);
  expect(panels.map((p) => p.label)).toEqual([
    'Win rate',
    'Annualised return (CAGR)',
    'Sharpe ratio',
    'Max drawdown',
    'Hit rate',
    'Profit factor',
  ]);
  expect(panels[1]).toMatchObject({ training: 0.62, validation: 0.28, benchmark: { training: 0.67, validation: 0.5 } });
  expect(panels[1].bounds?.[0]).toBe(-1);
  expect(panels[0].benchmark).toBeUndefined(); // buy-and-hold's "win rate" is one trade
  expect(windowLabels).toEqual(['training, 7.8 years', 'validation, 3.4 years']);
});

it('does not annualise a window under three months: total return, and the panel says why', () => {
  const { results: r, time } = results(120, 80); // 79 and 39 days
  const { metrics: panels, windowLabels } = comparedMetrics(r, 'sharpe', time);
  expect(panels.map((p) => p.label).slice(0, 3)).toEqual([
    'Sharpe ratio',
    'Win rate',
    'Total return (a window < 3 months: not annualised)',
  ]);
  expect(panels[2].training).toBe(14.997);
  expect(windowLabels).toEqual(['training, 2.6 months', 'validation, 39 days']);
});

it('spells a span in the unit a reader compares', () => {
  expect([2.44, 0.5, 0.1, 14 / 365].map(formatSpan)).toEqual(['2.4 years', '6.0 months', '37 days', '14 days']);
  expect(windowYears([0, YEAR_MS], { start: 0, end: 2, bars: 2, first: '', last: '' })).toBe(1);
});
