import { availableParallelism } from 'node:os';
import { type ComplexTensor, complexTensor, createRng, type Tensor, tensor } from '@statespace/complex';
import { createCpuBackend, frequencyNodes, type KernelBackend } from '@statespace/kernels';
import { report } from '@statespace/testing';
import { createWebGpuBackend } from '@statespace/webgpu';
import { createGpuJsBackend } from '../src/index';

// gpu.js (webgpu and webasm modes) beside @statespace/webgpu and the CPU backend, in one run, at
// the sizes of the official figures (../shared/PLATFORM.md): Cauchy sums with conjugate pairs,
// B = 1024 rows, N = 32 pairs, 8193 nodes (L = 16384), and a smaller size; the S4 and S4D kernels
// of a layer, H = 256, N = 64, L = 4096 and 16384; an FFT convolution. Every figure is the median
// wall time of the backend call, end to end (host preparation, upload, kernels, readback), so the
// backends are timed alike. One JSON line per figure.
//
// Environment: BENCH_BACKENDS (comma-separated, default all of gpujs-webgpu, gpujs-webasm, webgpu,
// cpu), BENCH_SIZES (`small`, `full` or `all`, default all), BENCH_BUDGET_MS (time per figure after
// the warm-up call, default 8000; at least 3 and at most 15 samples).

const ALL_BACKENDS = ['gpujs-webgpu', 'gpujs-webasm', 'webgpu', 'cpu'] as const;
type BackendName = (typeof ALL_BACKENDS)[number];

const wanted = (process.env.BENCH_BACKENDS ?? ALL_BACKENDS.join(',')).split(',') as BackendName[];
const sizes = process.env.BENCH_SIZES ?? 'all';
const budgetMs = Number(process.env.BENCH_BUDGET_MS ?? 8000);
const threads = availableParallelism();

/** Creates a backend by name; reports it (or why it is unavailable: no fallback anywhere). */
async function open(name: BackendName): Promise<KernelBackend | undefined> {
  try {
    const backend =
      name === 'gpujs-webgpu'
        ? await createGpuJsBackend({ mode: 'webgpu' })
        : name === 'gpujs-webasm'
          ? await createGpuJsBackend({ mode: 'webasm' })
          : name === 'webgpu'
            ? await createWebGpuBackend({ powerPreference: 'high-performance' })
            : createCpuBackend({ dtype: 'float32', threads });
    report({ name: 'backend', value: 0, unit: '', backend: name, description: backend.describe() });
    return backend;
  } catch (error) {
    report({
      name: 'backend unavailable',
      value: 0,
      unit: '',
      backend: name,
      reason: error instanceof Error ? error.message : String(error),
    });
    return undefined;
  }
}

/** Median wall time of `run` in ms after one warm-up call (which compiles kernels). */
async function medianMs(run: () => Promise<unknown>): Promise<{ ms: number; samples: number }> {
  await run();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < 15 && (times.length < 3 || performance.now() - start < budgetMs)) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  const ms = times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
  return { ms, samples: times.length };
}

const rng = createRng(0);
const normal = (n: number) => Float64Array.from({ length: n }, () => rng.normal());

/** One benchmark problem: a name, extra fields, and the call. */
interface Figure {
  name: string;
  extra?: Record<string, unknown>;
  run(backend: KernelBackend): Promise<unknown>;
}

function cauchyFigure(batch: number, N2: number, L: number, official?: number): Figure {
  const nodes = frequencyNodes(L);
  const v = complexTensor(normal(2 * batch * N2), [batch, 1, N2]);
  const w = complexTensor(
    Float64Array.from({ length: 2 * N2 }, (_, i) => (i % 2 ? -100 * rng.uniform() : -rng.uniform())),
    [1, N2],
  );
  const z = complexTensor(nodes.z, [nodes.count]);
  return {
    name: `cauchy B=${batch} N=${N2} L=${L}`,
    extra: official === undefined ? {} : { official_cuda_ms: official },
    run: (b) => b.cauchy({ v, w, z }),
  };
}

// S4 and S4D layers, H = 256, N = 64 (32 stored modes): S4D-Lin poles −½ + iπn, a random rank-1
// P, random B and C̃, log-uniform Δ in [0.001, 0.1]. The timing depends on the sizes only.
const H = 256;
const N2 = 32;
const Lambda = complexTensor(
  Float64Array.from({ length: 2 * H * N2 }, (_, i) => (i % 2 ? Math.PI * ((i >> 1) % N2) : -0.5)),
  [H, N2],
);
const P: ComplexTensor = complexTensor(
  normal(2 * H * N2).map((x) => 0.1 * x),
  [1, H, N2],
);
const B = complexTensor(normal(2 * H * N2), [H, N2]);
const C = complexTensor(normal(2 * H * N2), [1, H, N2]);
const dt: Tensor = tensor(
  Float64Array.from({ length: H }, () => Math.exp(Math.log(0.001) + rng.uniform() * Math.log(100))),
  [H],
);

function s4Figure(L: number, official?: number): Figure {
  return {
    name: `s4 kernel H=${H} N=${2 * N2} L=${L}`,
    extra: official === undefined ? {} : { official_cuda_ms: official },
    run: (b) => b.dplrKernel({ Lambda, P, B, dt, C, lKernel: L }),
  };
}

function s4dFigure(L: number, official?: number): Figure {
  return {
    name: `s4d kernel H=${H} N=${2 * N2} L=${L}`,
    extra: official === undefined ? {} : { official_cuda_ms: official },
    run: (b) => b.diagKernel({ Lambda, B, C, dt, L, disc: 'zoh' }),
  };
}

function convFigure(batch: number, channels: number, L: number): Figure {
  const u = tensor(normal(batch * channels * L), [batch, channels, L]);
  const k = tensor(normal(channels * L), [1, channels, L]);
  const D = tensor(normal(channels), [1, channels]);
  return { name: `fft conv B=${batch} H=${channels} L=${L}`, run: (b) => b.convolve({ u, k, D }) };
}

const figures: Figure[] = [];
if (sizes !== 'full') {
  figures.push(cauchyFigure(64, 32, 4096), s4Figure(1024), s4dFigure(1024));
  figures.push(convFigure(4, 64, 4096));
}
if (sizes !== 'small') {
  figures.push(cauchyFigure(1024, 32, 16384, 0.365));
  for (const [L, s4, s4d] of [
    [4096, 0.719, 0.321],
    [16384, 1.105, 0.439],
  ]) {
    figures.push(s4Figure(L, s4), s4dFigure(L, s4d));
  }
}

for (const name of ALL_BACKENDS.filter((b) => wanted.includes(b))) {
  const backend = await open(name);
  if (!backend) continue;
  for (const figure of figures) {
    const { ms, samples } = await medianMs(() => figure.run(backend));
    report({
      name: `${figure.name} (${name})`,
      value: Number(ms.toFixed(3)),
      unit: 'ms',
      backend: name,
      samples,
      ...(name === 'cpu' ? { threads } : {}),
      ...figure.extra,
    });
  }
  await backend.dispose();
}
