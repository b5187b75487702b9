import { EXIT } from './errors';

/**
 * Turns Ctrl-C into an abort signal while `release` is not called: the first SIGINT aborts (the
 * work stops at its next check and saves what it must), a second one exits at once with code 130.
 */
export function abortOnCtrlC(onFirst: () => void): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const handler = () => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    controller.abort();
    onFirst();
  };
  process.on('SIGINT', handler);
  return { signal: controller.signal, release: () => process.off('SIGINT', handler) };
}
