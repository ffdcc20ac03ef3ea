// The progress bar's rules (a terminal only, never with --json) and the metrics table's short-window marking.
import { METRIC_NAMES, type Metrics } from '@overfit/core';
import { metricsTable, progressBar } from '../src/format';

const stream = (isTTY: boolean) => {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) };
};

describe('progressBar', () => {
  it('draws on a terminal, a new line for a new label, and ends the line', () => {
    const tty = stream(true);
    const bar = progressBar(false, tty);
    bar.update('backtest', 1, 2);
    bar.update('backtest', 1, 2); // the same percentage is not drawn twice
    bar.update('validate: null markets', 3, 3);
    bar.end();
    expect(tty.written).toEqual([
      '\rbacktest [###############...............] 50% (1/2)',
      '\n',
      '\rvalidate: null markets [##############################] 100% (3/3)',
      '\n',
    ]);
  });

  it('writes nothing when stderr is not a terminal, or under --json', () => {
    for (const [quiet, out] of [
      [false, stream(false)],
      [true, stream(true)],
    ] as const) {
      const bar = progressBar(quiet, out);
      bar.update('backtest', 1, 2);
      bar.end();
      expect(out.written).toEqual([]);
    }
  });
});

describe('metricsTable', () => {
  const metrics = Object.fromEntries(METRIC_NAMES.map((m) => [m, 1.5])) as unknown as Metrics;
  it('shows CAGR and Calmar only on windows of at least three months, and says why', () => {
    const text = metricsTable([
      { title: 'long', metrics, years: 1 },
      { title: 'short', metrics, years: 30 / 365 },
    ]);
    expect(text).toMatch(/^CAGR +150\.00 % +n\/a\*$/m);
    expect(text).toMatch(/^Calmar ratio +1\.500 +n\/a\*$/m);
    expect(text).toMatch(/^Sharpe ratio +1\.500 +1\.500$/m);
    expect(text.split('\n').pop()).toBe(
      'n/a* CAGR and Calmar ratio are not annualised on a window shorter than 3 months (here 30 days): a yearly rate would be an extrapolation.',
    );
    expect(metricsTable([{ title: 'long', metrics, years: 1 }])).not.toMatch(/n\/a/);
  });
});
