import { describe, expect, it } from 'vitest';
import { loadTask, type SequenceDataset, TASK_NAMES } from '../src/index';

/** Checks that every example matches what its dataset declares. */
function expectConsistent(dataset: SequenceDataset): void {
  const { input, target, length: L } = dataset;
  for (let i = 0; i < dataset.size; i++) {
    const example = dataset.example(i);
    expect(example.length).toBeGreaterThan(0);
    expect(example.length).toBeLessThanOrEqual(L);
    if (input.kind === 'real') {
      expect(example.input).toBeInstanceOf(Float32Array);
      expect(example.input.length).toBe(L * input.features);
    } else {
      expect(example.input).toBeInstanceOf(Int32Array);
      expect(example.input.length).toBe(L);
      expect(example.input.every((t) => t >= 0 && t < input.vocab)).toBe(true);
    }
    if (target.kind === 'class') {
      expect(Number.isInteger(example.target)).toBe(true);
      expect(example.target).toBeGreaterThanOrEqual(0);
      expect(example.target).toBeLessThan(target.classes);
    } else if (target.kind === 'sequence-class') {
      const labels = example.target as Int32Array;
      expect(labels).toBeInstanceOf(Int32Array);
      expect(labels.length).toBe(target.length);
      expect(labels.every((c) => c >= 0 && c < target.classes)).toBe(true);
    } else {
      expect(example.target).toBeInstanceOf(Float32Array);
      expect((example.target as Float32Array).length).toBe(target.outputs);
    }
  }
}

describe('loadTask', () => {
  it('knows the six tasks', () => {
    expect(TASK_NAMES).toEqual(['smnist', 'psmnist', 'copy', 'adding', 'listops', 'spam']);
  });

  it.each(TASK_NAMES.map((name) => [name]))('%s: examples match what the splits declare', (name) => {
    const { train, test } = loadTask(name, { seed: 1, limit: { train: 5, test: 4 } });
    expect(train.size).toBe(5);
    expect(test.size).toBe(4);
    expect(train.name).toBe(`${name}/train`);
    expect(test.name).toBe(`${name}/test`);
    expectConsistent(train);
    expectConsistent(test);
  });

  it('passes task options through and rejects unknown ones', () => {
    expect(loadTask('copy', { delay: 20, memorize: 5 }).train.length).toBe(30);
    expect(() => loadTask('copy', { length: 20 } as never)).toThrow(
      /unknown option 'length' for copy; accepted options: 'seed', 'limit', 'alphabet'/,
    );
    expect(() => loadTask('smnist', { permute: true } as never)).toThrow(
      /name the task 'smnist' or 'psmnist'/,
    );
  });

  it('rejects unknown names and bad limits', () => {
    expect(() => loadTask('cifar' as never)).toThrow(
      "task name must be one of 'smnist', 'psmnist', 'copy', 'adding', 'listops', 'spam'; got 'cifar'",
    );
    expect(() => loadTask('adding', { limit: { train: 0 } })).toThrow(
      /adding limit.train must be an integer ≥ 1/,
    );
    expect(() => loadTask('adding', { limit: { validation: 3 } as never })).toThrow(
      /unknown key 'validation' in adding limit/,
    );
  });

  it('a limit above the split size keeps the whole split', () => {
    expect(loadTask('adding', { trainSize: 7, limit: { train: 100 } }).train.size).toBe(7);
  });
});
