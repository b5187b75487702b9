import { assertFinite } from '@statespace/complex';
import { createDataset } from './dataset';
import { inSplitOrder, randomPermutation } from './permutation';
import type { SequenceDataset, TaskSplits } from './types';

/** Pixels per digit: a 28×28 image read row by row, one pixel per step. */
export const MNIST_LENGTH = 784;
/** Seed of the fixed permutation of psMNIST (so psMNIST is the same task everywhere). */
export const PSMNIST_PERMUTATION_SEED = 784;
/** In the fixed split, digit g (0-based, in the order given) is a test digit when g mod 5 = 4. */
export const MNIST_TEST_EVERY = 5;

let permutation: Int32Array | undefined;

/**
 * The fixed pixel order of psMNIST: step t reads pixel `psmnistPermutation()[t]` (row-major index).
 * A Fisher–Yates permutation of 0…783 from `createRng(PSMNIST_PERMUTATION_SEED)`.
 */
export function psmnistPermutation(): Int32Array {
  permutation ??= randomPermutation(MNIST_LENGTH, PSMNIST_PERMUTATION_SEED);
  return permutation.slice();
}

/** Options of the MNIST datasets built from digits. */
export interface MnistDigitsOptions {
  /** Read the pixels in the fixed psMNIST order instead of row by row (default false). */
  permute?: boolean;
  /** Dataset name (default `'smnist'` or `'psmnist'`). */
  name?: string;
}

/**
 * A sequential MNIST dataset of digits the caller supplies (e.g. fetched in a browser): `pixels`
 * holds n row-major 28×28 images one after another (n·784 values, used as given), `labels` their n
 * digits 0–9. Each example is a sequence of 784 steps with one real feature, its target the digit.
 */
export function mnistFromDigits(
  pixels: Float32Array,
  labels: Int32Array,
  options: MnistDigitsOptions = {},
): SequenceDataset {
  checkDigits(pixels, labels);
  const all = Int32Array.from({ length: labels.length }, (_, i) => i);
  return digitsDataset(pixels, labels, all, options);
}

/**
 * The fixed train/test split of digits: digit g goes to the test split when g mod 5 = 4, so that of
 * the mnist package's 10,000 digits 8,000 train and 2,000 test, each class split 4:1. Each split lists
 * its digits in one fixed shuffled order (so its first n examples mix all classes).
 */
export function splitMnist(
  pixels: Float32Array,
  labels: Int32Array,
  options: Omit<MnistDigitsOptions, 'name'> = {},
): TaskSplits {
  checkDigits(pixels, labels);
  const isTest = (g: number) => g % MNIST_TEST_EVERY === MNIST_TEST_EVERY - 1;
  const all = Array.from({ length: labels.length }, (_, g) => g);
  const train = inSplitOrder(Int32Array.from(all.filter((g) => !isTest(g))));
  const test = inSplitOrder(Int32Array.from(all.filter(isTest)));
  const task = options.permute ? 'psmnist' : 'smnist';
  return {
    train: digitsDataset(pixels, labels, train, { ...options, name: `${task}/train` }),
    test: digitsDataset(pixels, labels, test, { ...options, name: `${task}/test` }),
  };
}

function checkDigits(pixels: Float32Array, labels: Int32Array): void {
  if (!(pixels instanceof Float32Array)) throw new TypeError('pixels must be a Float32Array');
  if (!(labels instanceof Int32Array)) throw new TypeError('labels must be an Int32Array');
  if (labels.length === 0 || pixels.length !== labels.length * MNIST_LENGTH) {
    throw new RangeError(
      `pixels must hold ${MNIST_LENGTH} values per label (${labels.length} labels → ${labels.length * MNIST_LENGTH}); got ${pixels.length}`,
    );
  }
  const bad = labels.findIndex((label) => label < 0 || label > 9);
  if (bad >= 0) throw new RangeError(`labels must be digits 0–9; got ${labels[bad]} at index ${bad}`);
  assertFinite('pixels', pixels);
}

/** The digits at `indices` as a dataset (indices in the order the dataset lists them). */
function digitsDataset(
  pixels: Float32Array,
  labels: Int32Array,
  indices: Int32Array,
  options: MnistDigitsOptions,
): SequenceDataset {
  const order = options.permute ? psmnistPermutation() : undefined;
  return createDataset({
    name: options.name ?? (options.permute ? 'psmnist' : 'smnist'),
    size: indices.length,
    length: MNIST_LENGTH,
    input: { kind: 'real', features: 1 },
    target: { kind: 'class', classes: 10 },
    example(i) {
      const g = indices[i];
      const image = pixels.subarray(g * MNIST_LENGTH, (g + 1) * MNIST_LENGTH);
      const input = order ? Float32Array.from(order, (p) => image[p]) : image.slice();
      return { input, length: MNIST_LENGTH, target: labels[g] };
    },
  });
}
