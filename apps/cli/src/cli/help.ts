import { COMMON_FLAGS, type Command, type FlagSpec } from './command';

const EXIT_CODES = [
  'Exit codes: 0 ok, 1 runtime failure (missing file, no GPU adapter, …), 2 usage error (bad flag or value),',
  '            130 interrupted by Ctrl-C (training saves its checkpoint first).',
];

/** The `statespace --help` text: the commands and what they share. */
export function topLevelHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'statespace: train, evaluate, stream, benchmark and plot S4/S4D state space models.',
    '',
    'Usage: statespace <command> [flags]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Flags of every command:',
    ...flagLines(COMMON_FLAGS),
    '',
    ...EXIT_CODES,
    '',
    "Run 'statespace <command> --help' (or 'statespace help <command>') for a command's flags and examples.",
  ].join('\n');
}

/** The `statespace <command> --help` text. */
export function commandHelp(command: Command): string {
  return [
    `Usage: statespace ${command.name} [flags]`,
    '',
    command.description,
    '',
    'Flags:',
    ...flagLines({ ...command.flags, ...COMMON_FLAGS }),
    '',
    'Examples:',
    ...command.examples.map((e) => `  ${e}`),
    '',
    ...EXIT_CODES,
  ].join('\n');
}

/** Head column width; a longer head puts its description on the next line. */
const HEAD_WIDTH = 24;

function flagLines(flags: Record<string, FlagSpec>): string[] {
  return Object.entries(flags).flatMap(([name, spec]) => {
    const short = spec.short ? `-${spec.short}, ` : '    ';
    const head = `${short}--${name}${spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : ''}`;
    const text = `${spec.description}${spec.default === undefined ? '' : ` (default: ${spec.default})`}`;
    return head.length <= HEAD_WIDTH
      ? [`  ${head.padEnd(HEAD_WIDTH)}  ${text}`]
      : [`  ${head}`, `  ${' '.repeat(HEAD_WIDTH)}  ${text}`];
  });
}
