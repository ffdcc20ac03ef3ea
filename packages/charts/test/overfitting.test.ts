import { createCanvas, loadImage } from '@napi-rs/canvas';
import { COLORS, renderExpectedMaxSharpe, renderIsOosScatter, renderPboLogits, renderWalkForwardEquity } from '../src';

const { abs } = Math; // a local: under jest every global lookup in a hot loop is slow

/** Decode a PNG and count pixels close to a colour: a drawn marker or bar shows up, a blank figure does not. */
async function colourCount(png: Buffer, hex: string): Promise<number> {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const { data } = ctx.getImageData(0, 0, image.width, image.height);
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let i = 0; i < data.length; i += 4) if (abs(data[i] - r) + abs(data[i + 1] - g) + abs(data[i + 2] - b) < 40) n++;
  return n;
}

const RED = '#e46464'; // the λ ≤ 0 bars (rgba(220, 38, 38, 0.65) on white)

describe('overfitting figures', () => {
  it('scatter: marks the selected strategy among all the others', async () => {
    const training = Array.from({ length: 200 }, (_, i) => 0.3 + (i % 40) / 100);
    const validation = Array.from({ length: 200 }, (_, i) => 0.3 + ((i * 7) % 40) / 100);
    const draw = (selected: number) =>
      renderIsOosScatter({
        training,
        validation,
        eligible: training.map(() => true),
        selected,
        metricLabel: 'Win rate',
        format: 'percent',
        rho: 0.05,
      });
    const marked = await colourCount(await draw(39), COLORS.validation);
    const legendOnly = await colourCount(await draw(-1), COLORS.validation);
    expect(marked - legendOnly).toBeGreaterThan(100); // the selected point, radius 8
  });

  it('logits: the red area grows with the share of λ ≤ 0', async () => {
    const mostlyBelow = Array.from({ length: 1000 }, (_, i) => (i < 800 ? -1 - (i % 10) / 10 : 1 + (i % 10) / 10));
    const mostlyAbove = mostlyBelow.map((l) => -l);
    const below = await colourCount(
      await renderPboLogits({ logits: mostlyBelow, pbo: 0.8, partitions: 16, rankedBy: 'win rate' }),
      RED,
    );
    const above = await colourCount(
      await renderPboLogits({ logits: mostlyAbove, pbo: 0.2, partitions: 16, rankedBy: 'win rate' }),
      RED,
    );
    expect(below).toBeGreaterThan(2 * above);
  });

  it('expected max Sharpe: draws the curve and the observed best', async () => {
    const trials = [1, 10, 100, 1000];
    const png = await renderExpectedMaxSharpe({
      trials,
      expectedMax: [0, 1.5, 2.4, 3.1],
      observed: { trials: 500, sharpeAnnual: 1.2, label: 'selected strategy s1: its training Sharpe' },
      bars: 5000,
    });
    expect(await colourCount(png, COLORS.training)).toBeGreaterThan(500);
    expect(await colourCount(png, COLORS.validation)).toBeGreaterThan(100);
  });

  it('walk-forward: draws the chained equity and refuses unequal lengths', async () => {
    const n = 5000;
    const time = Float64Array.from({ length: n }, (_, i) => Date.UTC(2021, 0, 1) + i * 3_600_000);
    const equity = Float64Array.from({ length: n }, (_, i) => 1 + i / n);
    const png = await renderWalkForwardEquity({
      time,
      equity,
      buyAndHold: equity.map((e) => 2 - e),
      foldStarts: [0, 2500],
      foldLabels: ['s1', 's2'],
      totalReturn: 1,
    });
    expect(await colourCount(png, COLORS.validation)).toBeGreaterThan(1000);
    await expect(
      renderWalkForwardEquity({
        time,
        equity: equity.subarray(1),
        buyAndHold: equity,
        foldStarts: [0],
        foldLabels: [],
        totalReturn: 0,
      }),
    ).rejects.toThrow('equal lengths');
  });
});
