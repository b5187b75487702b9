import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The CLI's entry, run from sources (no build): `node --import tsx --conditions=@statespace/source`. */
const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

/** What a CLI run printed and how it ended. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link runCli}. */
export interface RunOptions {
  /** Called with the stderr text so far after each chunk; may signal the child. */
  onStderr?: (text: string, child: ReturnType<typeof spawn>) => void;
}

/** Runs `statespace <args>` in a child process and resolves when it exits. */
export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=@statespace/source', MAIN, ...args],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      options.onStderr?.(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The JSON lines of a `--json` run's stdout. */
export function jsonLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
