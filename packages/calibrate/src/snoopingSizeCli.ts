// npm run bench:snooping-pipeline [-- --runs 100 --seed 5 --bars 8760]: the size of Reality Check and of SPA
// (bootstrap-t and plain) on the pipeline's block sums of 500 strategies on no-edge markets at 0 bps
// (snoopingSize.ts). Prints a markdown table with 95 % Wilson intervals.
import { rejectionCell, runStudy, sizeStudy } from './sizeStudy';
import { SNOOPING_VARIANTS, snoopingSample, type SnoopingSample } from './snoopingSize';

function row(label: string, samples: SnoopingSample[]): string {
  const cells = SNOOPING_VARIANTS.map((variant) => rejectionCell(samples.map((s) => s.p[variant])));
  return `| ${label} | ${samples.length} | ${cells.join(' | ')} |`;
}

async function main(): Promise<void> {
  const { runs, seed, bars, source, markets } = await sizeStudy({ runs: 100, seed: 5 });
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

runStudy(main);
