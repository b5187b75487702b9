import { createRng } from '@statespace/complex';
import type { TrainingDataset } from './dataset';

// Batches for training and evaluation: a seeded visiting order per epoch, examples stacked into
// padded arrays, and contiguous shards of a batch for data-parallel workers.

/** Examples stacked along a leading batch dimension. */
export interface TrainingBatch {
  /** Number of examples B. */
  readonly size: number;
  /** [B, L, features] float32 (real inputs) or [B, L] int32 tokens. */
  readonly x: { readonly data: Float32Array | Int32Array; readonly shape: readonly number[] };
  /** Int32Array [B] (class), Int32Array [B, length] (sequence-class) or Float32Array [B, outputs] (regression). */
  readonly y: { readonly data: Int32Array | Float32Array; readonly shape: readonly number[] };
  /** The true length of each example [B], for datasets with `variableLength`; undefined otherwise. */
  readonly lengths?: Int32Array;
}

/** Number of batches of `batchSize` that cover `size` examples (the last one may be smaller). */
export function batchCountOf(size: number, batchSize: number): number {
  return Math.ceil(size / batchSize);
}

/**
 * The visiting order of epoch `epoch`: a Fisher–Yates permutation of 0…size−1 drawn from a
 * generator seeded by (seed, epoch), so that any epoch's order can be rebuilt without replaying
 * the earlier ones (resuming mid-run).
 */
export function epochOrder(size: number, seed: number, epoch: number): Int32Array {
  const order = new Int32Array(size);
  for (let i = 0; i < size; i++) order[i] = i;
  const rng = createRng((seed ^ Math.imul(epoch + 1, 0x9e3779b1)) >>> 0);
  for (let i = size - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

/** The examples at `indices` stacked into one batch. */
export function collate(dataset: TrainingDataset, indices: ArrayLike<number>): TrainingBatch {
  const { input, target, length: L } = dataset;
  const B = indices.length;
  const features = input.kind === 'real' ? input.features : 1;
  const step = L * features;
  const x = input.kind === 'real' ? new Float32Array(B * step) : new Int32Array(B * step);
  const width = targetWidth(dataset);
  const y = target.kind === 'regression' ? new Float32Array(B * width) : new Int32Array(B * width);
  const lengths = dataset.variableLength ? new Int32Array(B) : undefined;
  for (let b = 0; b < B; b++) {
    const example = dataset.example(indices[b]);
    if (example.input.length !== step) {
      throw new RangeError(
        `${dataset.name} example ${indices[b]}: input must hold ${step} values (length ${L} × ${features}); got ${example.input.length}`,
      );
    }
    const targetLength = typeof example.target === 'number' ? 1 : example.target.length;
    if ((typeof example.target === 'number') !== (target.kind === 'class') || targetLength !== width) {
      throw new RangeError(
        `${dataset.name} example ${indices[b]}: target does not match the dataset's target ${JSON.stringify(target)}`,
      );
    }
    x.set(example.input, b * step);
    if (typeof example.target === 'number') y[b] = example.target;
    else y.set(example.target, b * width);
    if (lengths) lengths[b] = example.length;
  }
  return {
    size: B,
    x: { data: x, shape: input.kind === 'real' ? [B, L, features] : [B, L] },
    y: { data: y, shape: target.kind === 'class' ? [B] : [B, width] },
    lengths,
  };
}

/** Values of one example's target: 1 (class), `length` (sequence-class) or `outputs` (regression). */
function targetWidth(dataset: TrainingDataset): number {
  const { target } = dataset;
  return target.kind === 'class' ? 1 : target.kind === 'sequence-class' ? target.length : target.outputs;
}

/**
 * A batch cut into at most `parts` contiguous shards of nearly equal size (sizes differ by at
 * most one; no empty shard), in order, so that concatenating them gives the batch back.
 */
export function shardBatch(batch: TrainingBatch, parts: number): TrainingBatch[] {
  const count = Math.min(parts, batch.size);
  const shards: TrainingBatch[] = [];
  let from = 0;
  for (let k = 0; k < count; k++) {
    const size = Math.floor(batch.size / count) + (k < batch.size % count ? 1 : 0);
    shards.push(sliceBatch(batch, from, from + size));
    from += size;
  }
  return shards;
}

function sliceBatch(batch: TrainingBatch, from: number, to: number): TrainingBatch {
  const rows = <T extends { data: Float32Array | Int32Array; shape: readonly number[] }>(t: T) => {
    const per = t.data.length / batch.size;
    return { data: t.data.slice(from * per, to * per), shape: [to - from, ...t.shape.slice(1)] };
  };
  return { size: to - from, x: rows(batch.x), y: rows(batch.y), lengths: batch.lengths?.slice(from, to) };
}
