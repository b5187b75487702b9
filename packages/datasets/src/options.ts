import { assertInteger } from '@statespace/complex';
import { firstExamples } from './dataset';
import type { TaskOptions, TaskSplits } from './types';

/** The option names every task accepts. */
const COMMON_OPTIONS = ['seed', 'limit'] as const;

/**
 * Throws on an option the task does not know (so a misspelt option never goes unnoticed), and returns
 * the seed (default 0).
 */
export function checkTaskOptions(task: string, options: object, accepted: readonly string[]): number {
  const known = [...COMMON_OPTIONS, ...accepted];
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new RangeError(
        `unknown option '${key}' for ${task}; accepted options: ${known.map((k) => `'${k}'`).join(', ')}`,
      );
    }
  }
  const seed = (options as TaskOptions).seed ?? 0;
  assertInteger(`${task} seed`, seed);
  return seed;
}

/** A count option: its default when absent, otherwise checked to be an integer ≥ min. */
export function integerOption(arg: string, value: number | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  assertInteger(arg, value, min);
  return value;
}

/** Applies `limit` (at most the first n examples of each split). */
export function limitSplits(task: string, splits: TaskSplits, limit: TaskOptions['limit']): TaskSplits {
  if (limit === undefined) return splits;
  for (const key of Object.keys(limit)) {
    if (key !== 'train' && key !== 'test') {
      throw new RangeError(`unknown key '${key}' in ${task} limit; accepted keys: 'train', 'test'`);
    }
  }
  const { train, test } = limit;
  if (train !== undefined) assertInteger(`${task} limit.train`, train, 1);
  if (test !== undefined) assertInteger(`${task} limit.test`, test, 1);
  return {
    train: train === undefined ? splits.train : firstExamples(splits.train, train),
    test: test === undefined ? splits.test : firstExamples(splits.test, test),
  };
}
