// npm run bench:validation-tests [-- --runs 250 --seed 7 --bars 8760]: the size of each candidate out-of-sample
// test (validationTests.ts) on the four no-edge markets, selected by win rate and by Sharpe. Prints a markdown
// table: the share of selections in which each candidate rejects "no edge" at 5 %, with its 95 % Wilson interval.
import { CALIBRATION_METRICS } from './calibrate';
import { rejectionCell, runStudy, sizeStudy } from './sizeStudy';
import { VALIDATION_TESTS, validationSample, type ValidationSample } from './validationTests';

function row(label: string, samples: ValidationSample[]): string {
  const cells = VALIDATION_TESTS.map((test) =>
    rejectionCell(samples.map((s) => s.p[test]).filter((p): p is number => p !== null)),
  );
  const trades = samples.map((s) => s.trades).sort((a, b) => a - b)[samples.length >> 1];
  return `| ${label} | ${samples.length} | ${trades} | ${cells.join(' | ')} |`;
}

async function main(): Promise<void> {
  const { runs, seed, bars, source, markets } = await sizeStudy({ runs: 250, seed: 7 });
  const samples: ValidationSample[] = [];
  const started = performance.now();
  for (const market of markets) {
    for (let run = 0; run < runs; run++) {
      for (const selectBy of CALIBRATION_METRICS)
        samples.push(validationSample(market, selectBy, run, { seed, bars, source }));
    }
    process.stderr.write(`  ${market}: ${runs} runs, ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  }
  console.log(
    `Out-of-sample test candidates, no-edge markets, 0 bps, ${bars} bars, ${runs} runs per market, seed ${seed}` +
      `${source ? '' : ' (no real history: the bootstrap markets are skipped)'}; share rejecting at 5 % [95 % CI]\n`,
  );
  console.log(`| market · select by | selections | median validation trades | ${VALIDATION_TESTS.join(' | ')} |`);
  console.log(`| --- | ---: | ---: | ${VALIDATION_TESTS.map(() => '---:').join(' | ')} |`);
  for (const market of markets) {
    for (const selectBy of CALIBRATION_METRICS)
      console.log(
        row(
          `${market} · ${selectBy}`,
          samples.filter((s) => s.market === market && s.selectBy === selectBy),
        ),
      );
  }
  for (const selectBy of CALIBRATION_METRICS)
    console.log(
      row(
        `all · ${selectBy}`,
        samples.filter((s) => s.selectBy === selectBy),
      ),
    );
  console.log(row('**all**', samples));
}

runStudy(main);
