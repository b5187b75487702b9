import { createDataset } from './dataset';
import {
  generateListOps,
  LISTOPS_VOCABULARY,
  type ListOpsExpression,
  type ListOpsParams,
} from './listops-generator';
import { checkTaskOptions, integerOption, limitSplits } from './options';
import { exampleRng } from './seed';
import type { SequenceDataset, TaskOptions, TaskSplits } from './types';

/** Options of {@link listOpsTask}: LRA's flags, and the split sizes. */
export interface ListOpsOptions extends TaskOptions, Partial<ListOpsParams> {
  /** Examples in the train split (default 96,000, LRA's). */
  trainSize?: number;
  /** Examples in the test split (default 2,000, LRA's). */
  testSize?: number;
}

/**
 * ListOps as generated for the Long Range Arena (Tay et al. 2021): nested MAX, MIN, MED (integer part
 * of the median) and SM (sum modulo 10) expressions over digits 0–9, tree depth ≤ maxDepth (10), 2…maxArgs
 * (10) arguments per operator, kept when minLength < tokens < maxLength (500, 2000). The label is the
 * value 0–9. Inputs are tokens ({@link LISTOPS_VOCABULARY}: 0 padding, digits 1–10, operators 11–14,
 * `]` 15) suffix-padded to L = maxLength, with batches carrying the true lengths. Example i of a split
 * depends only on (seed, split, i); it is generated on first use and cached.
 */
export function listOpsTask(options: ListOpsOptions = {}): TaskSplits {
  const seed = checkTaskOptions('listops', options, [
    'maxDepth',
    'maxArgs',
    'minLength',
    'maxLength',
    'trainSize',
    'testSize',
  ]);
  const params: ListOpsParams = {
    maxDepth: integerOption('listops maxDepth', options.maxDepth, 10),
    maxArgs: integerOption('listops maxArgs', options.maxArgs, 10, 2),
    minLength: integerOption('listops minLength', options.minLength, 500, 0),
    maxLength: integerOption('listops maxLength', options.maxLength, 2000, 2),
  };
  if (params.maxLength < params.minLength + 2) {
    throw new RangeError(
      `listops maxLength must be ≥ minLength + 2 (lengths lie strictly between them); got minLength ${params.minLength}, maxLength ${params.maxLength}`,
    );
  }
  const sizes = {
    train: integerOption('listops trainSize', options.trainSize, 96_000),
    test: integerOption('listops testSize', options.testSize, 2_000),
  };
  const split = (name: 'train' | 'test'): SequenceDataset => {
    const cache = new Array<ListOpsExpression | undefined>(sizes[name]);
    return createDataset({
      name: `listops/${name}`,
      size: sizes[name],
      length: params.maxLength,
      input: { kind: 'tokens', vocab: LISTOPS_VOCABULARY.length },
      target: { kind: 'class', classes: 10 },
      variableLength: true,
      example(i) {
        cache[i] ??= generateListOps(exampleRng(seed, name, i), params);
        const { tokens, value } = cache[i];
        const input = new Int32Array(params.maxLength);
        input.set(tokens);
        return { input, length: tokens.length, target: value };
      },
    });
  };
  return limitSplits('listops', { train: split('train'), test: split('test') }, options.limit);
}
