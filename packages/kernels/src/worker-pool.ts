import type { Worker } from 'node:worker_threads';
import type { BackendOpName } from './backend-layout';
import type { SharedTask } from './cpu-shared-ops';

/** Worker threads of the CPU backend, created on first use (Node.js only). */
export class WorkerPool {
  private workers: Worker[] = [];
  private starting: Promise<Worker[]> | undefined;
  private pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void; worker: Worker }
  >();
  private nextId = 0;
  private failure: Error | undefined;

  constructor(readonly size: number) {}

  /** Resolves once the workers are started (they start on the first call). */
  async ready(): Promise<void> {
    await this.start();
  }

  /**
   * Runs `op` on worker `index` (modulo the pool size); with `shared`, the worker takes part in a
   * shared operation instead (see `cpu-shared-ops`) and the result is `undefined`. Once the pool is
   * {@link ready}, the task is posted before this returns, so the worker starts while the calling
   * thread goes on with its own share.
   */
  run(index: number, op: BackendOpName, input: unknown, shared?: SharedTask): Promise<unknown> {
    return this.post(index, { op, input, shared });
  }

  /** Has worker `index` fault in the pages of `buffer` until done or `stop` is set (see `output-reserve`). */
  prefault(index: number, buffer: SharedArrayBuffer, stop: Int32Array): Promise<unknown> {
    return this.post(index, { prefault: { buffer, stop } });
  }

  private post(index: number, task: object): Promise<unknown> {
    if (this.workers.length === 0) return this.start().then(() => this.post(index, task));
    if (this.failure) return Promise.reject(this.failure);
    const worker = this.workers[index % this.workers.length];
    const id = this.nextId++;
    // A worker keeps the process alive only while it has work in flight.
    worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, worker });
      worker.postMessage({ id, ...task });
    });
  }

  async dispose(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    this.starting = undefined;
    for (const { reject } of this.pending.values())
      reject(new Error('CPU backend disposed while a task was running'));
    this.pending.clear();
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private start(): Promise<Worker[]> {
    this.starting ??= this.spawn();
    return this.starting;
  }

  private async spawn(): Promise<Worker[]> {
    let threads: typeof import('node:worker_threads');
    try {
      threads = await import(/* @vite-ignore */ 'node:worker_threads');
    } catch {
      throw new Error(
        'the CPU backend runs threads > 1 only on Node.js (worker_threads); use threads: 1 here',
      );
    }
    const fromSource = import.meta.url.endsWith('.ts');
    const entry = new URL(fromSource ? './cpu-worker.ts' : './cpu-worker.js', import.meta.url).href;
    const bootstrap = fromSource ? await sourceBootstrap(entry) : undefined;
    this.workers = Array.from({ length: this.size }, () => {
      // From TypeScript sources (tests, benchmarks) the worker registers tsx before loading its entry.
      const worker = bootstrap
        ? new threads.Worker(bootstrap, { eval: true, execArgv: ['--conditions=@statespace/source'] })
        : new threads.Worker(new URL(entry));
      worker.unref();
      worker.on('message', (message: { id: number; output?: unknown; error?: string }) =>
        this.settle(message),
      );
      worker.on('error', (error) => this.fail(new Error(`CPU backend worker failed: ${error.message}`)));
      worker.on('exit', (code) => this.fail(new Error(`CPU backend worker exited (code ${code})`)));
      return worker;
    });
    return this.workers;
  }

  private settle({ id, output, error }: { id: number; output?: unknown; error?: string }) {
    const task = this.pending.get(id);
    if (!task) return;
    this.pending.delete(id);
    if (![...this.pending.values()].some((t) => t.worker === task.worker)) task.worker.unref();
    if (error !== undefined) task.reject(new Error(error));
    else task.resolve(output);
  }

  /** A dead worker fails what it was running and every later task: no silent hang. */
  private fail(error: Error) {
    if (this.workers.length === 0) return; // disposed on purpose
    this.failure ??= error;
    for (const task of this.pending.values()) task.reject(error);
    this.pending.clear();
  }
}

/** Worker source that registers tsx's loader, then imports the TypeScript entry. */
async function sourceBootstrap(entry: string): Promise<string> {
  const { createRequire } = await import(/* @vite-ignore */ 'node:module');
  const require = createRequire(import.meta.url);
  // tsx's ESM entry (require.resolve would pick its CommonJS one).
  const manifestPath = require.resolve('tsx/package.json');
  const manifest = require(manifestPath) as { exports: Record<string, { import: { default: string } }> };
  const api = new URL(manifest.exports['./esm/api'].import.default, `file://${manifestPath}`).href;
  return `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
}
