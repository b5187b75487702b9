import { createRng } from '@statespace/complex';
import type { TrainingDataset, TrainingExample } from './dataset';

// Batches for training and evaluation: a seeded visiting order per epoch (optionally bucketed by
// length), examples stacked into padded arrays, and contiguous shards of a batch for data-parallel
// workers.

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

/**
 * Padding granularity of variable-length batches: a batch is padded to its longest example rounded
 * up to a multiple of this, so that the lengths a model sees (and the FFT plans it caches) stay few.
 */
export const LENGTH_GRANULE = 32;

/**
 * Batches of variable-length examples are cut into windows of this many batches for
 * {@link bucketedOrder}: long enough that the batches of a window have similar lengths, short enough
 * that an epoch still mixes the data.
 */
const BUCKET_WINDOW = 50;

/** Each example's true length, computed once per dataset object (generated datasets cache examples too). */
const lengthsOf = new WeakMap<TrainingDataset, Int32Array>();
function exampleLengths(dataset: TrainingDataset): Int32Array {
  let lengths = lengthsOf.get(dataset);
  if (!lengths) {
    lengths = Int32Array.from({ length: dataset.size }, (_, i) => dataset.example(i).length);
    lengthsOf.set(dataset, lengths);
  }
  return lengths;
}

/** The indices 0…size−1 sorted by example length (ties by index). */
export function lengthSortedOrder(dataset: TrainingDataset): Int32Array {
  const lengths = exampleLengths(dataset);
  return Int32Array.from({ length: dataset.size }, (_, i) => i).sort(
    (a, b) => lengths[a] - lengths[b] || a - b,
  );
}

/**
 * `order` regrouped so that batches hold examples of similar length (less padding, so less work
 * for variable-length data): each window of {@link BUCKET_WINDOW} batches is sorted by length and
 * cut into batches, then all batches are shuffled by a generator seeded by (seed, epoch). Every
 * example still appears once per epoch; the result is deterministic.
 */
export function bucketedOrder(
  dataset: TrainingDataset,
  order: Int32Array,
  batchSize: number,
  seed: number,
  epoch: number,
): Int32Array {
  const lengths = exampleLengths(dataset);
  const sorted = order.slice();
  const window = batchSize * BUCKET_WINDOW;
  for (let from = 0; from < sorted.length; from += window) {
    sorted.subarray(from, from + window).sort((a, b) => lengths[a] - lengths[b] || a - b);
  }
  // Shuffle whole batches; the last (possibly smaller) batch keeps its place at the end.
  const full = Math.floor(sorted.length / batchSize);
  const batchOrder = epochOrder(full, seed ^ 0x5bd1e995, epoch);
  const out = new Int32Array(sorted.length);
  for (let k = 0; k < full; k++) {
    out.set(sorted.subarray(batchOrder[k] * batchSize, (batchOrder[k] + 1) * batchSize), k * batchSize);
  }
  out.set(sorted.subarray(full * batchSize), full * batchSize);
  return out;
}

/**
 * The examples at `indices` stacked into one batch: padded to the dataset's length L, or for a
 * variable-length dataset to the longest example's length rounded up to {@link LENGTH_GRANULE}
 * (at most L; the padding is masked, so this changes nothing but the work).
 */
export function collate(dataset: TrainingDataset, indices: ArrayLike<number>): TrainingBatch {
  const { input, target } = dataset;
  const B = indices.length;
  const examples = Array.from(indices, (i) => dataset.example(i));
  const L = dataset.variableLength ? batchLength(dataset.length, examples) : dataset.length;
  const features = input.kind === 'real' ? input.features : 1;
  const step = L * features;
  const stored = dataset.length * features;
  const x = input.kind === 'real' ? new Float32Array(B * step) : new Int32Array(B * step);
  const width = targetWidth(dataset);
  const y = target.kind === 'regression' ? new Float32Array(B * width) : new Int32Array(B * width);
  const lengths = dataset.variableLength ? new Int32Array(B) : undefined;
  for (let b = 0; b < B; b++) {
    const example = examples[b];
    if (example.input.length !== stored) {
      throw new RangeError(
        `${dataset.name} example ${indices[b]}: input must hold ${stored} values (length ${dataset.length} × ${features}); got ${example.input.length}`,
      );
    }
    const targetLength = typeof example.target === 'number' ? 1 : example.target.length;
    if ((typeof example.target === 'number') !== (target.kind === 'class') || targetLength !== width) {
      throw new RangeError(
        `${dataset.name} example ${indices[b]}: target does not match the dataset's target ${JSON.stringify(target)}`,
      );
    }
    x.set(example.input.subarray(0, step), b * step);
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

/** The padded length of a variable-length batch: its longest example, rounded up to LENGTH_GRANULE, ≤ L. */
function batchLength(L: number, examples: readonly TrainingExample[]): number {
  const longest = Math.max(1, ...examples.map((example) => example.length));
  return Math.min(L, Math.ceil(longest / LENGTH_GRANULE) * LENGTH_GRANULE);
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
