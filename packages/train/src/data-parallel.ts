import type { Worker } from 'node:worker_threads';
import type { SequenceModel, SequenceModelOptions, StateTensor } from '@statespace/layers';
import type { BatchGradients } from './batch-gradients';
import { shardBatch, type TrainingBatch } from './batches';
import type { TaskTarget } from './dataset';
import type { WorkerInit, WorkerReply, WorkerStep } from './worker-protocol';

/**
 * Data-parallel training on worker threads (Node.js): each worker holds a replica of the model
 * built from its options on a one-thread CPU backend. A step sends every worker the model's
 * current state dict and a contiguous shard of the batch; the shards' mean-loss gradients are
 * summed weighted by their share of the batch's loss terms, so the result is the whole batch's
 * gradient up to rounding. The first replica's buffers (BatchNorm running statistics) are copied
 * back into the model, as PyTorch's DistributedDataParallel broadcasts rank 0's.
 */
export class DataParallel {
  readonly #workers: Worker[];
  readonly #pending = new Map<number, { resolve: (r: WorkerReply) => void; reject: (e: Error) => void }>();
  #nextId = 0;
  #failure: Error | undefined;

  private constructor(workers: Worker[]) {
    this.#workers = workers;
    for (const worker of workers) {
      worker.on('message', (reply: WorkerReply) => this.#settle(reply));
      worker.on('error', (error) => this.#fail(new Error(`training worker failed: ${error.message}`)));
      worker.on('exit', (code) => this.#fail(new Error(`training worker exited (code ${code})`)));
    }
  }

  /**
   * Starts `size` workers with replicas of the model `modelOptions` describe (without backend);
   * replica k draws its dropout masks from seed (modelOptions.seed ?? 0) + k + 1.
   * @throws Error when a worker cannot start or build its replica.
   */
  static async start(size: number, modelOptions: SequenceModelOptions): Promise<DataParallel> {
    const { Worker } = await import('node:worker_threads');
    const fromSource = import.meta.url.endsWith('.ts');
    const entry = new URL(fromSource ? './train-worker.ts' : './train-worker.js', import.meta.url).href;
    const bootstrap = fromSource ? await sourceBootstrap(entry) : undefined;
    const workers = Array.from({ length: size }, (_, rank) => {
      const workerData: WorkerInit = { modelOptions, seed: (modelOptions.seed ?? 0) + rank + 1, rank };
      // From TypeScript sources (tests, benchmarks) the worker registers tsx before loading its entry.
      return bootstrap
        ? new Worker(bootstrap, { eval: true, workerData, execArgv: ['--conditions=@statespace/source'] })
        : new Worker(new URL(entry), { workerData });
    });
    try {
      await Promise.all(workers.map(ready));
    } catch (error) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw error;
    }
    return new DataParallel(workers);
  }

  /** Number of workers. */
  get size(): number {
    return this.#workers.length;
  }

  /**
   * The loss and gradients of `batch` at `model`'s current state, computed by the workers (at
   * most one shard per worker, each replica's masks restarted on `maskStream`); the model's
   * buffers take the first replica's afterwards.
   */
  async batchGradients(
    model: SequenceModel,
    batch: TrainingBatch,
    target: TaskTarget,
    maskStream = 0,
  ): Promise<BatchGradients> {
    const state: WorkerStep['state'] = [...model.stateDict()];
    const shards = shardBatch(batch, this.#workers.length);
    const replies = await Promise.all(
      shards.map((shard, k) =>
        this.#post(this.#workers[k], { id: this.#nextId++, state, batch: shard, target, maskStream }),
      ),
    );
    const count = replies.reduce((s, r) => s + r.count, 0);
    const grads = new Map<string, Float64Array>();
    let loss = 0;
    let correct = 0;
    for (const reply of replies) {
      const weight = reply.count / count;
      loss += weight * reply.loss;
      correct += reply.correct ?? 0;
      for (const [name, g] of reply.grads) {
        const total = grads.get(name);
        if (total === undefined)
          grads.set(
            name,
            g.map((v) => weight * v),
          );
        else for (let i = 0; i < g.length; i++) total[i] += weight * g[i];
      }
    }
    const own = model.stateDict();
    for (const [name, data] of replies[0].buffers ?? []) {
      // Same structure on both sides, so each buffer has its twin of the same type here.
      (own.get(name) as StateTensor).data.set(data as never);
    }
    return { loss, count, grads, ...(target.kind === 'regression' ? {} : { correct }) };
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    const workers = this.#workers.splice(0);
    for (const { reject } of this.#pending.values())
      reject(new Error('data-parallel workers closed during a step'));
    this.#pending.clear();
    await Promise.all(workers.map((w) => w.terminate()));
  }

  #post(worker: Worker, step: WorkerStep): Promise<WorkerReply> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#pending.set(step.id, { resolve, reject });
      worker.postMessage(step);
    });
  }

  #settle(reply: WorkerReply): void {
    const task = this.#pending.get(reply.id);
    if (!task) return;
    this.#pending.delete(reply.id);
    if (reply.error !== undefined) task.reject(new Error(`training worker: ${reply.error}`));
    else task.resolve(reply);
  }

  /** A dead worker fails the step in flight and every later one: no silent hang. */
  #fail(error: Error): void {
    if (this.#workers.length === 0) return; // closed on purpose
    this.#failure ??= error;
    for (const task of this.#pending.values()) task.reject(error);
    this.#pending.clear();
  }
}

/** Resolves when a worker has built its replica; rejects when it fails first. */
function ready(worker: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { ready?: boolean; error?: string }) => {
      worker.off('error', onError);
      if (message.ready) resolve();
      else reject(new Error(`training worker failed to start: ${message.error}`));
    };
    const onError = (error: Error) => {
      worker.off('message', onMessage);
      reject(new Error(`training worker failed to start: ${error.message}`));
    };
    worker.once('message', onMessage);
    worker.once('error', onError);
  });
}

/** Worker source that registers tsx's loader, then imports the TypeScript entry. */
async function sourceBootstrap(entry: string): Promise<string> {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  // tsx's ESM entry (require.resolve would pick its CommonJS one).
  const manifestPath = require.resolve('tsx/package.json');
  const manifest = require(manifestPath) as { exports: Record<string, { import: { default: string } }> };
  const api = new URL(manifest.exports['./esm/api'].import.default, `file://${manifestPath}`).href;
  return `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
}
