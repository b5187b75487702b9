import { parentPort, workerData } from 'node:worker_threads';
import { createCpuBackend } from '@statespace/kernels';
import { SequenceModel, type StateTensor } from '@statespace/layers';
import { batchGradients, modelDtype } from './batch-gradients';
import type { TrainingBatch } from './batches';
import type { TaskTarget } from './dataset';
import type { WorkerInit, WorkerReply, WorkerStep } from './worker-protocol';

// A data-parallel worker thread: a replica of the model on a one-thread CPU backend (the workers
// already occupy the cores), which loads the weights it is sent and returns the loss and gradients
// of its shard of each batch.

const init = workerData as WorkerInit;
const dtype = init.modelOptions.dtype ?? 'float64';
const replica = new SequenceModel({
  ...init.modelOptions,
  seed: init.seed,
  backend: createCpuBackend({ dtype, threads: 1 }),
}).train();
const parameterNames = new Set(replica.parameters().keys());
const port = parentPort as NonNullable<typeof parentPort>;

port.on('message', async ({ id, state, batch, target, maskStream }: WorkerStep) => {
  try {
    replica.loadStateDict(new Map(state));
    replica.reseedMasks(maskStream);
    const out = await batchGradients(replica, batch as TrainingBatch, target as TaskTarget);
    const grads = [...out.grads];
    const reply: WorkerReply = {
      id,
      loss: out.loss,
      correct: out.correct,
      count: out.count,
      grads,
      // Buffers (BatchNorm's running statistics) of the first replica become the model's, as in
      // PyTorch's DistributedDataParallel.
      buffers: init.rank === 0 ? buffersOf(replica) : undefined,
    };
    port.postMessage(
      reply,
      grads.map(([, g]) => g.buffer as ArrayBuffer),
    );
  } catch (error) {
    port.postMessage({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
port.postMessage({ ready: true, dtype: modelDtype(replica) });

function buffersOf(model: SequenceModel): [string, StateTensor['data']][] {
  return [...model.stateDict()]
    .filter(([name]) => !parameterNames.has(name))
    .map(([name, t]) => [name, t.data]);
}
