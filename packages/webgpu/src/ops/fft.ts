import { assertInteger, type ComplexTensor, type Tensor } from '@statespace/complex';
import type { TransformInput } from '@statespace/kernels';
import type { GpuArray, GpuContext } from '../gpu-context';
import { bluesteinLength, recordBluestein } from './fft-bluestein';
import {
  binsStore,
  complexLoad,
  complexStore,
  headStore,
  hermitianLoad,
  realAsComplexLoad,
  realLoad,
  realMergeLoad,
  realPartStore,
  recordLoad,
  recordStore,
  type Transform,
} from './fft-io';
import { isPow2, recordPow2Transform, workgroupFftLength } from './fft-stockham';
import { mapKernel } from './fft-wgsl';
import type { GpuOp } from './op';

// FFTs of any length on the GPU, batched over rows, as recording functions that other operations
// chain without reading back, and the backend's `rfft` and `irfft` operations.
//
// Layouts (row-major, no padding between rows):
//   complex rows: rows × n `vec2<f32>` (interleaved re, im), 8·rows·n bytes;
//   real rows:    rows × n `f32`, 4·rows·n bytes;
//   spectra of real rows: rows × (⌊n/2⌋ + 1) `vec2<f32>`, bins 0…⌊n/2⌋.
// Conventions are numpy's: the forward transform is unscaled (exp(−2πijk/n)), the inverse is scaled
// by 1/n. Recording functions return new arrays and leave their inputs alone; the caller releases
// both.

/** Number of bins of the spectrum of n reals, ⌊n/2⌋ + 1. */
export function rfftBins(n: number): number {
  return (n >> 1) + 1;
}

/**
 * Records the FFT of each of `rows` rows of n complex values (any n ≥ 1), unscaled forward or
 * inverse, times `scale`, reading through `from` and writing through `to` (with `split`, the n + 1
 * bins of the real signal of 2n samples). Powers of two take the Stockham kernel with both sides
 * fused; other lengths Bluestein's algorithm, with the sides run as element-wise kernels of their
 * own unless they are plain complex rows, as is a split too long for one workgroup.
 */
export function recordTransform(ctx: GpuContext, spec: Transform): void {
  const { rows, n, inverse, scale, from, to, split = false } = spec;
  const pow2 = isPow2(n);
  if (pow2 && (!split || n <= workgroupFftLength(ctx))) {
    recordPow2Transform(ctx, spec);
    return;
  }
  const direct = !split && to.side === complexStore;
  const output = direct ? to.arrays[0] : ctx.allocate(8 * rows * n);
  if (pow2) {
    recordPow2Transform(ctx, { ...spec, split: false, to: { side: complexStore, arrays: [output] } });
  } else {
    const input = from.side === complexLoad ? from.arrays[0] : recordLoad(ctx, rows, n, from);
    recordBluestein(ctx, input, output, rows, n, inverse, scale);
    if (input !== from.arrays[0]) ctx.release(input);
  }
  if (!direct) {
    recordStore(ctx, rows, n, output, to, split);
    ctx.release(output);
  }
}

/**
 * Records the FFT of each of `rows` rows of n complex values (any n ≥ 1): forward unscaled, or
 * inverse scaled by 1/n (numpy's `fft`/`ifft`), or by `scale` when given. Returns rows × n complex.
 */
export function recordFft(
  ctx: GpuContext,
  input: GpuArray,
  rows: number,
  n: number,
  inverse = false,
  scale = inverse ? 1 / n : 1,
): GpuArray {
  const out = ctx.allocate(8 * rows * n);
  recordTransform(ctx, {
    rows,
    n,
    inverse,
    scale,
    from: { side: complexLoad, arrays: [input] },
    to: { side: complexStore, arrays: [out] },
  });
  return out;
}

/** The largest buffer, in bytes, of a complex FFT of `rows` rows of length n. */
export function fftBytes(rows: number, n: number): number {
  return 8 * rows * (isPow2(n) ? n : bluesteinLength(n));
}

/** The largest buffer, in bytes, of `recordRfft` or `recordIrfft` of `rows` rows of n reals. */
export function realFftBytes(rows: number, n: number): number {
  return n % 2 === 0
    ? Math.max(8 * rows * rfftBins(n), fftBytes(rows, n / 2))
    : Math.max(8 * rows * n, fftBytes(rows, n));
}

/** out[r, t] = in[r, t] for t < width, 0 for width ≤ t < n (f32 rows: pads or truncates). */
const padKernel = mapKernel({
  key: 'fft.pad-rows',
  bindings: [
    ['x', 'f32', 'read'],
    ['out', 'f32', 'read_write'],
  ],
  u32: ['width', 'n'],
  body: /* wgsl */ `
  let t = i % P.n;
  var v = 0.0;
  if (t < P.width) {
    v = x[(i / P.n) * P.width + t];
  }
  out[i] = v;`,
});

/**
 * Records rows × width f32 values zero-padded or truncated to rows × n (numpy's `n` argument).
 * A complex row is padded as 2·width floats to 2·n. Returns a new array.
 */
