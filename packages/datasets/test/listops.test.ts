import { createRng } from '@statespace/complex';
import { describe, expect, it } from 'vitest';
import { batches, generateListOps, LISTOPS_VOCABULARY, listOpsTask } from '../src/index';
import { evaluateListOps } from './listops-oracle';

const words = (tokens: ArrayLike<number>, length = tokens.length) =>
  Array.from({ length }, (_, t) => LISTOPS_VOCABULARY[tokens[t]]);

describe('the test oracle', () => {
  it('evaluates known expressions (the LRA paper example among them)', () => {
    const lra = '[MAX 4 3 [MIN 2 3 ] 1 0 [MED 1 5 8 9 2 ] ]'.split(' ');
    expect(evaluateListOps(lra)).toEqual({ value: 5, depth: 3, argCounts: [2, 5, 6] });
    expect(evaluateListOps('[MED 1 2 4 9 ]'.split(' ')).value).toBe(3);
    expect(evaluateListOps('[SM 7 8 [MAX 1 9 ] ]'.split(' ')).value).toBe(4);
    expect(evaluateListOps(['7']).depth).toBe(1);
  });
});

describe('listOpsTask', () => {
  const { train, test } = listOpsTask({ seed: 3, trainSize: 300, testSize: 100 });

  it('declares LRA tokens, ten classes and padded inputs of maxLength', () => {
    expect(LISTOPS_VOCABULARY).toEqual([
      '<pad>',
      ...'0123456789'.split(''),
      '[MIN',
      '[MAX',
      '[MED',
      '[SM',
      ']',
    ]);
    expect(train).toMatchObject({
      name: 'listops/train',
      size: 300,
      length: 2000,
      input: { kind: 'tokens', vocab: 16 },
      target: { kind: 'class', classes: 10 },
      variableLength: true,
    });
  });

  it('labels agree with an independent evaluator; depth ≤ 10, 2–10 arguments, 500 < length < 2000', () => {
    const labels = new Array(10).fill(0);
    for (const dataset of [train, test]) {
      for (let i = 0; i < dataset.size; i++) {
        const { input, length, target } = dataset.example(i);
        expect(length).toBeGreaterThan(500);
        expect(length).toBeLessThan(2000);
        expect(input.subarray(length).every((t) => t === 0)).toBe(true);
        const parsed = evaluateListOps(words(input, length));
        expect(parsed.value).toBe(target);
        expect(parsed.depth).toBeLessThanOrEqual(10);
        expect(Math.min(...parsed.argCounts)).toBeGreaterThanOrEqual(2);
        expect(Math.max(...parsed.argCounts)).toBeLessThanOrEqual(10);
        labels[target as number]++;
      }
    }
    // Every value occurs and none dominates (MIN/MAX make 0 and 9 the most frequent, as in LRA).
    expect(Math.min(...labels)).toBeGreaterThan(0);
    expect(Math.max(...labels)).toBeLessThan(0.3 * 400);
  });

  it('agrees with the evaluator for many small expressions of other shapes', () => {
    const params = { maxDepth: 4, maxArgs: 5, minLength: 3, maxLength: 60 };
    const rng = createRng(11);
    for (let k = 0; k < 2000; k++) {
      const { tokens, value } = generateListOps(rng, params);
      expect(tokens.length).toBeGreaterThan(3);
      expect(tokens.length).toBeLessThan(60);
      const parsed = evaluateListOps(words(tokens));
      expect(parsed.value).toBe(value);
      expect(parsed.depth).toBeLessThanOrEqual(4);
      expect(Math.max(...parsed.argCounts)).toBeLessThanOrEqual(5);
    }
  });

  it('depends only on (seed, split, index)', () => {
    const again = listOpsTask({ seed: 3, trainSize: 300, testSize: 100 });
    expect(again.train.example(250)).toEqual(train.example(250));
    expect(again.train.example(0)).toEqual(train.example(0));
    expect(test.example(0).input).not.toEqual(train.example(0).input);
    const other = listOpsTask({ seed: 4, trainSize: 1, testSize: 1 });
    expect(other.train.example(0).input).not.toEqual(train.example(0).input);
  });

  it('batches carry the true lengths, padded with 0', () => {
    const [batch] = batches(train, { batchSize: 4 });
    expect(batch.x.shape).toEqual([4, 2000]);
    expect(batch.y.shape).toEqual([4]);
    for (let b = 0; b < 4; b++) {
      const { length } = train.example(b);
      expect(batch.lengths![b]).toBe(length);
      const row = batch.x.data.subarray(b * 2000, (b + 1) * 2000);
      expect(row[length - 1]).toBe(15);
      expect(row.subarray(length).every((t) => t === 0)).toBe(true);
    }
  });

  it('rejects bad parameters', () => {
    expect(() => listOpsTask({ maxArgs: 1 })).toThrow(/listops maxArgs must be an integer ≥ 2/);
    expect(() => listOpsTask({ minLength: 10, maxLength: 11 })).toThrow(/maxLength must be ≥ minLength \+ 2/);
    const impossible = listOpsTask({ maxDepth: 2, maxArgs: 2, minLength: 10, maxLength: 20 });
    expect(() => impossible.train.example(0)).toThrow(/accepted no tree/);
  });
});
