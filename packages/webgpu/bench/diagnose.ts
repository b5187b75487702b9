import { complexTensor, createRng } from '@statespace/complex';
import { cauchy } from '@statespace/kernels';
import { report } from '@statespace/testing';
import type { GpuArray } from '../src/gpu-context';
import {
  GpuContext,
  recordCauchy,
  recordConvolve,
  recordFft,
  recordIrfft,
  recordRfft,
  requestWebGpuDevice,
} from '../src/index';
import { imaginaryNodesShape, recordCauchyImaginaryNodes } from '../src/ops/cauchy-imaginary-nodes';
import { samplesStore } from '../src/ops/conv';
import { complexLoad, complexStore, realLoad } from '../src/ops/fft-io';
import { recordResidueTransforms, workgroupFftLength } from '../src/ops/fft-stockham';
import { mapKernel } from '../src/ops/fft-wgsl';

// Diagnostics for tuning (`pnpm bench:bundle diagnose`, then `node diagnose.mjs` on the GPU
// machine): Cauchy times with their float32 accuracy, and where the time of the long FFT
// convolution goes (per compute pass, and timestamps against wall time per submission).
// DIAG_B, DIAG_H, DIAG_L shrink the convolution (and skip the Cauchy sizes) for a software adapter.
const gpu = await requestWebGpuDevice({ powerPreference: 'high-performance' });
const ctx = new GpuContext(gpu);
report({
  name: 'limits',
  value: 0,
  unit: '',
  workgroupStorage: gpu.limits.maxComputeWorkgroupStorageSize,
  invocations: gpu.limits.maxComputeInvocationsPerWorkgroup,
});
// An idle GPU runs at low clocks: keep it busy first (the first copy of a cold run took twice as long).
{
  const a = ctx.allocate(256 << 20);
  const b = ctx.allocate(256 << 20);
  for (let i = 0; i < 400; i++) ctx.copy(a, b);
  ctx.submit();
  await gpu.device.queue.onSubmittedWorkDone();
  ctx.release(a, b);
}
const rng = createRng(0);
const normal = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function profile(record: () => void, samples = 7) {
  for (let i = 0; i < 10; i++) record();
  ctx.submit();
  await gpu.device.queue.onSubmittedWorkDone();
  const runs: { total: number; passes: number[] }[] = [];
  for (let s = 0; s < samples; s++) runs.push(await ctx.gpuProfile(record));
  const total = median(runs.map((r) => r.total));
  const passes = runs[0].passes.map((_, i) => Number(median(runs.map((r) => r.passes[i])).toFixed(4)));
  return { total, passes };
}
async function wallPerSubmission(record: () => void, reps: number, samples = 5) {
  const times = [];
  for (let s = 0; s < samples; s++) {
    const start = performance.now();
    for (let r = 0; r < reps; r++) record();
    ctx.submit();
    await gpu.device.queue.onSubmittedWorkDone();
    times.push((performance.now() - start) / reps);
  }
  return median(times);
}

// Cauchy: time at the benchmark sizes, float32 accuracy on 16 rows against float64.
for (const N2 of process.env.DIAG_L ? [] : [32, 64]) {
  const Lz = 8193;
  const z = new Float32Array(2 * Lz);
  for (let l = 0; l < Lz - 1; l++) z[2 * l + 1] = 2 * Math.tan((Math.PI * l) / 16384);
  const zBuf = ctx.upload(z);
  for (const [label, batch, H] of [
    ['shared', 1024, 1],
    ['own', 1, 1024],
  ] as const) {
    const vData = normal(2 * batch * H * N2);
    const wData = Float32Array.from({ length: 2 * H * N2 }, (_, i) =>
      i % 2 ? -100 * rng.uniform() : -rng.uniform(),
    );
    const v = ctx.upload(vData);
    const w = ctx.upload(wData);
    const rows = label === 'shared' ? [16, 1] : [1, 16];
    const ref = cauchy(
      complexTensor(Float64Array.from(vData.subarray(0, 2 * 16 * N2)), [rows[0], rows[1], N2]),
      complexTensor(Float64Array.from(wData.subarray(0, 2 * rows[1] * N2)), [rows[1], N2]),
      complexTensor(Float64Array.from(z), [Lz]),
    ).data;
    // Own poles: the general kernel, then the imaginary-axis one in a few shapes (the first is the tuned one).
    const variants: [string, () => GpuArray][] = [
      [label, () => recordCauchy(ctx, { v, w, z: zBuf, batch, H, N2, Lz })],
      ...(label === 'own'
        ? (
            [
              [`own, imaginary nodes (tuned: ${JSON.stringify(imaginaryNodesShape(Lz))})`, undefined],
              ['own, imaginary nodes, 64x8', { workgroup: 64, items: 8 }],
              ['own, imaginary nodes, 64x16', { workgroup: 64, items: 16 }],
              ['own, imaginary nodes, 128x8', { workgroup: 128, items: 8 }],
              ['own, imaginary nodes, 32x13', { workgroup: 32, items: 13 }],
            ] as const
          ).map(([name, shape]): [string, () => GpuArray] => [
            name,
            () => recordCauchyImaginaryNodes(ctx, { v, w, z: zBuf, H, N2, Lz }, shape),
          ])
        : []),
    ];
    for (const [name, record] of variants) {
      const { total } = await profile(() => ctx.release(record()), 9);
      const out = record();
      const got = await ctx.read(out);
      ctx.release(out);
      let err = 0;
      let scale = 0;
      for (let i = 0; i < ref.length; i++) {
        if (!Number.isFinite(ref[i])) continue;
        err = Math.max(err, Math.abs(got[i] - ref[i]));
        scale = Math.max(scale, Math.abs(ref[i]));
      }
      report({
        name: `cauchy N=${N2} ${name} poles`,
        value: Number(total.toFixed(4)),
        unit: 'ms',
        relErr: err / scale,
      });
    }
    ctx.release(v, w);
  }
  ctx.release(zBuf);
}

