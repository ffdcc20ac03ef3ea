// Chart.js drawing on @napi-rs/canvas (prebuilt Skia: no system libraries, runs on Lambda). Lambda has no
// system fonts either, and a chart without a registered font renders with no text at all, so Inter ships with us.
import { createCanvas, GlobalFonts, type Canvas } from '@napi-rs/canvas';
import { Chart, registerables, type ChartConfiguration, type Plugin } from 'chart.js';

export const FONT_FAMILY = 'Inter';
const FONT_FILES = ['inter-latin-400-normal.woff2', 'inter-latin-600-normal.woff2'];

let ready = false;

/** Where the font files are: the npm package, which the Lambda bundle ships beside it (tools/build-lambdas.mjs). */
function fontPath(file: string): string {
  return require.resolve(`@fontsource/inter/files/${file}`);
}

export function setUpCharts(): void {
  if (ready) return;
  Chart.register(...registerables);
  for (const file of FONT_FILES) {
    if (!GlobalFonts.registerFromPath(fontPath(file), FONT_FAMILY)) throw new Error(`could not register font ${file}`);
  }
  Chart.defaults.font.family = FONT_FAMILY;
  Chart.defaults.font.size = 13;
  Chart.defaults.color = '#1f2937';
  ready = true;
}

export function registeredFontFamilies(): string[] {
  setUpCharts();
  return GlobalFonts.families.map((f) => f.family);
}

export const COLORS = {
  training: '#2563eb',
  validation: '#ea580c',
  benchmark: '#6b7280',
  grid: '#e5e7eb',
  text: '#1f2937',
  muted: '#6b7280',
};

const whiteBackground: Plugin = {
  id: 'whiteBackground',
  beforeDraw: (chart) => {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

/**
 * Draw one chart on a fresh canvas and hand the canvas to `use` (encode it, or copy it into a larger figure)
 * before the chart is destroyed: Chart.destroy() clears its canvas.
 */
export async function withChart<T>(
  config: ChartConfiguration,
  width: number,
  height: number,
  use: (canvas: Canvas) => T | Promise<T>,
): Promise<T> {
  setUpCharts();
  const canvas = createCanvas(width, height);
  const chart = new Chart(canvas.getContext('2d') as unknown as ConstructorParameters<typeof Chart>[0], {
    ...config,
    options: { ...config.options, responsive: false, animation: false, devicePixelRatio: 1 },
    plugins: [whiteBackground, ...(config.plugins ?? [])],
  });
  try {
    return await use(canvas);
  } finally {
    chart.destroy();
  }
}

export const encodePng = (canvas: Canvas): Promise<Buffer> => canvas.encode('png');

export function formatValue(value: number, format: 'percent' | 'number'): string {
  if (Number.isNaN(value)) return 'n/a';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  return format === 'percent' ? `${(value * 100).toFixed(1)} %` : value.toFixed(2);
}
