import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SequenceModel } from '@statespace/layers';
import { expectClose } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { batchGradients } from '../src/batch-gradients';
import { collate } from '../src/batches';
import { DataParallel } from '../src/data-parallel';
import { fit, modelForTask } from '../src/index';
import { firstTokenTask, signTask } from './tiny-tasks';

function expectSameParameters(a: SequenceModel, b: SequenceModel, tolerance: number): void {
  const others = b.parameters();
  for (const [name, p] of a.parameters()) expectClose(p.data, others.get(name)?.data ?? [], tolerance, name);
}

describe('data-parallel workers', () => {
  it('give the single-process batch gradient (shards weighted by size), with variable lengths', async () => {
    const data = firstTokenTask({ size: 7 });
    const { model, modelOptions } = modelForTask(data, {
      model: 's4d',
      layers: 2,
      dModel: 4,
      dState: 4,
      seed: 2,
    });
    model.train();
    const batch = collate(data, [0, 1, 2, 3, 4, 5, 6]);
    const single = await batchGradients(model, batch, data.target);
    const parallel = await DataParallel.start(2, modelOptions);
    try {
      // Shards of 4 and 3 examples.
      const split = await parallel.batchGradients(model, batch, data.target);
      expect(split.loss).toBeCloseTo(single.loss, 14);
      expect(split.correct).toBe(single.correct);
      expect(split.count).toBe(single.count);
      for (const [name, g] of single.grads) expectClose(split.grads.get(name) ?? [], g, 1e-12, name);
    } finally {
      await parallel.close();
    }
  });

  it.each(['s4d', 's4'] as const)(
    'workers: 2 trains like workers: 1 (within 1e-6 relative per parameter), %s',
    async (kind) => {
      const train = signTask({ size: 24 });
      const test = signTask({ size: 8, seed: 1 });
      const build = () => modelForTask(train, { model: kind, layers: 1, dModel: 4, dState: 4, seed: 5 });
      const one = build();
      const two = build();
      const options = { train, test, epochs: 2, batchSize: 8, lr: 0.01, seed: 1 };
      const a = await fit({ ...options, model: one.model });
      const b = await fit({ ...options, model: two.model, workers: 2, modelOptions: two.modelOptions });
      expectSameParameters(two.model, one.model, 1e-6);
      expect(b.history[1].trainLoss).toBeCloseTo(a.history[1].trainLoss, 10);
      await expect(fit({ ...options, model: two.model, workers: 2 })).rejects.toThrow(
        /workers > 1 needs modelOptions/,
      );
    },
  );

  it('with dropout, a run on 2 workers resumed after an abort equals the uninterrupted run', async () => {
    const train = signTask({ size: 24 });
    const test = signTask({ size: 8, seed: 1 });
    const build = () =>
      modelForTask(train, { model: 's4d', layers: 1, dModel: 4, dState: 4, seed: 5, dropout: 0.25 });
    const options = { train, test, epochs: 2, batchSize: 8, lr: 0.01, seed: 1, workers: 2 };
    const reference = build();
    await fit({ ...options, ...reference });
    const dir = await mkdtemp(join(tmpdir(), 'statespace-dp-'));
    try {
      const controller = new AbortController();
      const first = build();
      const stopped = await fit({
        ...options,
        ...first,
        checkpointDir: dir,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'train' && p.epoch === 2 && p.step === 1) controller.abort();
        },
      });
      expect(stopped.stopped).toBe('aborted');
      const second = build();
      for (const parameter of second.model.parameters().values()) parameter.data.fill(0.5);
      await fit({ ...options, ...second, checkpointDir: dir });
      expectSameParameters(second.model, reference.model, 0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
