import { type ComplexTensor, complexTensor, createRng, type Tensor, tensor } from '@statespace/complex';
import { dplr } from '@statespace/hippo';
import { report } from '@statespace/testing';
import { createCpuBackend, type KernelBackend } from '../src/index';

// Kernel and convolution throughput of the CPU backend at the sizes of the official figures
// (../shared/PLATFORM.md: PyTorch 1.13 on this 2-core CPU, float32). Each figure is the median of
// several runs; the float32 fast path is measured beside the float64 reference, each fed data of
// its own precision. (threads: 2 is slower on this VM, where fresh memory is slow to touch: see
// docs/performance.md.)

const OFFICIAL_MS: Record<string, number> = {
  's4 kernel L=1024': 144,
  's4 kernel L=4096': 515,
  's4d kernel L=1024': 97,
  's4d kernel L=4096': 338,
  'fft conv B=8 H=256 L=4096': 825,
  // The official FFTConv layer's forward + backward (6.5 s) less its forward: its kernel's backward included.
  'fft conv VJP B=8 H=256 L=4096': 5675,
};

const H = 256;
const N = 64;
const rng = createRng(0);
const complexNormal = (shape: number[]): ComplexTensor<Float64Array> =>
  complexTensor(
    Float64Array.from({ length: 2 * shape.reduce((a, b) => a * b, 1) }, () => rng.normal()),
    shape,
  );
const dt = tensor(
  Float64Array.from({ length: H }, () => Math.exp(Math.log(0.001) + rng.uniform() * Math.log(100))),
  [H],
);

const s4 = dplr('legs', N, { H });
const s4d = dplr('lin', N, { H });
const C = complexNormal([1, H, N / 2]);

async function median(run: () => Promise<unknown>, samples: number): Promise<number> {
  await run(); // warm-up: JIT, plan caches, worker start
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[samples >> 1];
}

async function figures(backend: KernelBackend, label: string) {
  const precision = { backend: backend.describe() };
  for (const L of [1024, 4096]) {
    const samples = L === 1024 ? 9 : 5;
    const s4ms = await median(
      () => backend.dplrKernel({ Lambda: s4.A, P: s4.P, B: s4.B, dt, C, lKernel: L }),
      samples,
    );
    emit(`s4 kernel L=${L}`, s4ms, label, { H, N, rank: 1, ...precision });
    const s4dms = await median(
      () => backend.diagKernel({ Lambda: s4d.A, B: s4d.B, C, dt, L, disc: 'zoh' }),
      samples,
    );
    emit(`s4d kernel L=${L}`, s4dms, label, { H, N, disc: 'zoh', ...precision });
  }
  const L = 4096;
  const u: Tensor = tensor(
    Float64Array.from({ length: 8 * H * L }, () => rng.normal()),
    [8, H, L],
  );
  const k: Tensor = tensor(
    Float64Array.from({ length: H * L }, () => rng.normal() / L),
    [1, H, L],
  );
  const D: Tensor = tensor(
    Float64Array.from({ length: H }, () => rng.normal()),
    [1, H],
  );
  const convMs = await median(() => backend.convolve({ u, k, D }), 5);
  emit('fft conv B=8 H=256 L=4096', convMs, label, { ...precision });
  const grad: Tensor = tensor(
    Float64Array.from({ length: 8 * H * L }, () => rng.normal()),
    [8, 1, H, L],
  );
  const vjpMs = await median(() => backend.convolveVjp({ u, k, D }, grad), 3);
  emit('fft conv VJP B=8 H=256 L=4096', vjpMs, label, { ...precision });
}

function emit(name: string, value: number, label: string, extra: Record<string, unknown>) {
  const official = OFFICIAL_MS[name];
  report({
    name: `${name} (${label})`,
    value: Number(value.toFixed(2)),
    unit: 'ms',
    ...extra,
    official_pytorch_cpu_ms: official,
    vs_official: Number((value / official).toFixed(3)),
  });
}

const fast = createCpuBackend({ dtype: 'float32' });
const reference = createCpuBackend({ dtype: 'float64' });
await figures(fast, 'float32');
await figures(reference, 'float64');
await Promise.all([fast.dispose(), reference.dispose()]);
