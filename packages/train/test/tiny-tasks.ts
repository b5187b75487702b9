import { createRng } from '@statespace/complex';
import type { TaskTarget, TrainingDataset, TrainingExample } from '../src/index';

// Tiny in-test datasets implementing the dataset interface: deterministic, learnable, milliseconds
// per epoch.

interface TinyOptions {
  size: number;
  length?: number;
  seed?: number;
}

function dataset(
  name: string,
  size: number,
  length: number,
  input: TrainingDataset['input'],
  target: TaskTarget,
  make: (i: number) => TrainingExample,
  variableLength = false,
): TrainingDataset {
  const examples = Array.from({ length: size }, (_, i) => make(i));
  return { name, size, length, input, target, variableLength, example: (i) => examples[i] };
}

/** Real inputs [L, 1]; the class is 1 when they sum to more than 0. */
export function signTask({ size, length = 8, seed = 0 }: TinyOptions): TrainingDataset {
  return dataset('sign', size, length, { kind: 'real', features: 1 }, { kind: 'class', classes: 2 }, (i) => {
    const rng = createRng(seed * 100_003 + i);
    const input = Float32Array.from({ length }, () => rng.normal());
    return { input, length, target: input.reduce((a, b) => a + b, 0) > 0 ? 1 : 0 };
  });
}

/** Tokens in [0, 3) of variable length; the class is the first token. */
export function firstTokenTask({ size, length = 6, seed = 0 }: TinyOptions): TrainingDataset {
  return dataset(
    'first-token',
    size,
    length,
    { kind: 'tokens', vocab: 3 },
    { kind: 'class', classes: 3 },
    (i) => {
      const rng = createRng(seed * 100_003 + i);
      const true_length = 2 + Math.floor(rng.uniform() * (length - 1));
      const input = new Int32Array(length);
      for (let t = 0; t < true_length; t++) input[t] = Math.floor(rng.uniform() * 3);
      return { input, length: true_length, target: input[0] };
    },
    true,
  );
}

/** Real inputs [L, 2]; targets: the sum of the first feature and the mean of the second. */
export function sumTask({ size, length = 6, seed = 0 }: TinyOptions): TrainingDataset {
  return dataset(
    'sum',
    size,
    length,
    { kind: 'real', features: 2 },
    { kind: 'regression', outputs: 2 },
    (i) => {
      const rng = createRng(seed * 100_003 + i);
      const input = Float32Array.from({ length: 2 * length }, () => rng.uniform());
      let sum = 0;
      let mean = 0;
      for (let t = 0; t < length; t++) {
        sum += input[2 * t];
        mean += input[2 * t + 1] / length;
      }
      return { input, length, target: Float32Array.of(sum, mean) };
    },
  );
}

/** Tokens in [0, 2); the labels of the last 2 positions are the tokens at the first 2. */
export function copyTask({ size, length = 6, seed = 0 }: TinyOptions): TrainingDataset {
  return dataset(
    'copy',
    size,
    length,
    { kind: 'tokens', vocab: 2 },
    { kind: 'sequence-class', classes: 2, length: 2 },
    (i) => {
      const rng = createRng(seed * 100_003 + i);
      const input = Int32Array.from({ length }, () => Math.floor(rng.uniform() * 2));
      return { input, length, target: input.slice(0, 2) };
    },
  );
}
