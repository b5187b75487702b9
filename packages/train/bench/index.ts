import { createRng } from '@statespace/complex';
import { report } from '@statespace/testing';
import { fit, modelForTask, type TrainingDataset } from '../src/index';

// Training throughput of a small sMNIST-like model: S4D, 2 layers, d_model 64, d_state 64, L 784,
// batch 16, float32 — the model of bench/reference.py (PyTorch). Random data of sMNIST's shape, so
// no dataset is needed. Each figure is the median step time (forward, backward, AdamW update) over
// STEPS steps after one warm-up step, in-process (workers 1, whose kernels use the default
// two-thread CPU backend) and on two data-parallel worker threads (one-thread backends each).
// STATESPACE_BENCH_STEPS (default 3) and STATESPACE_BENCH_WORKERS (default "1,2") change them.

const L = 784;
const BATCH = 16;
const STEPS = Number(process.env.STATESPACE_BENCH_STEPS ?? 3);
const WORKERS = (process.env.STATESPACE_BENCH_WORKERS ?? '1,2').split(',').map(Number);

function randomDigits(size: number, seed: number): TrainingDataset {
  const examples = Array.from({ length: size }, (_, i) => {
    const rng = createRng(seed * 1_000_003 + i);
    return {
      input: Float32Array.from({ length: L }, () => rng.uniform()),
      length: L,
      target: Math.floor(rng.uniform() * 10),
    };
  });
  return {
    name: 'random-digits',
    size,
    length: L,
    input: { kind: 'real', features: 1 },
    target: { kind: 'class', classes: 10 },
    example: (i) => examples[i],
  };
}

const train = randomDigits(BATCH * (STEPS + 1), 0);
const test = randomDigits(1, 1);

for (const workers of WORKERS) {
  const { model, modelOptions } = modelForTask(train, {
    model: 's4d',
    layers: 2,
    dModel: 64,
    dState: 64,
    dtype: 'float32',
    seed: 0,
  });
  const stepMs: number[] = [];
  let last = 0;
  await fit({
    model,
    modelOptions,
    train,
    test,
    epochs: 1,
    batchSize: BATCH,
    lr: 0.01,
    workers,
    onProgress: (p) => {
      const now = performance.now();
      if (p.phase === 'train' && p.step > 1) stepMs.push(now - last);
      last = now;
    },
  });
  stepMs.sort((a, b) => a - b);
  const ms = stepMs[stepMs.length >> 1];
  report({
    name: `train step S4D L=${L} H=64 N=64 B=${BATCH} float32, workers ${workers}`,
    value: Math.round((BATCH / ms) * 1000 * 10) / 10,
    unit: 'samples/s',
    msPerStep: Math.round(ms),
    steps: stepMs.length,
  });
}
