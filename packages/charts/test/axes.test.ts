import fc from 'fast-check';
import { formatLogTick, formatTick, logRange, logTicks, niceStep, niceTicks } from '../src/axes';
import { countAxis, histogramAxis, markerLabelLeft } from '../src/histogram';

/** Is every gap between neighbouring ticks the same 1-2-5 × 10^k step? */
const isOneTwoFive = (step: number) => {
  const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
  return [1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-6);
};
const steps = (ticks: number[]) => ticks.slice(1).map((t, i) => t - ticks[i]);

describe('niceStep', () => {
  it('rounds up to 1, 2 or 5 × 10^k', () => {
    expect([0.013, 0.02, 0.031, 0.7, 1, 1.01, 4, 6, 2400].map(niceStep)).toEqual([
      0.02, 0.02, 0.05, 1, 1, 2, 5, 10, 5000,
    ]);
  });
});

describe('niceTicks', () => {
  it('the real win-rate case: 20 %…80 % bins and a validation value of 68.8 % give round ends', () => {
    const axis = niceTicks(0.2, 0.8, { floor: 0, ceiling: 1, maxTicks: 11 });
    expect(axis).toEqual({ min: 0.2, max: 0.8, step: 0.1, ticks: [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8] });
    expect(niceTicks(0.24, 0.711, { floor: 0, ceiling: 1, maxTicks: 11 }).max).toBe(0.8); // never 71.1 %
  });

  it('a return never goes below −100 %: the floor clamps the rounded-out end', () => {
    expect(niceTicks(-1, 1.2, { floor: -1 })).toEqual({
      min: -1,
      max: 1.5,
      step: 0.5,
      ticks: [-1, -0.5, 0, 0.5, 1, 1.5],
    });
    expect(niceTicks(-0.99, 24, { floor: -1 }).min).toBe(-1);
  });

  it('a flat value (a flat strategy at 0) gets a range around it', () => {
    expect(niceTicks(0, 0)).toEqual({ min: -1, max: 1, step: 0.5, ticks: [-1, -0.5, 0, 0.5, 1] });
    expect(niceTicks(2, 2).ticks).toEqual([1.8, 1.9, 2, 2.1, 2.2]);
  });

  it('property: covers the data, ≥ 3 ticks, 1-2-5 steps, every tick inside, distinct labels', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.integer({ min: 5, max: 12 }),
        (lo, rawWidth, maxTicks) => {
          // Widths below float resolution at lo are a flat value (tested above), not a range.
          const width = rawWidth < 1e-6 * Math.max(1, Math.abs(lo)) ? 0 : rawWidth;
          const axis = niceTicks(lo, lo + width, { maxTicks });
          const noise = 1e-9 * Math.max(1, Math.abs(lo) + width); // ticks are rounded to 12 significant digits
          expect(axis.min).toBeLessThanOrEqual(lo + noise);
          expect(axis.max).toBeGreaterThanOrEqual(lo + width - noise);
          expect(axis.ticks.length).toBeGreaterThanOrEqual(3);
          expect(axis.ticks.length).toBeLessThanOrEqual(maxTicks);
          expect(isOneTwoFive(axis.step)).toBe(true);
          for (const s of steps(axis.ticks)) expect(Math.abs(s - axis.step)).toBeLessThan(axis.step * 1e-6);
          for (const t of axis.ticks) expect(t >= axis.min && t <= axis.max).toBe(true);
          for (const format of ['percent', 'number'] as const) {
            const labels = axis.ticks.map((t) => formatTick(t, axis.step, format));
            expect(new Set(labels).size).toBe(labels.length);
          }
        },
      ),
    );
  });
});

describe('formatTick', () => {
  it('prints the decimals the step needs and no more', () => {
    expect(formatTick(0.7, 0.1, 'percent')).toBe('70 %');
    expect(formatTick(0.125, 0.005, 'percent')).toBe('12.5 %');
    expect(formatTick(24, 5, 'percent')).toBe('2,400 %');
    expect(formatTick(1.5, 0.5, 'number')).toBe('1.5');
    expect(formatTick(-0.02, 0.01, 'number')).toBe('-0.02');
  });
});