// The long convolution and its parts.
const B = Number(process.env.DIAG_B ?? 16);
const H = Number(process.env.DIAG_H ?? 256);
const L = Number(process.env.DIAG_L ?? 16384);
const rowsU = B * H;
const u = ctx.upload(normal(rowsU * L));
const k = ctx.upload(normal(H * L));
const D = ctx.upload(normal(H));
const copy = mapKernel({
  key: 'diag.copy',
  bindings: [
    ['src', 'vec2<f32>', 'read'],
    ['dst', 'vec2<f32>', 'read_write'],
  ],
  u32: [],
  body: '  dst[i] = src[i];',
});
const big = ctx.allocate(8 * rowsU * L);
const big2 = ctx.allocate(8 * rowsU * L);
const parts: [string, () => void, number][] = [
  ['copy 537 MB', () => copy(ctx, [big, big2], rowsU * L, {}), 20],
  ['complex fft 4096x16384', () => ctx.release(recordFft(ctx, big, rowsU, L)), 5],
  ['rfft u 4096 rows n=32768', () => ctx.release(recordRfft(ctx, u, rowsU, 2 * L, L)), 5],
  ['irfft 4096 rows n=32768 (from bins)', () => ctx.release(recordIrfft(ctx, big, rowsU, 2 * L)), 5],
  // The first and last passes of the long convolution: residue transforms (n1 = 4 on an H100, where
  // recordConvolve takes the longest workgroup transform), and with 8 and 16 residues.
  ...[1, 2, 4].flatMap((factor): [string, () => void, number][] => {
    const n1 = factor * (L / workgroupFftLength(ctx));
    return [
      [
        `residues gather ${rowsU} rows n=${L} n1=${n1}`,
        () => {
          const out = ctx.allocate(8 * rowsU * L);
          recordResidueTransforms(
            ctx,
            {
              rows: rowsU,
              n: L,
              inverse: false,
              scale: 1,
              from: { side: realLoad, arrays: [u], values: { inWidth: L } },
              to: { side: complexStore, arrays: [out] },
            },
            n1,
            'gather',
          );
          ctx.release(out);
        },
        5,
      ],
      [
        `residues scatter ${rowsU} rows n=${L} n1=${n1}`,
        () => {
          const out = ctx.allocate(4 * rowsU * L);
          recordResidueTransforms(
            ctx,
            {
              rows: rowsU,
              n: L,
              inverse: true,
              scale: 1,
              from: { side: complexLoad, arrays: [big] },
              to: { side: samplesStore, arrays: [out], values: { L } },
            },
            n1,
            'scatter',
          );
          ctx.release(out);
        },
        5,
      ],
    ];
  }),
  [
    'conv B=16 H=256 L=16384',
    () =>
      ctx.release(
        recordConvolve(ctx, { u, k, D, batch: B, channels: 1, H, L, taps: L, bidirectional: false }),
      ),
    3,
  ],
];
for (const [name, record, reps] of parts) {
  const { total, passes } = await profile(record);
  const wall = await wallPerSubmission(record, reps);
  report({
    name,
    value: Number(total.toFixed(4)),
    unit: 'ms',
    passes,
    wallPerSubmission: Number(wall.toFixed(4)),
  });
}
// Wall time per convolution by the number of convolutions per submission.
for (const reps of [1, 3, 5, 5]) {
  const wall = await wallPerSubmission(
    () =>
      ctx.release(
        recordConvolve(ctx, { u, k, D, batch: B, channels: 1, H, L, taps: L, bidirectional: false }),
      ),
    reps,
    7,
  );
  report({
    name: `conv wall per submission, ${reps} per submission`,
    value: Number(wall.toFixed(4)),
    unit: 'ms',
  });
}
ctx.dispose();
gpu.destroy();
