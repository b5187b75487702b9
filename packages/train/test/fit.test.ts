import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SequenceModel } from '@statespace/layers';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type EpochMetrics,
  evaluate,
  type FitOptions,
  fit,
  loadTrainedModel,
  modelForTask,
  NonFiniteError,
  type TrainingState,
} from '../src/index';
import { signTask, sumTask } from './tiny-tasks';

const train = signTask({ size: 40 });
const test = signTask({ size: 12, seed: 1 });
const directories: string[] = [];
afterAll(() => Promise.all(directories.map((d) => rm(d, { recursive: true, force: true }))));

async function temporaryDirectory(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'statespace-train-'));
  directories.push(dir);
  return dir;
}

/** A tiny float64 S4D classifier; `seed` sets its initial weights (and dropout masks). */
function tinyModel(seed = 1, dropout = 0) {
  return modelForTask(train, { model: 's4d', layers: 1, dModel: 4, dState: 4, seed, dropout });
}

/** 3 epochs of 5 steps (batch 8), evaluation in 2 batches. */
function run(
  model: SequenceModel,
  extra: Partial<FitOptions> = {},
): Promise<ReturnType<typeof fit> extends Promise<infer R> ? R : never> {
  return fit({ model, train, test, epochs: 3, batchSize: 8, lr: 0.02, warmupSteps: 2, seed: 7, ...extra });
}

function weights(model: SequenceModel): number[] {
  return [...model.stateDict().values()].flatMap((t) => Array.from(t.data as Float64Array));
}

/** The metrics without wall-clock figures. */
function numbers(history: EpochMetrics[]) {
  return history.map(({ seconds: _s, samplesPerSecond: _r, ...rest }) => rest);
}

