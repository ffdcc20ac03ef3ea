// The help texts, read off the option tables: `overfit --help` (every command), `overfit <group> --help` (its
// sub-commands) and `overfit <command> [<sub-command>] --help` (usage, then each flag with its default and range).
import { rangeText, type CommandGroup, type CommandSpec, type Flag } from './optionTable';

/** Help lines stay within this many columns: the right column wraps under itself. */
const COLUMNS = 100;

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

/** A line longer than COLUMNS, wrapped; its continuation lines indented two more than it. */
function wrapLine(line: string): string[] {
  const indent = line.length - line.trimStart().length;
  const [first, ...rest] = wrap(line.trimStart(), COLUMNS - indent - 2);
  return [`${' '.repeat(indent)}${first}`, ...rest.map((part) => `${' '.repeat(indent + 2)}${part}`)];
}

const pad = (rows: [string, string][], indent = '  ') => {
  const width = Math.max(...rows.map(([left]) => left.length));
  const room = Math.max(30, COLUMNS - indent.length - width - 2);
  return rows.flatMap(([left, right]) =>
    wrap(right, room).map((part, i) => `${indent}${(i === 0 ? left : '').padEnd(width)}  ${part}`.trimEnd()),
  );
};

function flagLine(flag: Flag): [string, string] {
  const left = `--${flag.name}${flag.type === 'boolean' ? '' : ` ${flag.value ?? 'VALUE'}`}`;
  const facts = [rangeText(flag), flag.default === undefined ? undefined : `default ${flag.default}`].filter(Boolean);
  return [left, `${flag.description}${facts.length ? ` (${facts.join('; ')})` : ''}`];
}

function usageLine(spec: CommandSpec): string {
  const positionals = (spec.positionals ?? []).map((p) => (p.choices ? `<${p.choices.join('|')}>` : p.name));
  return ['overfit', spec.name, ...positionals, spec.flags.length ? '[flags]' : ''].filter(Boolean).join(' ');
}

export function commandHelp(spec: CommandSpec): string {
  const lines = [...wrapLine(`overfit ${spec.name} — ${spec.summary}`), '', `Usage: ${usageLine(spec)}`];
  if (spec.positionals?.length)
    lines.push('', 'Arguments:', ...pad(spec.positionals.map((p) => [p.name, p.description])));
  lines.push('', 'Flags:', ...pad([...spec.flags.map(flagLine), ['--help, -h', 'show this help']]));
  if (spec.notes?.length) lines.push('', ...spec.notes.flatMap(wrapLine));
  return lines.join('\n');
}

export function groupHelp(group: CommandGroup): string {
  return [
    ...wrapLine(`overfit ${group.name} — ${group.summary}`),
    '',
    'Commands:',
    ...group.subcommands.flatMap((sub) => [`  ${usageLine(sub)}`, ...wrapLine(`      ${sub.summary}`)]),
    '',
    `Run overfit ${group.name} <command> --help for a command's flags, defaults and ranges.`,
  ].join('\n');
}

export function mainHelp(entries: (CommandSpec | CommandGroup)[], version: string): string {
  const rows: [string, string][] = entries.flatMap((entry) =>
    'subcommands' in entry
      ? entry.subcommands.map((sub): [string, string] => [`${sub.name}`, sub.summary])
      : [[entry.name, entry.summary]],
  );
  return [
    `overfit ${version} — demonstrate and measure backtest overfitting`,
    '',
    'Usage: overfit <command> [flags]',
    '',
    'Commands:',
    ...pad(rows),
    '',
    'Flags:',
    ...pad([
      ['--help, -h', 'show this help; after a command, that command’s flags with defaults and ranges'],
      ['--version', 'print the version'],
    ]),
    '',
    'Run overfit <command> --help for its flags, e.g. overfit run --help or overfit data fetch --help.',
  ].join('\n');
}
