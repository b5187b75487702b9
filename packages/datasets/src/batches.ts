import { assertInteger } from '@statespace/complex';
import { randomPermutation } from './permutation';
import { mixSeed } from './seed';
import type { Batch, BatchOptions, Example, SequenceDataset } from './types';

/** Validated options with their defaults, and the order of the positions [start, end). */
interface BatchPlan {
  batchSize: number;
  dropLast: boolean;
  /** Dataset indices in visiting order, already cut to [start, end). */
  order: Int32Array;
}

/**
 * Deterministic batches: the same dataset and options give the same batches on any machine.
 *
 * The visiting order is the index order, or with `shuffle` the Fisher–Yates permutation drawn from
 * `createRng(mixSeed(seed, epoch))`; positions [start, end) of that order are cut into batches of
 * `batchSize` (the last one smaller unless `dropLast`). Inputs are padded to the dataset's length L.
 */
export function batches(dataset: SequenceDataset, options: BatchOptions): Iterable<Batch> {
  const plan = planBatches(dataset, options);
  const count = countOf(plan);
  return {
    *[Symbol.iterator]() {
      for (let b = 0; b < count; b++) {
        const from = b * plan.batchSize;
        yield collate(dataset, plan.order.subarray(from, Math.min(from + plan.batchSize, plan.order.length)));
      }
    },
  };
}

/** The number of batches {@link batches} yields for these options. */
export function batchCount(dataset: SequenceDataset, options: BatchOptions): number {
  return countOf(planBatches(dataset, options));
}

function countOf(plan: BatchPlan): number {
  const n = plan.order.length;
  return plan.dropLast ? Math.floor(n / plan.batchSize) : Math.ceil(n / plan.batchSize);
}

function planBatches(dataset: SequenceDataset, options: BatchOptions): BatchPlan {
  const { batchSize, shuffle = false, seed = 0, epoch = 0, dropLast = false } = options;
  const size = dataset.size;
  assertInteger('batchSize', batchSize, 1);
  assertInteger('seed', seed);
  assertInteger('epoch', epoch, 0);
  const start = options.start ?? 0;
  const end = options.end ?? size;
  if (!Number.isInteger(start) || start < 0 || start > size) {
    throw new RangeError(
      `start must be an integer in [0, ${size}] (the size of ${dataset.name}); got ${start}`,
    );
  }
  if (!Number.isInteger(end) || end < start || end > size) {
    throw new RangeError(`end must be an integer in [start = ${start}, ${size}]; got ${end}`);
  }
  let order: Int32Array;
  if (shuffle) {
    order = randomPermutation(size, mixSeed(seed, epoch));
  } else {
    order = new Int32Array(size);
    for (let i = 0; i < size; i++) order[i] = i;
  }
  return { batchSize, dropLast, order: order.subarray(start, end) };
}

/** Stacks the examples at `indices` into one batch. */
function collate(dataset: SequenceDataset, indices: Int32Array): Batch {
  const { input, target, length: L } = dataset;
  const B = indices.length;
  const features = input.kind === 'real' ? input.features : 1;
  const step = L * features;
  const x = input.kind === 'real' ? new Float32Array(B * step) : new Int32Array(B * step);
  const targetWidth =
    target.kind === 'class' ? 1 : target.kind === 'sequence-class' ? target.length : target.outputs;
  const y =
    target.kind === 'regression' ? new Float32Array(B * targetWidth) : new Int32Array(B * targetWidth);
  const lengths = dataset.variableLength ? new Int32Array(B) : undefined;
  for (let b = 0; b < B; b++) {
    const example = dataset.example(indices[b]);
    checkExample(dataset, indices[b], example, step, targetWidth);
    x.set(example.input, b * step);
    if (typeof example.target === 'number') y[b] = example.target;
    else y.set(example.target, b * targetWidth);
    if (lengths) lengths[b] = example.length;
  }
  const xShape = input.kind === 'real' ? [B, L, features] : [B, L];
  const yShape = target.kind === 'class' ? [B] : [B, targetWidth];
  return { x: { data: x, shape: xShape }, y: { data: y, shape: yShape }, lengths, indices: indices.slice() };
}

/** Guards against a dataset whose examples disagree with what it declares. */
function checkExample(
  dataset: SequenceDataset,
  index: number,
  example: Example,
  inputSize: number,
  targetWidth: number,
): void {
  const where = `${dataset.name} example ${index}`;
  const expectReal = dataset.input.kind === 'real';
  if (example.input.length !== inputSize || example.input instanceof Float32Array !== expectReal) {
    throw new RangeError(
      `${where}: input must be a ${expectReal ? 'Float32Array' : 'Int32Array'} of ${inputSize} values`,
    );
  }
  const expectNumber = dataset.target.kind === 'class';
  const targetLength = typeof example.target === 'number' ? 1 : example.target.length;
  if ((typeof example.target === 'number') !== expectNumber || targetLength !== targetWidth) {
    throw new RangeError(
      `${where}: target does not match the dataset's target ${JSON.stringify(dataset.target)}`,
    );
  }
  if (!Number.isInteger(example.length) || example.length < 0 || example.length > dataset.length) {
    throw new RangeError(
      `${where}: length must be an integer in [0, ${dataset.length}]; got ${example.length}`,
    );
  }
}
