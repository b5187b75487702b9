import { describe, expect, it } from 'vitest';
import { addingTask, batches } from '../src/index';

describe('addingTask', () => {
  const { train, test } = addingTask({ seed: 2, length: 101, trainSize: 300, testSize: 30 });

  it('declares [L, 2] real inputs and one regression output', () => {
    expect(train).toMatchObject({
      name: 'adding/train',
      size: 300,
      length: 101,
      input: { kind: 'real', features: 2 },
      target: { kind: 'regression', outputs: 1 },
    });
    expect(test.size).toBe(30);
    expect(addingTask().train).toMatchObject({ size: 10_000, length: 200 });
  });

  it('marks exactly two steps, one in each half, and the target is the sum of their values', () => {
    for (let i = 0; i < train.size; i++) {
      const { input, length, target } = train.example(i);
      expect(length).toBe(101);
      const values = input.filter((_, k) => k % 2 === 0);
      const marks = input.filter((_, k) => k % 2 === 1);
      expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
      expect(marks.every((m) => m === 0 || m === 1)).toBe(true);
      const marked = [...marks.keys()].filter((t) => marks[t] === 1);
      expect(marked).toHaveLength(2);
      expect(marked[0]).toBeLessThan(50);
      expect(marked[1]).toBeGreaterThanOrEqual(50);
      expect((target as Float32Array)[0]).toBe(Math.fround(values[marked[0]] + values[marked[1]]));
    }
  });

  it('depends only on (seed, split, index)', () => {
    const again = addingTask({ seed: 2, length: 101 });
    expect(again.train.example(7)).toEqual(train.example(7));
    expect(test.example(7).input).not.toEqual(train.example(7).input);
  });

  it('batches are [B, L, 2] float32 with [B, 1] targets', () => {
    const [batch] = batches(test, { batchSize: 30 });
    expect(batch.x.shape).toEqual([30, 101, 2]);
    expect(batch.x.data).toBeInstanceOf(Float32Array);
    expect(batch.y.shape).toEqual([30, 1]);
    expect(batch.y.data[29]).toBe((test.example(29).target as Float32Array)[0]);
  });

  it('rejects a length below 2', () => {
    expect(() => addingTask({ length: 1 })).toThrow(/adding length must be an integer ≥ 2; got 1/);
  });
});
