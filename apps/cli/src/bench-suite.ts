import { createRng } from '@statespace/complex';
import type { KernelBackend } from '@statespace/kernels';
import { FFTConv, type SsmKernelMode, Tape } from '@statespace/layers';
import { createOptimizer, crossEntropy, modelForTask } from '@statespace/train';

/**
 * The `--size` choices: `tiny` takes seconds (tests), `small` about a minute on a 2-core CPU, `large`
 * is for a GPU machine.
 */
export const BENCH_SIZES = ['tiny', 'small', 'large'] as const;
export type BenchSize = (typeof BENCH_SIZES)[number];

/** Problem sizes of the kernel and layer figures (B, H, N, L) and of the training step. */
const SIZES = {
  tiny: { B: 1, H: 8, N: 8, L: 64, train: { batch: 4, dModel: 8, layers: 1, dState: 8 } },
  small: { B: 4, H: 64, N: 64, L: 1024, train: { batch: 16, dModel: 32, layers: 2, dState: 32 } },
  // The layer figures of @statespace/layers' benchmark and the official sMNIST training step of PLATFORM.md.
  large: { B: 8, H: 256, N: 64, L: 4096, train: { batch: 32, dModel: 64, layers: 4, dState: 64 } },
} as const;

/** One measured figure, printed as a JSON line `{"name","value","unit","backend",...}`. */
export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  backend: string;
  [size: string]: unknown;
}

/** Median wall time in ms of `run` over `samples` calls after `warmup` untimed calls. */
async function medianMs(run: () => Promise<unknown>, samples: number, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

function normal(length: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length }, () => rng.normal());
}

/**
 * The benchmark figures of one float32 backend: S4 and S4D kernel generation and FFT convolution
 * (kernels), S4 and S4D FFTConv layer forwards (layers), and a training step of an sMNIST model
 * (S4D, forward + backward + AdamW, L = 784, in this process: `fit` adds data-parallel workers) in
 * samples/s. `onFigure` gets each figure as it is measured.
 */
export async function benchBackend(
  backend: KernelBackend,
  size: BenchSize,
  samples: number,
  onFigure: (figure: BenchFigure) => void,
): Promise<void> {
  const { B, H, N, L, train } = SIZES[size];
  const where = backend.name;
  const dims = { B, H, N, L };
  for (const mode of ['dplr', 'diag'] as const satisfies readonly SsmKernelMode[]) {
    const conv = new FFTConv({ d_model: H, d_state: N, l_max: L, mode, dtype: 'float32', backend });
    const label = mode === 'dplr' ? 's4' : 's4d';
    const kernel = await medianMs(() => conv.kernel.forward({ L }), samples);
    onFigure({ name: `${label} kernel`, value: kernel, unit: 'ms', backend: where, H, N, L });
    const x = { data: normal(B * H * L, 1), shape: [B, H, L] };
    const forward = await medianMs(() => conv.forward(x), samples);
    onFigure({ name: `${label} layer forward`, value: forward, unit: 'ms', backend: where, ...dims });
  }

  const u = { data: normal(B * H * L, 2), shape: [B, H, L] };
  const k = { data: normal(H * L, 3), shape: [1, H, L] };
  const D = { data: normal(H, 4), shape: [1, H] };
  const convolve = await medianMs(() => backend.convolve({ u, k, D }), samples);
  onFigure({ name: 'fft convolution', value: convolve, unit: 'ms', backend: where, B, H, L });

  const sequence = {
    length: 784,
    input: { kind: 'real', features: 1 },
    target: { kind: 'class', classes: 10 },
  } as const;
  const { model } = modelForTask(sequence as Parameters<typeof modelForTask>[0], {
    model: 's4d',
    layers: train.layers,
    dModel: train.dModel,
    dState: train.dState,
    dtype: 'float32',
    backend,
  });
  model.train();
  const optimizer = createOptimizer(model, 'adamw', { lr: 1e-3 });
  const xs = { data: normal(train.batch * sequence.length, 5), shape: [train.batch, sequence.length, 1] };
  const labels = Int32Array.from({ length: train.batch }, (_, i) => i % 10);
  const step = await medianMs(
    async () => {
      const tape = new Tape();
      const { y } = await model.forward(xs, { tape });
      const { grad } = crossEntropy(y.data, labels, 10);
      await tape.backward(y.data, grad);
      optimizer.step(tape.gradients(model));
    },
    samples,
    2,
  );
  const trainDims = {
    model: 's4d',
    batch: train.batch,
    H: train.dModel,
    layers: train.layers,
    N: train.dState,
    L: 784,
  };
  onFigure({ name: 'training step', value: step, unit: 'ms', backend: where, ...trainDims });
  onFigure({
    name: 'training throughput',
    value: (1000 * train.batch) / step,
    unit: 'samples/s',
    backend: where,
    ...trainDims,
  });
}
