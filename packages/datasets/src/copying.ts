import { createDataset } from './dataset';
import { checkTaskOptions, integerOption, limitSplits } from './options';
import { exampleRng } from './seed';
import type { SequenceDataset, TaskOptions, TaskSplits } from './types';

/** Options of {@link copyingTask}. */
export interface CopyingOptions extends TaskOptions {
  /** Number of distinct symbols (default 8). */
  alphabet?: number;
  /** Symbols to memorise and recall (default 10). */
  memorize?: number;
  /** Delay T: steps from the last symbol to the first recall step, marker included (default 200). */
  delay?: number;
  /** Examples in the train split (default 10,000). */
  trainSize?: number;
  /** Examples in the test split (default 1,000). */
  testSize?: number;
}

/**
 * The copy-memory task (Hochreiter & Schmidhuber 1997; layout of Arjovsky et al. 2016). An input of
 * L = T + 2m tokens holds m random symbols (tokens 1…alphabet), T − 1 blanks (token 0), the marker
 * (token alphabet + 1) and m blanks; the target is the m symbols (classes 0…alphabet − 1, symbol − 1),
 * which the model must output at the last m positions. Example i of a split depends only on
 * (seed, split, i).
 */
export function copyingTask(options: CopyingOptions = {}): TaskSplits {
  const seed = checkTaskOptions('copy', options, ['alphabet', 'memorize', 'delay', 'trainSize', 'testSize']);
  const alphabet = integerOption('copy alphabet', options.alphabet, 8);
  const memorize = integerOption('copy memorize', options.memorize, 10);
  const delay = integerOption('copy delay', options.delay, 200);
  const sizes = {
    train: integerOption('copy trainSize', options.trainSize, 10_000),
    test: integerOption('copy testSize', options.testSize, 1_000),
  };
  const split = (name: 'train' | 'test'): SequenceDataset => {
    const length = delay + 2 * memorize;
    return createDataset({
      name: `copy/${name}`,
      size: sizes[name],
      length,
      input: { kind: 'tokens', vocab: alphabet + 2 },
      target: { kind: 'sequence-class', classes: alphabet, length: memorize },
      example(i) {
        const rng = exampleRng(seed, name, i);
        const input = new Int32Array(length);
        const target = new Int32Array(memorize);
        for (let k = 0; k < memorize; k++) {
          target[k] = Math.floor(rng.uniform() * alphabet);
          input[k] = target[k] + 1;
        }
        input[memorize + delay - 1] = alphabet + 1;
        return { input, length, target };
      },
    });
  };
  return limitSplits('copy', { train: split('train'), test: split('test') }, options.limit);
}