export function recordPadRows(
  ctx: GpuContext,
  input: GpuArray,
  rows: number,
  width: number,
  n: number,
): GpuArray {
  const out = ctx.allocate(4 * rows * n);
  padKernel(ctx, [input, out], rows * n, { width, n });
  return out;
}

/**
 * Records the real FFT of each of `rows` rows of `width` reals (rows × width f32, zero-padded or
 * truncated to n, numpy's `n`): returns the rows × (⌊n/2⌋+1) complex bins (`vec2<f32>`), numpy's
 * `rfft`. Even n takes one complex FFT of n/2 (the n reals read as n/2 complex pairs, whose
 * spectrum is split into the bins), odd n one complex FFT of n.
 */
export function recordRfft(ctx: GpuContext, input: GpuArray, rows: number, n: number, width = n): GpuArray {
  const bins = rfftBins(n);
  const out = ctx.allocate(8 * rows * bins);
  const even = n % 2 === 0;
  recordTransform(ctx, {
    rows,
    n: even ? n / 2 : n,
    inverse: false,
    scale: 1,
    split: even,
    from: { side: even ? realLoad : realAsComplexLoad, arrays: [input], values: { inWidth: width } },
    to: even
      ? { side: binsStore, arrays: [out] }
      : { side: headStore, arrays: [out], values: { outWidth: bins } },
  });
  return out;
}

/**
 * Records the inverse real FFT of each of `rows` rows of ⌊n/2⌋+1 complex bins (`vec2<f32>`): returns
 * rows × n f32, numpy's `irfft` (scaled by 1/n; the imaginary parts of bin 0 and, for even n, of bin
 * n/2 are ignored). Even n takes one complex FFT of n/2 (the merged spectrum, whose inverse
 * interleaves the n samples as n/2 complex pairs), odd n one complex FFT of n.
 */
export function recordIrfft(ctx: GpuContext, input: GpuArray, rows: number, n: number): GpuArray {
  const out = ctx.allocate(4 * rows * n);
  const even = n % 2 === 0;
  recordTransform(ctx, {
    rows,
    n: even ? n / 2 : n,
    inverse: true,
    scale: 1 / n,
    from: even
      ? { side: realMergeLoad, arrays: [input] }
      : { side: hermitianLoad, arrays: [input], values: { inWidth: rfftBins(n) } },
    to: { side: even ? complexStore : realPartStore, arrays: [out] },
  });
  return out;
}

/** Validates a transform input; returns [rows, width]. */
function checkTransform({ x, n }: TransformInput, complex: boolean): [number, number] {
  assertInteger('n', n, 1);
  if (x.shape.length !== 2)
    throw new RangeError(`x must have shape [rows, width]; got [${x.shape.join(', ')}]`);
  const [rows, width] = x.shape;
  const expected = (complex ? 2 : 1) * rows * width;
  if (x.data.length !== expected) {
    throw new RangeError(
      `x of shape [${rows}, ${width}] must hold ${expected} numbers; got ${x.data.length}`,
    );
  }
  return [rows, width];
}

/** `rfft` of the backend: x [rows, width] real, zero-padded or truncated to n; out [rows, ⌊n/2⌋+1] complex. */
export const rfftOp: GpuOp<TransformInput, { out: ComplexTensor }> = {
  async run(ctx, input) {
    const [rows, width] = checkTransform(input, false);
    const { n } = input;
    const bins = rfftBins(n);
    if (rows === 0) return { out: { data: new Float32Array(0), shape: [0, bins] } };
    const x = ctx.upload(input.x.data as Float32Array);
    const out = recordRfft(ctx, x, rows, n, width);
    const data = await ctx.read(out);
    ctx.release(x, out);
    return { out: { data, shape: [rows, bins] } };
  },
  largestBuffer({ x, n }) {
    return Math.max(4 * x.data.length, realFftBytes(x.shape[0], n));
  },
};

/** `irfft` of the backend: X [rows, width] complex, zero-padded or truncated to ⌊n/2⌋+1 bins; out [rows, n] real. */
export const irfftOp: GpuOp<TransformInput, { out: Tensor }> = {
  async run(ctx, input) {
    const [rows, width] = checkTransform(input, true);
    const { n } = input;
    const bins = rfftBins(n);
    if (rows === 0) return { out: { data: new Float32Array(0), shape: [0, n] } };
    const X = ctx.upload(input.x.data as Float32Array);
    const padded = width === bins ? X : recordPadRows(ctx, X, rows, 2 * width, 2 * bins);
    const out = recordIrfft(ctx, padded, rows, n);
    const data = await ctx.read(out);
    ctx.release(...new Set([X, padded, out]));
    return { out: { data, shape: [rows, n] } };
  },
  largestBuffer({ x, n }) {
    const rows = x.shape[0];
    return Math.max(4 * x.data.length, 8 * rows * rfftBins(n), realFftBytes(rows, n));
  },
};
