import type { SequenceModelOptions, StateTensor } from '@statespace/layers';
import type { TrainingBatch } from './batches';
import type { TaskTarget } from './dataset';

// The messages between the training loop and its data-parallel worker threads.

/** `workerData` of a worker: how to build its replica. */
export interface WorkerInit {
  /** The model's options without backend. */
  modelOptions: SequenceModelOptions;
  /** Seed of the replica (its dropout masks). */
  seed: number;
  /** The worker's index: 0 sends its buffers back. */
  rank: number;
}

/** A step: the model's current state dict and this worker's shard of the batch. */
export interface WorkerStep {
  id: number;
  state: [string, StateTensor][];
  batch: TrainingBatch;
  target: TaskTarget;
  /** The training step: the replica restarts its mask generators on it (`reseedMasks`). */
  maskStream: number;
}

/** The loss sums and gradients of a shard (mean-loss gradients over the shard's `count` terms). */
export interface WorkerReply {
  id: number;
  loss: number;
  correct?: number;
  count: number;
  grads: [string, Float64Array][];
  buffers?: [string, StateTensor['data']][];
  error?: string;
}
