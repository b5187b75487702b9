/** Where progress goes: a terminal (redrawn in place) or a log (one line at a time). */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/**
 * Where a command's output goes. Text for people goes to stdout, progress and notes to stderr;
 * under `--json` stdout carries only JSON lines (one object each), so that scripts can parse it.
 */
export interface Output {
  readonly json: boolean;
  readonly verbose: boolean;
  /** A result line for people (stdout); under `--json` it goes to stderr. */
  text(line: string): void;
  /** A note on what is happening (stderr). */
  note(line: string): void;
  /** One JSON line on stdout under `--json` (`{"type": type, ...fields}`); ignored otherwise. */
  record(type: string, fields: object): void;
  /** A JSON line in the project's benchmark format (`{"name","value","unit",...}`), under `--json`. */
  figure(fields: { name: string; value: number; unit: string; [extra: string]: unknown }): void;
  /** The stream progress bars draw on (stderr). */
  readonly progress: ProgressStream;
}

/** The process's output for the given flags. */
export function processOutput(flags: { json?: boolean; verbose?: boolean }): Output {
  const json = flags.json === true;
  const line = (stream: NodeJS.WriteStream, text: string) => stream.write(`${text}\n`);
  return {
    json,
    verbose: flags.verbose === true,
    text: (text) => line(json ? process.stderr : process.stdout, text),
    note: (text) => line(process.stderr, text),
    record: (type, fields) => {
      if (json) line(process.stdout, JSON.stringify({ type, ...fields }));
    },
    figure: (fields) => {
      if (json) line(process.stdout, JSON.stringify(fields));
    },
    progress: process.stderr,
  };
}
