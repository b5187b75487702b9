import type { Example, SequenceDataset } from './types';

/** A frozen copy of `spec` whose `example(i)` first checks that i is an index (so `spec.example` need not). */
export function createDataset(spec: SequenceDataset): SequenceDataset {
  const { example, ...fields } = spec;
  return Object.freeze({
    ...fields,
    example(i: number): Example {
      checkIndex(fields.name, fields.size, i);
      return example(i);
    },
  });
}

/** The first `count` examples of a dataset (all of them when it has fewer), as a dataset of its own. */
export function firstExamples(dataset: SequenceDataset, count: number): SequenceDataset {
  if (count >= dataset.size) return dataset;
  return createDataset({
    name: dataset.name,
    size: count,
    length: dataset.length,
    input: dataset.input,
    target: dataset.target,
    variableLength: dataset.variableLength,
    example: (i) => dataset.example(i),
  });
}

function checkIndex(name: string, size: number, i: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= size) {
    throw new RangeError(`example index of ${name} must be an integer in [0, ${size}); got ${i}`);
  }
}