describe('log axis', () => {
  it('the demo: a line up to 1.3 gets ticks above 1 and room above it', () => {
    const range = logRange(0.8, 1.3);
    expect(range.max).toBeGreaterThan(1.3);
    expect(range.min).toBeLessThan(0.8);
    const ticks = logTicks(range.min, range.max, 400);
    expect(ticks.filter((t) => t > 1).length).toBeGreaterThanOrEqual(1);
    expect(ticks.length).toBeGreaterThanOrEqual(3);
  });

  it('hand-computed: narrow 0.6–1.0 goes linear, a wide daily range uses 1-2-5 per decade', () => {
    expect(logTicks(0.58, 1.05, 400)).toEqual([0.6, 0.7, 0.8, 0.9, 1]);
    expect(logTicks(0.58, 1.05, 60)).toEqual([0.6, 0.8, 1]); // a short plot: fewer, so labels stay 22 px apart
    expect(logTicks(0.45, 300, 400)).toEqual([0.5, 1, 2, 5, 10, 20, 50, 100, 200]);
    // Ten decades on a short axis: 1-2-5 would overlap, so one tick every decade or two.
    expect(logTicks(1e-3, 1e7, 200)).toEqual([1e-2, 1, 100, 1e4, 1e6]);
  });

  it('labels print without trailing zeros and keep thousands apart', () => {
    expect([0.05, 0.6, 1, 20, 1000].map(formatLogTick)).toEqual(['0.05', '0.6', '1', '20', '1,000']);
  });

  it('property: ≥ 3 ticks inside any range, labels at least 22 px apart, distinct, 1-2-5 values', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -4, max: 4, noNaN: true }),
        fc.double({ min: 0, max: 8, noNaN: true }),
        fc.integer({ min: 250, max: 900 }),
        (lowExp, decades, pixels) => {
          const range = logRange(10 ** lowExp, 10 ** (lowExp + decades));
          const ticks = logTicks(range.min, range.max, pixels);
          expect(ticks.length).toBeGreaterThanOrEqual(3);
          const span = Math.log10(range.max) - Math.log10(range.min);
          ticks.forEach((t, i) => {
            expect(t >= range.min && t <= range.max).toBe(true);
            if (i > 0) expect(((Math.log10(t) - Math.log10(ticks[i - 1])) / span) * pixels).toBeGreaterThanOrEqual(22);
            // Every tick is a 1, 2 or 5 (× 10^k) or a multiple of a 1-2-5 step (0.6, 0.8 on a narrow range).
            expect(isOneTwoFive(t) || steps(ticks).every(isOneTwoFive)).toBe(true);
          });
          expect(new Set(ticks.map(formatLogTick)).size).toBe(ticks.length);
        },
      ),
    );
  });
});

describe('histogram axes', () => {
  it('counts: whole-number ticks with room above the tallest bar for the marker labels', () => {
    expect(countAxis(89)).toMatchObject({ min: 0, max: 120, ticks: [0, 20, 40, 60, 80, 100, 120] });
    expect(countAxis(1).ticks).toEqual([0, 1, 2, 3, 4, 5]);
    // The hourly run: bins 16 %…66.6 %, the winner 66.6 % on training and 68.8 % on validation.
    const axis = histogramAxis(0.16, 0.666, [0.666, 0.688], [0, 1]);
    expect(axis.ticks).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
    expect(axis.max).toBeGreaterThan(0.7); // 2 % past the last tick: a line there is drawn inside the plot
  });
});

describe('histogram marker labels', () => {
  const area = { left: 50, right: 950 };
  it('go on the side away from the other line, and never leave the plot', () => {
    expect(markerLabelLeft(600, 400, 200, area)).toBe(606); // training right of validation: label to its right
    expect(markerLabelLeft(400, 600, 200, area)).toBe(194); // validation to the left: label to its left
    // No room right of the line at 900: left of both lines (the other is at 880), not across the other one.
    expect(markerLabelLeft(900, 880, 200, area)).toBe(674);
    // One trade: lines at 0 % and 100 %, each label inside next to its own line.
    expect(markerLabelLeft(940, 60, 200, area)).toBe(734);
    expect(markerLabelLeft(60, 940, 200, area)).toBe(66);
    expect(markerLabelLeft(500, Number.NaN, 2000, area)).toBe(50); // too wide for anything: clamped
  });
});
