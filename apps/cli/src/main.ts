#!/usr/bin/env node
import { parseFlags } from './cli/command';
import { CliError, EXIT, UsageError } from './cli/errors';
import { commandHelp, topLevelHelp } from './cli/help';
import { processOutput } from './cli/output';
import { COMMANDS } from './commands/index';

/** Runs `statespace <command> [flags]` and resolves to the exit code; errors become one line on stderr. */
async function main(argv: readonly string[]): Promise<number> {
  // `statespace help <command>` is `statespace <command> --help`.
  const [name, ...args] = argv[0] === 'help' && argv.length > 1 ? [argv[1], '--help'] : argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const help = topLevelHelp(COMMANDS);
    if (name === undefined) {
      process.stderr.write(`${help}\n`);
      return EXIT.usage;
    }
    process.stdout.write(`${help}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const names = COMMANDS.map((c) => c.name).join(', ');
    return report(new UsageError(`unknown command '${name}'; commands: ${names}`), undefined, args);
  }
  try {
    const flags = parseFlags(command, args);
    if (flags.help) {
      process.stdout.write(`${commandHelp(command)}\n`);
      return EXIT.ok;
    }
    return await command.run(flags, processOutput(flags));
  } catch (error) {
    return report(error, command.name, args);
  }
}

/** One line on stderr (the stack too with --verbose) and the exit code for the kind of error. */
function report(error: unknown, command: string | undefined, args: readonly string[]): number {
  const prefix = command ? `statespace ${command}` : 'statespace';
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${prefix}: ${message}\n`);
  if (error instanceof UsageError) {
    process.stderr.write(`Run '${prefix} --help' for usage.\n`);
    return EXIT.usage;
  }
  if (args.includes('--verbose') && error instanceof Error && !(error instanceof CliError)) {
    process.stderr.write(`${error.stack}\n`);
  }
  return EXIT.failure;
}

// Exit explicitly: a GPU device or a worker thread must not keep a finished command alive.
process.exit(await main(process.argv.slice(2)));
