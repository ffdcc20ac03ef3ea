import { createCanvas, loadImage } from '@napi-rs/canvas';
import {
  COLORS,
  FONT_FAMILY,
  registeredFontFamilies,
  renderEquityCurve,
  renderMetricHistogram,
  renderPerformanceComparison,
} from '../src';
import { binCount, downsample } from '../src';

/** Decode a PNG and count the pixels close to a colour, so a test can tell a drawn marker from a blank image. */
async function decode(png: Buffer) {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const { data } = ctx.getImageData(0, 0, image.width, image.height);
  const count = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    let n = 0;
    for (let i = 0; i < data.length; i += 4)
      if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 30) n++;
    return n;
  };
  return { width: image.width, height: image.height, count };
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const winRates = Array.from({ length: 300 }, (_, i) => 0.4 + ((i * 7919) % 300) / 1500);

const histogram = (validation: number | null = 0.47) =>
  renderMetricHistogram({
    values: winRates,
    metricLabel: 'Win rate',
    best: { id: 's0042', training: 0.6, validation },
  });

const comparison = () =>
  renderPerformanceComparison({
    metrics: [
      { label: 'Win rate', training: 0.62, validation: 0.48, format: 'percent' },
      { label: 'Sharpe ratio', training: 1.4, validation: -0.2, format: 'number' },
      { label: 'Profit factor', training: 1.3, validation: Number.NaN, format: 'number' },
    ],
    verdict: 'OVERFIT: win rate fell 22.6 %',
  });

const equity = (n: number) => {
  const time = Float64Array.from({ length: n }, (_, i) => Date.UTC(2020, 0, 1) + i * 3_600_000);
  const strategy = Float64Array.from({ length: n }, (_, i) => 1 + 0.5 * Math.sin(i / 500) ** 2);
  const buyAndHold = Float64Array.from({ length: n }, (_, i) => 1 + i / n);
  return renderEquityCurve({
    time,
    strategy,
    buyAndHold,
    splitIndex: Math.floor(n * 0.7),
    strategyLabel: 's0042',
    logScale: true,
  });
};

describe('figures', () => {
  it('registers the bundled font, so text never silently disappears (Lambda has no system fonts)', () => {
    expect(registeredFontFamilies()).toContain(FONT_FAMILY);
  });

  it('draws the histogram with both markers at the requested size', async () => {
    const png = await histogram();
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    const image = await decode(png);
    expect([image.width, image.height]).toEqual([1000, 560]);
    expect(image.count(COLORS.training)).toBeGreaterThan(500); // the solid training marker line and its label
    expect(image.count(COLORS.validation)).toBeGreaterThan(300); // the dashed validation marker and its label
  });

  it('omits the validation marker when the validation value is undefined', async () => {
    const image = await decode(await histogram(null));
    expect(image.count(COLORS.validation)).toBe(0);
  });

  it('draws training and validation bars for each metric', async () => {
    const image = await decode(await comparison());
    expect(image.count(COLORS.training)).toBeGreaterThan(5000);
    expect(image.count(COLORS.validation)).toBeGreaterThan(2000);
  });

  it('draws a 70,000-bar equity curve with the split shaded', async () => {
    const image = await decode(await equity(70_000));
    expect(image.count(COLORS.training)).toBeGreaterThan(1000);
    expect(image.count(COLORS.validation)).toBeGreaterThan(100);
  });

  it('is deterministic: the same input gives the same bytes', async () => {
    expect((await histogram()).equals(await histogram())).toBe(true);
    expect((await comparison()).equals(await comparison())).toBe(true);
  });

  it('refuses what it cannot draw, with a reason', async () => {
    await expect(
      renderMetricHistogram({
        values: [Number.NaN, Number.NaN],
        metricLabel: 'Win rate',
        best: { id: 's1', training: Number.NaN, validation: null },
      }),
    ).rejects.toThrow('no strategy has a defined Win rate');
    await expect(
      renderEquityCurve({
        time: [1, 2, 3],
        strategy: [1, 1],
        buyAndHold: [1, 1, 1],
        splitIndex: 1,
        strategyLabel: 'x',
      }),
    ).rejects.toThrow('equal lengths');
    await expect(renderPerformanceComparison({ metrics: [] })).rejects.toThrow('no metrics');
  });
});

describe('helpers', () => {
  it('keeps extremes, ends and the split point when downsampling', () => {
    const n = 10_000;
    const time = Float64Array.from({ length: n }, (_, i) => i);
    const values = Float64Array.from({ length: n }, (_, i) => (i === 1234 ? 99 : i === 8765 ? -99 : 0));
    const points = downsample(time, values, 300, 7000);
    expect(points.length).toBeLessThanOrEqual(300 + 3);
    const xs = points.map((p) => p.x);
    expect(xs).toEqual(expect.arrayContaining([0, 1234, 7000, 8765, n - 1]));
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
  });

  it('picks Freedman–Diaconis bins within 10…60', () => {
    expect(binCount(Float64Array.from({ length: 1000 }, (_, i) => i))).toBe(10); // width 2·500/10 = 100 → 10 bins
    expect(binCount(Float64Array.from({ length: 8 }, () => 1))).toBe(10); // no spread
  });
});
