// Every command and sub-command with its option table and handler, and the dispatch from argv to one of them:
// `--help` (anywhere) prints the help read off the table, `--version` the version, a misspelt command or flag names
// the nearest one. Handlers get checked values, never raw strings.
import { InputError } from '@overfit/core';
import { printable } from '@overfit/data';
import { createSfnClient } from '@overfit/pipeline';
import { version } from '../package.json';
import { BACKTEST_SPEC, backtestCommand } from './backtestCommand';
import { BENCH_SPEC, benchCommand } from './benchCommand';
import {
  CLOUD_START_SPEC,
  CLOUD_STATUS_SPEC,
  cloudStartCommand,
  cloudStatusCommand,
  type SfnClientFactory,
} from './cloudCommand';
import {
  DATA_FETCH_SPEC,
  DATA_INSPECT_SPEC,
  DATA_SYNTH_SPEC,
  fetchCommand,
  inspectCommand,
  synthCommand,
} from './dataCommand';
import { commandHelp, groupHelp, mainHelp } from './help';
import type { CommandGroup, CommandSpec } from './optionTable';
import { readCommandLine, wantsHelp, type FlagValues } from './parseFlags';
import { RUN_SPEC, runCommand } from './runCommand';
import { STAGE_SPEC, stageCommand } from './stageCommand';
import { STORE_GC_SPEC, storeGcCommand } from './storeCommand';
import { didYouMean } from './suggest';

/** What a handler may need besides its flags; tests replace the Step Functions client. */
export interface Dependencies {
  sfnClient: SfnClientFactory;
}

interface Command {
  spec: CommandSpec;
  run(values: FlagValues, positionals: string[], deps: Dependencies): Promise<string>;
}

const command = (spec: CommandSpec, run: Command['run']): Command => ({ spec, run });

interface Group extends CommandGroup {
  commands: Record<string, Command>;
}

function group(name: string, summary: string, commands: Command[]): Group {
  const byName = Object.fromEntries(commands.map((c) => [c.spec.name.split(' ')[1], c]));
  return { name, summary, subcommands: commands.map((c) => c.spec), commands: byName };
}

const ENTRIES: (Command | Group)[] = [
  command(RUN_SPEC, (values) => runCommand(values)),
  command(BACKTEST_SPEC, (values) => backtestCommand(values)),
  command(STAGE_SPEC, (values, positionals) => stageCommand(values, positionals)),
  group('data', 'price files: inspect one, fetch one from an exchange, or synthesise a null market', [
    command(DATA_INSPECT_SPEC, (values, positionals) => inspectCommand(values, positionals)),
    command(DATA_FETCH_SPEC, (values) => fetchCommand(values)),
    command(DATA_SYNTH_SPEC, (values) => synthCommand(values)),
  ]),
  group('store', 'the artifact store', [command(STORE_GC_SPEC, (values) => storeGcCommand(values))]),
  command(BENCH_SPEC, (values) => benchCommand(values)),
  group('cloud', 'runs on AWS through the deployed state machine', [
    command(CLOUD_START_SPEC, (values, _positionals, deps) => cloudStartCommand(values, deps.sfnClient)),
    command(CLOUD_STATUS_SPEC, (values, positionals, deps) => cloudStatusCommand(values, positionals, deps.sfnClient)),
  ]),
];

const nameOf = (entry: Command | Group) => ('commands' in entry ? entry.name : entry.spec.name);

const MAIN_HELP = mainHelp(
  ENTRIES.map((entry) => ('commands' in entry ? entry : entry.spec)),
  version,
);

/** What to print on stdout and the exit code; a user's mistake is thrown as an InputError (exit 2). */
export interface Outcome {
  output: string;
  code: number;
}

function unknown(what: string, typed: string, known: string[], where?: string): InputError {
  const hint = didYouMean(typed, known) || ` (known: ${known.join(', ')})`;
  return new InputError(`unknown ${what} "${printable(typed)}"${hint}`, where);
}

/** `overfit help run`, `overfit run --help`, `overfit data fetch -h`: the help of what the words name. */
function helpFor(words: string[]): string {
  const entry = ENTRIES.find((e) => nameOf(e) === words[0]);
  if (!entry) return MAIN_HELP;
  if (!('commands' in entry)) return commandHelp(entry.spec);
  const sub = entry.commands[words[1] ?? ''];
  return sub ? commandHelp(sub.spec) : groupHelp(entry);
}

export async function dispatch(argv: string[], deps: Dependencies = { sfnClient: createSfnClient }): Promise<Outcome> {
  const [name, ...args] = argv;
  if (name === undefined) return { output: MAIN_HELP, code: 2 };
  if (name === '--help' || name === '-h') return { output: MAIN_HELP, code: 0 };
  if (name === 'help') return { output: helpFor(args), code: 0 };
  if (name === '--version' || name === '-V') return { output: `overfit ${version}`, code: 0 };
  const entry = ENTRIES.find((e) => nameOf(e) === name);
  if (!entry) throw unknown('command', name, ENTRIES.map(nameOf));
  if (wantsHelp(args)) return { output: helpFor([name, ...args.filter((a) => !a.startsWith('-'))]), code: 0 };
  let target: Command;
  let rest = args;
  if ('commands' in entry) {
    const [sub, ...subArgs] = args;
    if (sub === undefined) return { output: groupHelp(entry), code: 2 };
    const found = entry.commands[sub];
    if (!found) throw unknown(`${name} command`, sub, Object.keys(entry.commands), name);
    target = found;
    rest = subArgs;
  } else target = entry;
  const { values, positionals } = readCommandLine(target.spec, rest);
  return { output: await target.run(values, positionals, deps), code: 0 };
}
