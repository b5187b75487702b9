import { createRng, type DType, type RealArray } from '@statespace/complex';
import type { KernelBackend } from '@statespace/kernels';
import { measureMs, report } from '@statespace/testing';
import { defaultCpuBackend } from '../src/context';
import { FFTConv, SequenceModel, type SsmKernelMode, Tape } from '../src/index';
import { productThreads } from '../src/matmul-threads';

// The layer figures of issue 7, one JSON line each (medians):
// - FFTConv layer forward, B = 8, H = 256, L = 4096, N = 64 (official defaults: S4, GELU), with its
//   two halves (the SSM kernel, the convolution) — official PyTorch on this CPU: 825 ms, goal 400;
// - one recurrent step of a 4-layer H = 256, N = 64 SequenceModel (S4Block: GELU, GLU output map,
//   prenorm LayerNorm, residual), batch 1: latency and tokens/s.
// - one training step of a sequential-MNIST-size model (L = 784, one input feature, 10 classes):
//   forward with a tape, backward, gradients; time per sample and samples/s.
// `STATESPACE_BENCH_WEBGPU=1` adds the FFTConv layer on the WebGPU backend (the GPU machine). An
// argument keeps only the figures whose name contains it (`corepack pnpm bench training`).

const only = process.argv[2] ?? '';

const OFFICIAL_FFTCONV_MS = 825;
const GOAL_FFTCONV_MS = 400;

async function median(run: () => Promise<unknown>, samples: number): Promise<number> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

function normal(length: number, dtype: DType, seed: number): RealArray {
  const rng = createRng(seed);
  const x = Float64Array.from({ length }, () => rng.normal());
  return dtype === 'float64' ? x : Float32Array.from(x);
}

async function fftconv(
  mode: SsmKernelMode,
  dtype: DType,
  backend: KernelBackend | 'cpu' = 'cpu',
): Promise<void> {
  const [B, H, L] = [8, 256, 4096];
  const conv = new FFTConv({ d_model: H, l_max: L, mode, dtype, backend });
  const x = { data: normal(B * H * L, dtype, 1), shape: [B, H, L] };
  // The default backend is the shared CPU backend of `dtype`, on every core.
  const where = (backend === 'cpu' ? defaultCpuBackend(dtype) : backend).describe();
  const forward = await median(() => conv.forward(x), 5);
  const kernel = await median(() => conv.kernel.forward({ L }), 5);
  const common = { B, H, L, N: 64, mode, dtype, backend: where };
  report({
    name: 'fftconv layer forward',
    value: forward,
    unit: 'ms',
    ...common,
    official_pytorch_ms: OFFICIAL_FFTCONV_MS,
    goal_ms: GOAL_FFTCONV_MS,
  });
  report({ name: 'fftconv layer: ssm kernel', value: kernel, unit: 'ms', ...common });
}

function step(mode: SsmKernelMode, stepMode: 'dense' | 'linear', dtype: DType): void {
  const [H, N, layers, batch] = [256, 64, 4, 1];
  const model = new SequenceModel({ d_model: H, n_layers: layers, layer: { d_state: N, mode }, dtype });
  model.setupStep(stepMode);
  let state = model.defaultState(batch);
  const x = { data: normal(batch * H, dtype, 2), shape: [batch, H] };
  const ms = measureMs(
    () => {
      state = model.step(x, state).state;
    },
    { warmup: 20, samples: 15, repeat: 20 },
  );
  const common = { layers, H, N, batch, mode, step_mode: mode === 'diag' ? 'diagonal' : stepMode, dtype };
  report({ name: 'recurrent step latency', value: ms, unit: 'ms', ...common });
  report({ name: 'recurrent step throughput', value: (1000 * batch) / ms, unit: 'tokens/s', ...common });
}

/**
 * One training step of a 4-block S4D model with H = 64, N = 64 (linear encoder of one feature,
 * GLU output map, prenorm LayerNorm, residual, mean-pooled decoder to 10 classes), on a batch of
 * 16 sequences of 784 steps: forward with a tape, backward from a fixed ∂ℓ/∂y, all gradients.
 */
async function trainingStep(dtype: DType): Promise<void> {
  const [H, layers, N, batch, L] = [64, 4, 64, 16, 784];
  const model = new SequenceModel({
    d_model: H,
    n_layers: layers,
    dtype,
    seed: 1,
    encoder: { _name_: 'linear', d_input: 1 },
    decoder: { d_output: 10, mode: 'pool', l_output: 0 },
    layer: { d_state: N, mode: 'diag', l_max: L },
  });
  model.train();
  const x = { data: normal(batch * L, dtype, 3), shape: [batch, L, 1] };
  const gradY = normal(batch * 10, 'float64', 4);
  const ms = await median(async () => {
    const tape = new Tape();
    const { y } = await model.forward(x, { tape });
    await tape.backward(y.data, gradY);
    tape.gradients(model);
  }, 5);
  const common = { layers, H, N, batch, L, mode: 'diag', dtype, threads: productThreads() };
  report({ name: 'training step, sMNIST-size model', value: ms / batch, unit: 'ms/sample', ...common });
  report({
    name: 'training step, sMNIST-size model',
    value: (1000 * batch) / ms,
    unit: 'samples/s',
    ...common,
  });
}

const wanted = (name: string) => name.includes(only);

for (const dtype of ['float32', 'float64'] as const) {
  if (wanted('training step')) await trainingStep(dtype);
}
for (const dtype of ['float32', 'float64'] as const) {
  if (!wanted('recurrent step')) break;
  step('dplr', 'dense', dtype);
  step('dplr', 'linear', dtype);
  step('diag', 'linear', dtype);
}
for (const dtype of ['float32', 'float64'] as const) {
  if (!wanted('fftconv layer')) break;
  await fftconv('dplr', dtype);
  await fftconv('diag', dtype);
}
if (process.env.STATESPACE_BENCH_WEBGPU === '1' && wanted('fftconv layer')) {
  const { createWebGpuBackend } = await import('@statespace/webgpu');
  const backend = await createWebGpuBackend();
  await fftconv('dplr', 'float32', backend);
  await fftconv('diag', 'float32', backend);
  await backend.dispose();
  backend.gpu.destroy();
}
