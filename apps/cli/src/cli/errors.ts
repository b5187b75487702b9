/** The exit codes of `statespace`, documented in the README. */
export const EXIT = {
  /** The command did what was asked. */
  ok: 0,
  /** A runtime failure: a missing file, no GPU adapter, a numerical error, … */
  failure: 1,
  /** A usage error: an unknown command or flag, a bad flag value, a missing argument. */
  usage: 2,
  /** Interrupted by Ctrl-C (training saved its checkpoint first); 128 + SIGINT, the shell convention. */
  interrupted: 130,
} as const;

/** A mistake in the command line: reported in one line with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A failure the user can act on (a missing file, no adapter): reported in one line, exit code 1. */
export class CliError extends Error {
  override name = 'CliError';
}