describe('fit', () => {
  it('learns a tiny task: the loss goes down clearly', async () => {
    const { model } = modelForTask(train, { model: 's4d', layers: 1, dModel: 8, dState: 4, seed: 1 });
    const { history, stopped } = await fit({
      model,
      train,
      test,
      epochs: 6,
      batchSize: 8,
      lr: 0.01,
      seed: 3,
    });
    expect(stopped).toBe('done');
    expect(history.at(-1)?.trainLoss).toBeLessThan(0.75 * history[0].trainLoss);
    expect(history.at(-1)?.testAccuracy).toBeGreaterThanOrEqual(0.8);

    const sums = sumTask({ size: 64 });
    const regression = modelForTask(sums, { model: 's4d', layers: 1, dModel: 8, dState: 4, seed: 1 });
    const fitted = await fit({
      model: regression.model,
      train: sums,
      test: sumTask({ size: 8, seed: 1 }),
      epochs: 8,
      batchSize: 8,
      lr: 0.01,
    });
    expect(fitted.history.at(-1)?.trainLoss).toBeLessThan(0.2 * fitted.history[0].trainLoss);
    expect(fitted.history[0].trainAccuracy).toBeUndefined();
  });

  it('is deterministic: the same seed gives a bit-identical run; progress is reported per step and epoch', async () => {
    const progress: string[] = [];
    const epochs: number[] = [];
    const a = tinyModel();
    const first = await run(a.model, {
      onProgress: (p) => progress.push(`${p.phase} ${p.epoch}/${p.epochs} ${p.step}/${p.stepsPerEpoch}`),
      onEpoch: (m) => epochs.push(m.epoch),
    });
    const b = tinyModel();
    const second = await run(b.model);
    expect(weights(b.model)).toEqual(weights(a.model));
    expect(numbers(second.history)).toEqual(numbers(first.history));
    expect(progress.slice(0, 8)).toEqual([
      'train 1/3 1/5',
      'train 1/3 2/5',
      'train 1/3 3/5',
      'train 1/3 4/5',
      'train 1/3 5/5',
      'eval 1/3 1/2',
      'eval 1/3 2/2',
      'train 2/3 1/5',
    ]);
    expect(progress).toHaveLength(3 * 7);
    expect(epochs).toEqual([1, 2, 3]);
    const c = tinyModel();
    await run(c.model, { seed: 8 });
    expect(weights(c.model)).not.toEqual(weights(a.model));
  });

  it('resumes an aborted run from its checkpoint with results identical to an uninterrupted run, dropout included', async () => {
    for (const dropout of [0, 0.25]) {
      const reference = tinyModel(1, dropout);
      const uninterrupted = await run(reference.model, { schedule: 'plateau', plateau: { patience: 0 } });

      for (const abortAt of ['train 2 3', 'eval 2 1', 'train 1 5']) {
        const dir = await temporaryDirectory();
        const controller = new AbortController();
        const first = tinyModel(1, dropout);
        const stopped = await run(first.model, {
          schedule: 'plateau',
          plateau: { patience: 0 },
          checkpointDir: dir,
          modelOptions: first.modelOptions,
          signal: controller.signal,
          onProgress: (p) => {
            if (`${p.phase} ${p.epoch} ${p.step}` === abortAt) controller.abort();
          },
        });
        expect(stopped.stopped).toBe('aborted');
        const state = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as TrainingState;
        // Mid-epoch: the steps done; during evaluation: all 5 steps done, the evaluation redone.
        expect([state.epoch, state.step], abortAt).toEqual(
          abortAt === 'train 2 3' ? [1, 3] : abortAt === 'eval 2 1' ? [1, 5] : [0, 5],
        );

        // The model rebuilt from the same options (as loadTrainedModel does: the masks' seeds are
        // part of them) with other weights: the weights must come from the checkpoint.
        const second = tinyModel(1, dropout);
        for (const parameter of second.model.parameters().values()) parameter.data.fill(0.5);
        const resumed = await run(second.model, {
          schedule: 'plateau',
          plateau: { patience: 0 },
          checkpointDir: dir,
          modelOptions: second.modelOptions,
        });
        expect(resumed.stopped).toBe('done');
        expect(weights(second.model), `${abortAt}, dropout ${dropout}`).toEqual(weights(reference.model));
        expect(numbers(resumed.history), `${abortAt}, dropout ${dropout}`).toEqual(
          numbers(uninterrupted.history),
        );
      }
    }
  });

  it('writes a checkpoint that loadTrainedModel rebuilds, and refuses a checkpoint of another run or of two saves', async () => {
    const dir = await temporaryDirectory();
    const { model, modelOptions } = tinyModel();
    await run(model, { checkpointDir: dir, modelOptions, task: { name: 'sign' } });
    const loaded = await loadTrainedModel(dir);
    expect(weights(loaded.model)).toEqual(weights(model));
    expect(loaded.state).toMatchObject({
      epoch: 3,
      step: 0,
      globalStep: 15,
      seed: 7,
      task: { name: 'sign' },
      modelOptions,
    });
    expect(await evaluate(loaded.model, test)).toEqual(await evaluate(model, test));

    // A finished run resumes to nothing; another batch size is another run.
    expect((await run(tinyModel().model, { checkpointDir: dir, modelOptions })).history).toHaveLength(3);
    await expect(run(tinyModel().model, { checkpointDir: dir, modelOptions, batchSize: 4 })).rejects.toThrow(
      /another run \(batchSize 8 \(checkpoint\) vs 4\)/,
    );
    const statePath = join(dir, 'state.json');
    const state = JSON.parse(await readFile(statePath, 'utf8')) as TrainingState;
    await writeFile(statePath, JSON.stringify({ ...state, generation: 'other' }));
    await expect(loadTrainedModel(dir)).rejects.toThrow(/inconsistent: model.safetensors/);
    await expect(run(tinyModel().model, { checkpointDir: dir })).rejects.toThrow(
      /checkpointDir needs modelOptions/,
    );
  });

  it('stops on a non-finite parameter or loss with a diagnosis', async () => {
    const { model } = tinyModel();
    const C = model.parameters().get('layers.0.layer.layer.kernel.C');
    const error = await run(model, {
      onProgress: (p) => {
        if (p.epoch === 2 && p.step === 2 && C) C.data[3] = Number.NaN;
      },
    }).catch((e) => e);
    expect(error).toBeInstanceOf(NonFiniteError);
    expect(error).toMatchObject({
      kind: 'parameter',
      parameter: 'layers.0.layer.layer.kernel.C',
      index: 3,
      epoch: 2,
      step: 3,
    });
    expect(error.message).toMatch(
      /epoch 2, step 3: parameter 'layers.0.layer.layer.kernel.C' holds NaN at index 3/,
    );

    const infinite = sumTask({ size: 8 });
    const target = infinite.example(5).target as Float32Array;
    target[0] = Number.POSITIVE_INFINITY;
    const regression = modelForTask(infinite, { model: 's4d', layers: 1, dModel: 2, dState: 2 });
    const loss = await fit({
      model: regression.model,
      train: infinite,
      test: infinite,
      epochs: 1,
      batchSize: 4,
      lr: 0.01,
    }).catch((e) => e);
    expect(loss).toMatchObject({
      kind: 'loss',
      parameter: 'loss',
      value: Number.POSITIVE_INFINITY,
      epoch: 1,
    });
  });

  it('clips gradients and trains with SGD', async () => {
    const clipped = tinyModel();
    const free = tinyModel();
    await run(clipped.model, { clip: 1e-3, epochs: 1 });
    await run(free.model, { epochs: 1 });
    expect(weights(clipped.model)).not.toEqual(weights(free.model));
    const sgd = tinyModel();
    const { history } = await run(sgd.model, {
      optimizer: 'sgd',
      optimizerOptions: { momentum: 0.9 },
      lr: 0.05,
    });
    expect(history).toHaveLength(3);
    await expect(run(tinyModel().model, { schedule: 'linear' as 'cosine' })).rejects.toThrow(
      /'cosine', 'plateau', 'constant'/,
    );
  });
});
