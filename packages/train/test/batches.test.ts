import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { batchLoss } from '../src/batch-gradients';
import { bucketedOrder, collate, epochOrder, LENGTH_GRANULE, lengthSortedOrder } from '../src/batches';
import { evaluate, fit, modelForTask } from '../src/index';
import { firstTokenTask, signTask } from './tiny-tasks';

const data = firstTokenTask({ size: 64, length: 150 });
const directories: string[] = [];
afterAll(() => Promise.all(directories.map((d) => rm(d, { recursive: true, force: true }))));

const lengthOf = (i: number) => data.example(i).length;

describe('variable-length batches', () => {
  it('are padded to their longest example rounded up to the granule; fixed-length ones to L', () => {
    const indices = [3, 9, 17];
    const longest = Math.max(...indices.map(lengthOf));
    const L = Math.min(150, Math.ceil(longest / LENGTH_GRANULE) * LENGTH_GRANULE);
    const batch = collate(data, indices);
    expect(batch.x.shape).toEqual([3, L]);
    expect(Array.from(batch.lengths ?? [])).toEqual(indices.map(lengthOf));
    for (let b = 0; b < 3; b++) {
      expect(Array.from(batch.x.data.subarray(b * L, (b + 1) * L))).toEqual(
        Array.from(data.example(indices[b]).input.subarray(0, L)),
      );
    }
    expect(collate(signTask({ size: 4, length: 40 }), [0, 1]).x.shape).toEqual([2, 40, 1]);
  });

  it('give the loss of batches padded to the full length (the padding is masked)', async () => {
    const { model } = modelForTask(data, { model: 's4d', layers: 2, dModel: 4, dState: 4, seed: 2 });
    const batch = collate(data, [1, 2, 5, 8]);
    const L = batch.x.shape[1];
    expect(L).toBeLessThan(150);
    const full = new Int32Array(4 * 150);
    for (let b = 0; b < 4; b++) full.set(batch.x.data.subarray(b * L, (b + 1) * L) as Int32Array, b * 150);
    const padded = { ...batch, x: { data: full, shape: [4, 150] } };
    const trimmed = await batchLoss(model, batch, data.target);
    const reference = await batchLoss(model, padded, data.target);
    expect(Math.abs(trimmed.loss - reference.loss)).toBeLessThanOrEqual(1e-9 * Math.abs(reference.loss));
  });

  it('bucketed orders are deterministic permutations whose batches hold similar lengths', () => {
    const order = epochOrder(data.size, 5, 0);
    const bucketed = bucketedOrder(data, order, 8, 5, 0);
    expect(Array.from(bucketed).sort((a, b) => a - b)).toEqual(Array.from({ length: 64 }, (_, i) => i));
    expect(bucketedOrder(data, order, 8, 5, 0)).toEqual(bucketed);
    expect(bucketedOrder(data, epochOrder(data.size, 5, 1), 8, 5, 1)).not.toEqual(bucketed);
    // One window (64 < 8 × 50): every batch is a run of the length-sorted order.
    const padding = (o: Int32Array) => {
      let total = 0;
      for (let k = 0; k < 8; k++) {
        const lengths = Array.from(o.subarray(8 * k, 8 * k + 8), lengthOf);
        total += lengths.reduce((sum, l) => sum + Math.max(...lengths) - l, 0);
      }
      return total;
    };
    expect(padding(bucketed)).toBeLessThan(0.5 * padding(order));
    const sorted = lengthSortedOrder(data);
    for (let i = 1; i < 64; i++) expect(lengthOf(sorted[i])).toBeGreaterThanOrEqual(lengthOf(sorted[i - 1]));
  });

  it('evaluation in length order gives the metrics of index order', async () => {
    const { model } = modelForTask(data, { model: 's4d', layers: 1, dModel: 4, dState: 4, seed: 3 });
    const { loss, accuracy } = await evaluate(model, data, { batchSize: 64 });
    const whole = await batchLoss(
      model,
      collate(
        data,
        Array.from({ length: 64 }, (_, i) => i),
      ),
      data.target,
    );
    const byBatches = await evaluate(model, data, { batchSize: 8 });
    expect(Math.abs(byBatches.loss - loss)).toBeLessThanOrEqual(1e-9 * loss);
    expect(Math.abs(whole.loss - loss)).toBeLessThanOrEqual(1e-9 * loss);
    expect(byBatches.accuracy).toBe(accuracy);
  });

  it('fit with lengthBuckets trains, and refuses to resume a run without them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'statespace-buckets-'));
    directories.push(dir);
    const make = () => modelForTask(data, { model: 's4d', layers: 1, dModel: 4, dState: 4, seed: 4 });
    const options = { train: data, test: data, epochs: 1, batchSize: 8, lr: 0.01, seed: 1 };
    const first = make();
    await fit({ ...options, ...first, checkpointDir: dir });
    const second = make();
    await expect(
      fit({ ...options, ...second, epochs: 2, checkpointDir: dir, lengthBuckets: true }),
    ).rejects.toThrow(/lengthBuckets false \(checkpoint\) vs true/);
    const bucketed = make();
    const { history } = await fit({ ...options, ...bucketed, lengthBuckets: true });
    expect(Number.isFinite(history[0].trainLoss)).toBe(true);
  });
});
