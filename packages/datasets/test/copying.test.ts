import { describe, expect, it } from 'vitest';
import { batches, copyingTask } from '../src/index';

describe('copyingTask', () => {
  const { train, test } = copyingTask({
    seed: 5,
    alphabet: 8,
    memorize: 10,
    delay: 50,
    trainSize: 200,
    testSize: 20,
  });

  it('declares tokens and a sequence target read at the last `memorize` positions', () => {
    expect(train).toMatchObject({
      name: 'copy/train',
      size: 200,
      length: 70,
      input: { kind: 'tokens', vocab: 10 },
      target: { kind: 'sequence-class', classes: 8, length: 10 },
    });
    expect(test.size).toBe(20);
  });

  it('targets are the memorised symbols; blanks and one marker elsewhere', () => {
    const counts = new Array(8).fill(0);
    for (let i = 0; i < train.size; i++) {
      const { input, length, target } = train.example(i);
      expect(length).toBe(70);
      const symbols = input.subarray(0, 10);
      expect(Array.from(target as Int32Array, (c) => c + 1)).toEqual(Array.from(symbols));
      for (let t = 10; t < 70; t++) expect(input[t]).toBe(t === 10 + 50 - 1 ? 9 : 0);
      for (const c of target as Int32Array) counts[c]++;
    }
    // 2,000 uniform draws over 8 symbols: every symbol near 250.
    for (const c of counts) expect(Math.abs(c - 250)).toBeLessThan(70);
  });

  it('depends only on (seed, split, index)', () => {
    const again = copyingTask({ seed: 5, delay: 50, trainSize: 200, testSize: 20 });
    expect(again.train.example(199)).toEqual(train.example(199));
    expect(test.example(0).target).not.toEqual(train.example(0).target);
    expect(copyingTask({ seed: 6, delay: 50 }).train.example(0).target).not.toEqual(train.example(0).target);
  });

  it('batches are [B, L] tokens with [B, memorize] labels and no lengths', () => {
    const [batch] = batches(train, { batchSize: 3 });
    expect(batch.x.shape).toEqual([3, 70]);
    expect(batch.y.shape).toEqual([3, 10]);
    expect(batch.y.data).toBeInstanceOf(Int32Array);
    expect(batch.lengths).toBeUndefined();
    expect(Array.from(batch.y.data.subarray(10, 20))).toEqual(
      Array.from(train.example(1).target as Int32Array),
    );
  });

  it('rejects bad parameters', () => {
    expect(() => copyingTask({ delay: 0 })).toThrow(/copy delay must be an integer ≥ 1; got 0/);
    expect(() => copyingTask({ alphabet: 2.5 })).toThrow(/copy alphabet/);
    expect(() => copyingTask({ seed: 0.5 })).toThrow(/copy seed must be an integer/);
  });
});
