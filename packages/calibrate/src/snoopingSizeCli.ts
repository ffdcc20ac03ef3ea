// npm run bench:snooping-pipeline [-- --runs 100 --seed 5 --bars 8760]: the size of Reality Check and of SPA
// (bootstrap-t and plain) on the pipeline's block sums of 500 strategies on no-edge markets at 0 bps
// (snoopingSize.ts). Prints a markdown table with 95 % Wilson intervals.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { readPriceCsv } from '@overfit/data';
import { wilson } from './tallies';
import { DEFAULT_BARS, type MarketKind } from './marketKinds';
import { prepareRealSource } from './realSource';
import { SNOOPING_VARIANTS, snoopingSample, type SnoopingSample } from './snoopingSize';

const NO_EDGE: MarketKind[] = ['random_walk', 'garch', 'iid_bootstrap', 'block_bootstrap'];

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback;
}

function row(label: string, samples: SnoopingSample[]): string {
  const cells = SNOOPING_VARIANTS.map((variant) => {
    const r = wilson(samples.filter((s) => s.p[variant] <= 0.05).length, samples.length);
    return r.rate === null
      ? '–'
      : `${(100 * r.rate).toFixed(1)} % [${(100 * r.low!).toFixed(1)}, ${(100 * r.high!).toFixed(1)}]`;
  });
  return `| ${label} | ${samples.length} | ${cells.join(' | ')} |`;
}

async function main(): Promise<void> {
  const runs = Number(option('runs', '100'));
  const seed = Number(option('seed', '5'));
  const bars = Number(option('bars', String(DEFAULT_BARS)));
  const data = resolve(option('data', '../shared/data/btc_usd_1h.csv'));
  const source = existsSync(data) ? prepareRealSource((await readPriceCsv(data)).series, data) : null;
  const markets = source ? NO_EDGE : NO_EDGE.filter((m) => m === 'random_walk' || m === 'garch');
  const samples: SnoopingSample[] = [];
  const started = performance.now();
  for (const market of markets) {
    for (let run = 0; run < runs; run++) samples.push(snoopingSample(market, run, { seed, bars, source }));
    process.stderr.write(`  ${market}: ${runs} runs, ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  }
  console.log(
    `Reality Check and SPA (consistent p-value) on the pipeline's training block sums, 500 strategies, no-edge ` +
      `markets, 0 bps, ${bars} bars, ${runs} runs per market, seed ${seed}; share rejecting at 5 % [95 % CI]\n`,
  );
  console.log(`| market | runs | ${SNOOPING_VARIANTS.join(' | ')} |`);
  console.log(`| --- | ---: | ${SNOOPING_VARIANTS.map(() => '---:').join(' | ')} |`);
  for (const market of markets)
    console.log(
      row(
        market,
        samples.filter((s) => s.market === market),
      ),
    );
  console.log(row('**all**', samples));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
