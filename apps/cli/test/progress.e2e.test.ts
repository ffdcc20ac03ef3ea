// Progress on a terminal: `overfit run` under a pseudo-terminal (util-linux `script`, which gives the child a tty for
// stdout and stderr alike) draws its backtest bar, and with --json draws nothing, so the output parses as JSON.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { BIN_PATH, cliTempRootWithPrices, flags } from './spawnCli';

const SCRIPT = '/usr/bin/script';
const canRunInTty = process.platform === 'linux' && existsSync(SCRIPT);

let root: string;
let prices: string;
beforeAll(async () => {
  ({ root, prices } = await cliTempRootWithPrices('overfit-cli-tty-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** What a terminal shows for `overfit …args`, carriage returns as new lines. */
function inTerminal(args: string[]): Promise<string> {
  const command = [process.execPath, BIN_PATH, ...args].map((a) => `'${a}'`).join(' ');
  return new Promise((done, fail) => {
    execFile(SCRIPT, ['-qec', command, '/dev/null'], { cwd: root, timeout: 300_000 }, (error, stdout) =>
      error ? fail(error) : done(stdout.replace(/\r\n?/g, '\n')),
    );
  });
}

(canRunInTty ? describe : describe.skip)('progress on a terminal', () => {
  it('draws the backtest bar, and nothing under --json', async () => {
    const run = ['run', ...flags({ data: prices, strategies: 200, 'null-markets': 0, store: 'store-tty' })];
    const text = await inTerminal(run);
    expect(text).toMatch(/^backtest \[#+\.*\] \d+% \(\d+\/200\)$/m);
    expect(text).toMatch(/^backtest \[#{30}\] 100% \(200\/200\)$/m);
    const json = await inTerminal([...run, '--json']);
    expect(json).not.toMatch(/backtest \[/);
    expect(JSON.parse(json).strategies).toBe(200);
  }, 600_000);
});
