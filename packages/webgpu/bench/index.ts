import { complexTensor, createRng, tensor } from '@statespace/complex';
import { dplr } from '@statespace/hippo';
import {
  prepareDiagKernel,
  prepareDiagKernelVjp,
  prepareDplrKernel,
  prepareDplrKernelVjp,
} from '@statespace/kernels';
import { report } from '@statespace/testing';
import {
  createWebGpuBackend,
  GpuContext,
  recordCauchy,
  recordConvolve,
  recordConvolveVjp,
  recordDiagKernel,
  recordDiagKernelVjp,
  recordDplrKernel,
  recordDplrKernelVjp,
  requestWebGpuDevice,
} from '../src/index';

// WebGPU benchmarks at the sizes of the official figures (../shared/PLATFORM.md). "gpu" figures
// time the kernels alone on GPU-resident data (many repetitions in one submission, divided);
// "end to end" figures time the backend call with its host preparation, upload and readback.
// Each figure carries its floor: arithmetic over the chip's float32 rate, bytes over its memory
// bandwidth (PEAK_TFLOPS, PEAK_GBS; defaults: an H100 SXM, 67 TFLOP/s fp32, 3000 GB/s measured copy).

const PEAK_FLOPS = Number(process.env.PEAK_TFLOPS ?? 67) * 1e12;
const PEAK_BYTES = Number(process.env.PEAK_GBS ?? 3000) * 1e9;

const gpu = await requestWebGpuDevice({ powerPreference: 'high-performance' });
const ctx = new GpuContext(gpu);
const backend = await createWebGpuBackend({ device: gpu });
report({
  name: 'device',
  value: 0,
  unit: '',
  adapter: gpu.adapter,
  subgroups: gpu.features.subgroups,
  timing: gpu.features.timestampQuery ? 'gpu timestamps' : 'wall time per submission',
});

await warmUp(2);
const rng = createRng(0);
const normal = (n: number) => Float32Array.from({ length: n }, () => rng.normal());

/**
 * Median GPU time of the kernels `record` records, in ms: from GPU timestamps where the device has
 * them (kernel time alone); otherwise wall time of `reps` repetitions per submission, divided
 * (which then includes command encoding).
 */
async function gpuMs(record: () => void, reps: number, samples = 9): Promise<number> {
  // Host-heavy end-to-end figures leave the GPU idle and its clocks drop: run the work itself for
  // a while first (without this, figures measured after them came out 4× slower).
  const start = performance.now();
  while (performance.now() - start < 300) {
    for (let r = 0; r < reps; r++) record();
    ctx.submit();
    await gpu.device.queue.onSubmittedWorkDone();
  }
  const times: number[] = [];
  for (let s = 0; s < samples; s++) {
    if (gpu.features.timestampQuery) {
      times.push(await ctx.gpuTime(record));
      continue;
    }
    const start = performance.now();
    for (let r = 0; r < reps; r++) record();
    ctx.submit();
    await gpu.device.queue.onSubmittedWorkDone();
    times.push((performance.now() - start) / reps);
  }
  return median(times);
}

/**
 * Keeps the GPU busy for about `seconds` before measuring: an idle GPU runs at low clocks, and the
 * first figures of a run came out up to twice too slow (a 537 MB copy: 1.18 ms cold, 0.54 ms warm).
 */
async function warmUp(seconds: number): Promise<void> {
  const a = ctx.allocate(256 << 20);
  const b = ctx.allocate(256 << 20);
  const start = performance.now();
  while (performance.now() - start < seconds * 1e3) {
    for (let i = 0; i < 20; i++) ctx.copy(a, b);
    ctx.submit();
    await gpu.device.queue.onSubmittedWorkDone();
  }
  ctx.release(a, b);
}

/**
 * Median wall time per repetition of `record`, `reps` of them per submission (ms), after a second
 * of the same work (a cold or idle GPU, and fresh buffers on first touch, gave the FFT convolution
 * up to 1.5× its steady time): command encoding and the wait for completion included, so that it
 * bounds the GPU time from above (bench/diagnose.ts reports the passes and the wall time of the
 * convolution side by side).
 */
