import { createDataset } from './dataset';
import { checkTaskOptions, integerOption, limitSplits } from './options';
import { exampleRng } from './seed';
import type { SequenceDataset, TaskOptions, TaskSplits } from './types';

/** Options of {@link addingTask}. */
export interface AddingOptions extends TaskOptions {
  /** Sequence length L (an integer ≥ 2; default 200). */
  length?: number;
  /** Examples in the train split (default 10,000). */
  trainSize?: number;
  /** Examples in the test split (default 1,000). */
  testSize?: number;
}

/**
 * The adding problem (Hochreiter & Schmidhuber 1997; the variant of Arjovsky et al. 2016). Input
 * [L, 2]: feature 0 holds values drawn from U[0, 1), feature 1 marks exactly two steps with 1, one
 * uniform in the first half [0, ⌊L/2⌋) and one in the second half [⌊L/2⌋, L). The target (one real
 * output) is the sum of the two marked values. Example i of a split depends only on (seed, split, i).
 */
export function addingTask(options: AddingOptions = {}): TaskSplits {
  const seed = checkTaskOptions('adding', options, ['length', 'trainSize', 'testSize']);
  const length = integerOption('adding length', options.length, 200, 2);
  const sizes = {
    train: integerOption('adding trainSize', options.trainSize, 10_000),
    test: integerOption('adding testSize', options.testSize, 1_000),
  };
  const half = Math.floor(length / 2);
  const split = (name: 'train' | 'test'): SequenceDataset =>
    createDataset({
      name: `adding/${name}`,
      size: sizes[name],
      length,
      input: { kind: 'real', features: 2 },
      target: { kind: 'regression', outputs: 1 },
      example(i) {
        const rng = exampleRng(seed, name, i);
        const input = new Float32Array(2 * length);
        for (let t = 0; t < length; t++) input[2 * t] = rng.uniform();
        const first = Math.floor(rng.uniform() * half);
        const second = half + Math.floor(rng.uniform() * (length - half));
        input[2 * first + 1] = 1;
        input[2 * second + 1] = 1;
        const target = Float32Array.of(input[2 * first] + input[2 * second]);
        return { input, length, target };
      },
    });
  return limitSplits('adding', { train: split('train'), test: split('test') }, options.limit);
}
