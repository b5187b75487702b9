import { describe, expect, it } from 'vitest';
import { addingTask, type Batch, batchCount, batches, listOpsTask, type SequenceDataset } from '../src/index';

const { train } = addingTask({ seed: 1, length: 8, trainSize: 23 });
const indicesOf = (list: Iterable<Batch>) => [...list].flatMap((b) => Array.from(b.indices));

describe('batches', () => {
  it('walks the index order by default, the last batch smaller', () => {
    const list = [...batches(train, { batchSize: 5 })];
    expect(list.map((b) => b.indices.length)).toEqual([5, 5, 5, 5, 3]);
    expect(indicesOf(list)).toEqual(Array.from({ length: 23 }, (_, i) => i));
    expect(batchCount(train, { batchSize: 5 })).toBe(5);
    expect(batchCount(train, { batchSize: 5, dropLast: true })).toBe(4);
    expect([...batches(train, { batchSize: 5, dropLast: true })]).toHaveLength(4);
  });

  it('stacks each example at its place in the batch', () => {
    const list = [...batches(train, { batchSize: 5, shuffle: true, seed: 9 })];
    const batch = list[2];
    batch.indices.forEach((index, b) => {
      const { input, target } = train.example(index);
      expect(batch.x.data.subarray(b * 16, (b + 1) * 16)).toEqual(input);
      expect(batch.y.data[b]).toBe((target as Float32Array)[0]);
    });
  });

  it('shuffles deterministically: same (seed, epoch) → identical batches, another epoch → another order', () => {
    const options = { batchSize: 4, shuffle: true, seed: 3, epoch: 2 };
    const first = [...batches(train, options)];
    const second = [...batches(train, options)];
    expect(second).toEqual(first);
    const order = indicesOf(first);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 23 }, (_, i) => i));
    expect(indicesOf(batches(train, { ...options, epoch: 3 }))).not.toEqual(order);
    expect(indicesOf(batches(train, { ...options, seed: 4 }))).not.toEqual(order);
  });

  it('start/end cut the shuffled order, for resuming and sharding', () => {
    const options = { batchSize: 4, shuffle: true, seed: 7, epoch: 1 };
    const whole = indicesOf(batches(train, options));
    const head = indicesOf(batches(train, { ...options, end: 10 }));
    const tail = indicesOf(batches(train, { ...options, start: 10 }));
    expect([...head, ...tail]).toEqual(whole);
    expect(indicesOf(batches(train, { ...options, start: 4, end: 8 }))).toEqual(whole.slice(4, 8));
    expect(batchCount(train, { ...options, start: 10 })).toBe(4);
    expect([...batches(train, { ...options, start: 23 })]).toEqual([]);
  });

  it('pads variable-length examples and reports their lengths', () => {
    const { test } = listOpsTask({ minLength: 5, maxLength: 40, testSize: 6 });
    const [batch] = batches(test, { batchSize: 6 });
    expect(batch.x.shape).toEqual([6, 40]);
    expect(batch.lengths).toBeInstanceOf(Int32Array);
    for (let b = 0; b < 6; b++) {
      const row = batch.x.data.subarray(40 * b, 40 * (b + 1));
      const length = batch.lengths![b];
      expect(length).toBe(test.example(b).length);
      expect(row.subarray(0, length).every((t) => t > 0)).toBe(true);
      expect(row.subarray(length).every((t) => t === 0)).toBe(true);
    }
  });

  it('rejects bad options', () => {
    expect(() => batches(train, { batchSize: 0 })).toThrow(/batchSize must be an integer ≥ 1; got 0/);
    expect(() => batchCount(train, { batchSize: 2.5 })).toThrow(/batchSize/);
    expect(() => batches(train, { batchSize: 2, epoch: -1 })).toThrow(/epoch must be an integer ≥ 0/);
    expect(() => batches(train, { batchSize: 2, start: 24 })).toThrow(
      /start must be an integer in \[0, 23\]/,
    );
    expect(() => batches(train, { batchSize: 2, start: 5, end: 4 })).toThrow(
      /end must be an integer in \[start = 5, 23\]/,
    );
    expect(() => train.example(23)).toThrow(
      /example index of adding\/train must be an integer in \[0, 23\); got 23/,
    );
  });

  it('rejects a dataset whose examples disagree with what it declares', () => {
    const broken: SequenceDataset = {
      ...train,
      length: 9,
      example: (i) => train.example(i),
    };
    expect(() => [...batches(broken, { batchSize: 2 })]).toThrow(
      /adding\/train example 0: input must be a Float32Array of 18 values/,
    );
  });
});
