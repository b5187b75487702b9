import { parseArgs } from 'node:util';
import { UsageError } from './errors';
import type { Output } from './output';

/** One flag of a command, as `parseArgs` takes it plus what `--help` shows. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** The value's placeholder in the help text (`N`, `DIR`, `cpu|webgpu|gpujs`). */
  readonly value?: string;
  readonly description: string;
  /** The default, as the help text shows it. */
  readonly default?: string;
}

/** The flags every command takes. */
export const COMMON_FLAGS = {
  help: { type: 'boolean', short: 'h', description: 'show this help and exit' },
  json: { type: 'boolean', description: 'print JSON lines on stdout instead of text (for scripts)' },
  verbose: { type: 'boolean', description: 'print stack traces with errors' },
} as const satisfies Record<string, FlagSpec>;

/** The parsed flag values of a command: strings and booleans, absent when not given. */
export type FlagValues<F extends Record<string, FlagSpec>> = {
  [K in keyof F]?: F[K]['type'] extends 'boolean' ? boolean : string;
};

/** A subcommand: its help text, flags and what it does. */
export interface Command<F extends Record<string, FlagSpec> = Record<string, FlagSpec>> {
  readonly name: string;
  /** One line for the top-level command list. */
  readonly summary: string;
  /** Paragraphs shown under the usage line of the command's `--help`. */
  readonly description: string;
  readonly flags: F;
  readonly examples: readonly string[];
  /** Runs the command; resolves to the process exit code. */
  run(flags: FlagValues<F>, output: Output): Promise<number>;
}

/** Declares a command with its flag names typed (identity at run time). */
export function defineCommand<F extends Record<string, FlagSpec>>(command: Command<F>): Command<F> {
  return command;
}

/**
 * Parses a command's arguments strictly: unknown flags, missing values and stray positional
 * arguments are usage errors that name the accepted flags.
 */
export function parseFlags<F extends Record<string, FlagSpec>>(
  command: Command<F>,
  args: readonly string[],
): FlagValues<F & typeof COMMON_FLAGS> {
  const flags: Record<string, FlagSpec> = { ...command.flags, ...COMMON_FLAGS };
  const options = Object.fromEntries(
    Object.entries(flags).map(([name, spec]) => [
      name,
      spec.short ? { type: spec.type, short: spec.short } : { type: spec.type },
    ]),
  );
  try {
    const { values } = parseArgs({ args: [...args], options, strict: true, allowPositionals: false });
    return values as FlagValues<F & typeof COMMON_FLAGS>;
  } catch (error) {
    throw new UsageError(describeParseError(error, Object.keys(flags)));
  }
}

/** Turns `parseArgs`'s messages (which suggest `--` tricks) into one line naming the accepted flags. */
function describeParseError(error: unknown, names: readonly string[]): string {
  const accepted = names.map((n) => `--${n}`).join(', ');
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const quoted = /'([^']+)'/.exec(message)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown flag ${quoted ?? ''}; accepted flags: ${accepted}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument '${quoted ?? ''}'; accepted flags: ${accepted}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const flag = /'(-{1,2}[\w-]+)/.exec(message)?.[1] ?? 'a flag';
      return message.includes('does not take an argument')
        ? `flag ${flag} takes no value`
        : `flag ${flag} needs a value (write ${flag}=-1 for a value that starts with '-')`;
    }
    default:
      return message.split('\n')[0];
  }
}