async function submissionMs(record: () => void, reps: number, samples = 7): Promise<number> {
  const submit = async () => {
    for (let r = 0; r < reps; r++) record();
    ctx.submit();
    await gpu.device.queue.onSubmittedWorkDone();
  };
  const warm = performance.now();
  while (performance.now() - warm < 1000) await submit();
  const times: number[] = [];
  for (let s = 0; s < samples; s++) {
    const start = performance.now();
    await submit();
    times.push((performance.now() - start) / reps);
  }
  return median(times);
}

async function wallMs(run: () => Promise<unknown>, samples = 7): Promise<number> {
  await run();
  const times: number[] = [];
  for (let s = 0; s < samples; s++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return median(times);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function emit(name: string, ms: number, flops: number, bytes: number, extra: Record<string, unknown> = {}) {
  const floor = Math.max(flops / PEAK_FLOPS, bytes / PEAK_BYTES) * 1e3;
  report({
    name,
    value: Number(ms.toFixed(4)),
    unit: 'ms',
    floor_ms: Number(floor.toFixed(4)),
    time_over_floor: Number((ms / floor).toFixed(2)),
    ...extra,
  });
}

// Cauchy with conjugate pairs, L = 16384 (8193 nodes): rows sharing poles (as in the S4 kernel,
// where every B̂·Ĉ row of a feature shares ΔΛ) and rows with their own poles (the CUDA benchmark).
// ~20 flops per (row, node, pair) with imaginary nodes; bytes: the complex64 output.
for (const N2 of [32, 64]) {
  const Lz = 8193;
  const z = new Float32Array(2 * Lz);
  for (let l = 0; l < Lz - 1; l++) z[2 * l + 1] = 2 * Math.tan((Math.PI * l) / 16384);
  const zBuf = ctx.upload(z);
  for (const [label, batch, H] of [
    ['shared poles', 1024, 1],
    ['own poles', 1, 1024],
  ] as const) {
    const v = ctx.upload(normal(2 * batch * H * N2));
    const w = ctx.upload(
      Float32Array.from({ length: 2 * H * N2 }, (_, i) => (i % 2 ? -100 * rng.uniform() : -rng.uniform())),
    );
    const ms = await gpuMs(
      () => ctx.release(recordCauchy(ctx, { v, w, z: zBuf, batch, H, N2, Lz, imaginaryNodes: true })),
      20,
    );
    emit(`cauchy B=1024 N=${N2} L=16384 (${label}, gpu)`, ms, 20 * 1024 * Lz * N2, 8 * 1024 * Lz, {
      official_cuda_ms: N2 === 32 ? 0.365 : 0.724,
    });
    ctx.release(v, w);
  }
  ctx.release(zBuf);
}

// The end-to-end figures run after every GPU-only figure: GPU-only figures measured after them came
// out up to 4× slower in every pass, warm-up notwithstanding (Dawn on the H100; cause unknown).
const endToEnd: (() => Promise<void>)[] = [];

// The S4 and S4D kernels of a layer: H = 256, N = 64.
const H = 256;
const N = 64;
const s4 = dplr('legs', N, { H });
const s4d = dplr('lin', N, { H });
const dt = tensor(
  Float64Array.from({ length: H }, () => Math.exp(Math.log(0.001) + rng.uniform() * Math.log(100))),
  [H],
);
const C = complexTensor(Float64Array.from(normal(2 * H * (N / 2))), [1, H, N / 2]);
for (const L of [4096, 16384]) {
  const official = { s4: L === 4096 ? 0.719 : 1.105, s4d: L === 4096 ? 0.321 : 0.439 };
  const s4Params = { Lambda: s4.A, P: s4.P, B: s4.B, dt, C, lKernel: L };
  const problem = prepareDplrKernel(s4Params);
  const s4Flops = 20 * 4 * H * (L / 2 + 1) * (N / 2) + 5 * H * L * Math.log2(L);
  emit(
    `s4 kernel H=256 N=64 L=${L} (gpu)`,
    await gpuMs(() => ctx.release(recordDplrKernel(ctx, problem)), 10),
    s4Flops,
    4 * H * L,
    {
      official_cuda_ms: official.s4,
    },
  );
  endToEnd.push(async () =>
    emit(
      `s4 kernel H=256 N=64 L=${L} (end to end)`,
      await wallMs(() => backend.dplrKernel(s4Params)),
      s4Flops,
      4 * H * L,
      {
        official_cuda_ms: official.s4,
      },
    ),
  );
  const s4dParams = { Lambda: s4d.A, B: s4d.B, C, dt, L, disc: 'zoh' as const };
  const s4dProblem = prepareDiagKernel(s4dParams);
  const s4dFlops = 8 * H * L * (N / 2);
  emit(
    `s4d kernel H=256 N=64 L=${L} (gpu)`,
    await gpuMs(() => ctx.release(recordDiagKernel(ctx, s4dProblem).out), 10),
    s4dFlops,
    4 * H * L,
    {
      official_cuda_ms: official.s4d,
    },
  );
  endToEnd.push(async () =>
    emit(
      `s4d kernel H=256 N=64 L=${L} (end to end)`,
      await wallMs(() => backend.diagKernel(s4dParams)),
      s4dFlops,
      4 * H * L,
      {
        official_cuda_ms: official.s4d,
      },
    ),
  );
}

// FFT convolution B = 16, H = 256, L = 16384: 2 real FFTs per row of length 2L, one per kernel
// row, a complex product, ~2.5·n·log2(n) flops per real transform; bytes: u, k read, y written.
{
  const B = 16;
  const L = 16384;
  const u = tensor(normal(B * H * L), [B, H, L]);
  const k = tensor(normal(H * L), [1, H, L]);
  const D = tensor(normal(H), [1, H]);
  const n = 2 * L;
  const flops = (2 * B * H + H) * 2.5 * n * Math.log2(n) + 6 * B * H * (n / 2);
  const bytes = 4 * (2 * B * H * L + H * L);
  const uBuf = ctx.upload(u.data as Float32Array);
  const kBuf = ctx.upload(k.data as Float32Array);
  const dBuf = ctx.upload(D.data as Float32Array);
  const dims = { batch: B, channels: 1, H, L, taps: L, bidirectional: false };
  emit(
    'fft conv B=16 H=256 L=16384 (gpu, wall per submission)',
    await submissionMs(() => ctx.release(recordConvolve(ctx, { u: uBuf, k: kBuf, D: dBuf, ...dims })), 5),
    flops,
    bytes,
    {
      official_cuda_ms: 4.44,
      note: 'official: FFTConv layer forward incl. its S4 kernel',
    },
  );
  const { passes } = await ctx.gpuProfile(() =>
    ctx.release(recordConvolve(ctx, { u: uBuf, k: kBuf, D: dBuf, ...dims })),
  );
  const sum = passes.reduce((a, b) => a + b, 0);
  report({
    name: 'fft conv B=16 H=256 L=16384 (gpu, sum of passes)',
    value: Number(sum.toFixed(4)),
    unit: 'ms',
    passes: passes.map((p) => Number(p.toFixed(3))),
  });
  endToEnd.push(async () =>
    emit(
      'fft conv B=16 H=256 L=16384 (end to end)',
      await wallMs(() => backend.convolve({ u, k, D }), 3),
      flops,
      bytes,
    ),
  );
  ctx.release(uBuf, kBuf, dBuf);
}

// Backward operations (training) at the sizes of the forward figures. "gpu" figures time the heavy
// step alone on GPU-resident data (recordDplrKernelVjp, recordDiagKernelVjp, recordConvolveVjp);
// "end to end" ones the backend call with the host steps shared with the CPU (O(H·N)), uploads and
// readback. The official FFTConv layer takes 14.1 ms forward + backward (its S4 kernel included)
// against 4.44 ms forward: ~9.7 ms backward, for the S4 kernel VJP and the convolution VJP together.
{
  const L = 16384;
  const Lz = L / 2 + 1;
  const gK = tensor(normal(H * L), [1, H, L]);
  const gBuf = ctx.upload(gK.data as Float32Array);
  const s4Params = { Lambda: s4.A, P: s4.P, B: s4.B, dt, C, lKernel: L };
  const s4Problem = prepareDplrKernelVjp(s4Params, gK);
  // The forward's Cauchy sums (~20 flops per row, node, pair) and the three transposed ones (~50)
  // over the 4 rows of rank 1, the gradient's real FFT; bytes: the gradient read, twice the sums.
  const s4Flops = 70 * 4 * H * Lz * (N / 2) + 2.5 * H * L * Math.log2(L);
  const s4Bytes = 4 * H * L + 2 * 8 * 4 * H * Lz;
  emit(
    `s4 kernel VJP H=256 N=64 L=${L} (gpu)`,
    await gpuMs(() => {
      const { sums, limit } = recordDplrKernelVjp(ctx, s4Problem, gBuf);
      ctx.release(sums, limit);
    }, 5),
    s4Flops,
    s4Bytes,
  );
  endToEnd.push(async () =>
    emit(
      `s4 kernel VJP H=256 N=64 L=${L} (end to end)`,
      await wallMs(() => backend.dplrKernelVjp(s4Params, gK)),
      s4Flops,
      s4Bytes,
    ),
  );
  const s4dParams = { Lambda: s4d.A, B: s4d.B, C, dt, L, disc: 'zoh' as const };
  const s4dProblem = prepareDiagKernelVjp(s4dParams, gK);
  // Two moments, each a complex multiply-add per (l, mode); bytes: the gradient read.
  const s4dFlops = 16 * H * L * (N / 2);
  emit(
    `s4d kernel VJP H=256 N=64 L=${L} (gpu)`,
    await gpuMs(() => ctx.release(recordDiagKernelVjp(ctx, s4dProblem, gBuf)), 10),
    s4dFlops,
    4 * H * L,
  );
  endToEnd.push(async () =>
    emit(
      `s4d kernel VJP H=256 N=64 L=${L} (end to end)`,
      await wallMs(() => backend.diagKernelVjp(s4dParams, gK)),
      s4dFlops,
      4 * H * L,
    ),
  );
  ctx.release(gBuf);

  // The convolution VJP B = 16: real FFTs of the input, gradient and kernel rows (length 2L), the
  // inverse ones of ∂u and ∂k, the spectra's products; bytes: u, g and k read, ∂u and ∂k written.
  const B = 16;
  const u = tensor(normal(B * H * L), [B, H, L]);
  const k = tensor(normal(H * L), [1, H, L]);
  const D = tensor(normal(H), [1, H]);
  const gy = tensor(normal(B * H * L), [B, 1, H, L]);
  const n = 2 * L;
  const flops = (3 * B * H + 2 * H) * 2.5 * n * Math.log2(n) + 2 * 8 * B * H * (n / 2);
  const bytes = 4 * (3 * B * H * L + 2 * H * L);
  const arrays = {
    u: ctx.upload(u.data as Float32Array),
    k: ctx.upload(k.data as Float32Array),
    D: ctx.upload(D.data as Float32Array),
    grad: ctx.upload(gy.data as Float32Array),
  };
  const dims = { batch: B, channels: 1, H, L, taps: L, bidirectional: false };
  emit(
    `fft conv VJP B=${B} H=256 L=${L} (gpu, wall per submission)`,
    await submissionMs(() => {
      const grads = recordConvolveVjp(ctx, { ...arrays, ...dims });
      ctx.release(...Object.values(grads));
    }, 3),
    flops,
    bytes,
  );
  endToEnd.push(async () =>
    emit(
      `fft conv VJP B=${B} H=256 L=${L} (end to end)`,
      await wallMs(() => backend.convolveVjp({ u, k, D }, gy), 3),
      flops,
      bytes,
    ),
  );
  ctx.release(...Object.values(arrays));
}

for (const figure of endToEnd) await figure();
await backend.dispose();
ctx.dispose();
gpu.destroy();
