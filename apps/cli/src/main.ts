// Entry point of the `overfit` binary: dispatch, and the one place errors become exit codes.
// A user's mistake (InputError) is one line naming the place, exit 2; anything else is exit 1 with its message
// (set OVERFIT_DEBUG=1 for the stack).
import { isInputError } from '@overfit/core';
import { backtestCommand } from './backtestCommand';
import { HELP } from './help';
import { runCommand } from './runCommand';
import { stageCommand } from './stageCommand';
import { storeCommand } from './storeCommand';
import { dataCommand } from './dataCommand';
import { benchCommand } from './benchCommand';
import { cloudCommand } from './cloudCommand';
import { inFlagWords } from './flags';

const COMMANDS: Record<string, (args: string[]) => Promise<string>> = {
  run: runCommand,
  backtest: backtestCommand,
  stage: stageCommand,
  store: storeCommand,
  data: dataCommand,
  bench: benchCommand,
  cloud: (args) => cloudCommand(args),
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${HELP}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(
      `overfit: unknown command "${name}" (run, backtest, stage, store, data, bench, cloud; see overfit --help)\n`,
    );
    return 2;
  }
  try {
    process.stdout.write(`${await command(args)}\n`);
    return 0;
  } catch (error) {
    if (isInputError(error)) {
      process.stderr.write(`overfit: ${inFlagWords(error)}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`overfit: ${message}\n`);
    if (process.env.OVERFIT_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    return 1;
  }
}
