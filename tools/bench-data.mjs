// Benchmark (not a test): how long readPriceCsv takes for a 1,000,000-row price file, in the generic layout and as
// a headerless Binance kline dump. The files are generated in the temp folder; @overfit/data is bundled with
// esbuild first, so this measures the same JavaScript the CLI runs. Usage: npm run bench:data [-- rows]
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { bundleInTemp, ROOT } from './bench-bundle.mjs';

const rows = Number(process.argv[2] ?? 1_000_000);
// The generated price files go in the bundle's temp folder, removed at the end.
const { dir, file: bundle } = await bundleInTemp(join(ROOT, 'packages/data/src/index.ts'), 'bench-data');
const { readPriceCsv, syntheticMarket, formatPriceCsv } = createRequire(import.meta.url)(bundle);

const series = syntheticMarket({ bars: rows, seed: 1, intervalMs: 60_000 });
const files = {
  'generic (ISO times)': formatPriceCsv(series),
  'binance (headerless, epoch ms)':
    Array.from(
      series.time,
      (t, i) =>
        `${t},${series.open[i]},${series.high[i]},${series.low[i]},${series.close[i]},${series.volume[i]},${t + 59_999},0,1,0,0,0`,
    ).join('\n') + '\n',
};
console.log(
  `readPriceCsv, ${rows.toLocaleString('en')} rows, best of 3 (Node ${process.version}, load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores):`,
);
/** Milliseconds as seconds with two decimals. */
const seconds = (ms) => (ms / 1000).toFixed(2);
try {
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, 'prices.csv');
    writeFileSync(path, text);
    const times = [];
    const cpu = [];
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      const cpuStarted = process.cpuUsage();
      const { source } = await readPriceCsv(path);
      times.push(performance.now() - started);
      const used = process.cpuUsage(cpuStarted);
      cpu.push((used.user + used.system) / 1000);
      if (source.rows !== rows) throw new Error(`read ${source.rows} rows, wrote ${rows}`);
    }
    const best = Math.min(...times);
    // CPU time as well: on a shared machine the wall time also counts the waits for a core.
    console.log(
      `  ${name.padEnd(32)} ${seconds(best)} s wall, ${seconds(Math.min(...cpu))} s CPU  ` +
        `(${(Buffer.byteLength(text) / 1e6 / (best / 1000)).toFixed(0)} MB/s; runs ${times.map(seconds).join(', ')} s)`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
