// Entry point of the `overfit` binary: the one place outcomes become output and exit codes.
// A user's mistake (InputError) is one line naming the place, exit 2; anything else is exit 1 with its message
// (set OVERFIT_DEBUG=1 for the stack). Help asked for goes to stdout with exit 0; help shown because a command was
// missing goes to stderr with exit 2.
import { isInputError } from '@overfit/core';
import { dispatch } from './commands';
import { inFlagWords } from './flags';

export async function main(argv: string[]): Promise<number> {
  try {
    const { output, code } = await dispatch(argv);
    (code === 0 ? process.stdout : process.stderr).write(`${output}\n`);
    return code;
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
