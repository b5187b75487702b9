import type { GpuArray, GpuContext } from '../gpu-context';
import { twiddleTable } from './fft-tables';
import { type MapBinding, mapKernel } from './fft-wgsl';

// How a transform kernel reads its input and writes its output. A side is WGSL that the kernel
// calls per element, `fn load(row: u32, c: u32) -> vec2<f32>` (complex element c of a row's input)
// or `fn store(row: u32, c: u32, v: vec2<f32>)` (complex element c of a row's output), with the
// storage bindings and u32 uniform fields it uses. Fusing padding, spectrum products or a skip term
// into the transform's own loads and stores saves a pass over memory per fused step.
//
// In a side's WGSL, `P.n` is the transform length and `table[k]` is exp(−πik/n) (the twiddle table
// of twice the length, shared with the real-FFT split and merge). The two sides of a kernel must
// name their bindings differently.

/** One end of a transform kernel. */
export interface FftSide {
  /** Identifies the WGSL (part of the pipeline key). */
  key: string;
  bindings: readonly MapBinding[];
  /** u32 uniform fields the WGSL reads as `P.<name>` (a name both sides of a kernel use is one field). */
  fields: readonly string[];
  /** The WGSL function `load` or `store`. */
  wgsl: string;
}

/** A side with its arrays (in the order of its bindings) and the values of its fields. */
export interface BoundSide {
  side: FftSide;
  arrays: readonly GpuArray[];
  values?: Record<string, number>;
}

/** A batched transform of rows from one side to another. */
export interface Transform {
  rows: number;
  /** The transform length (a power of two where a function says so). */
  n: number;
  inverse: boolean;
  /** Factor applied to the results before `store`. */
  scale: number;
  from: BoundSide;
  to: BoundSide;
  /**
   * Store the n + 1 bins of the real signal whose 2n samples were loaded as n complex pairs,
   * instead of the n complex results (forward transforms).
   */
  split?: boolean;
}

/** Reads rows × n complex values. */
export const complexLoad: FftSide = {
  key: 'complex',
  bindings: [['src', 'vec2<f32>', 'read']],
  fields: [],
  wgsl: /* wgsl */ `
fn load(row: u32, c: u32) -> vec2<f32> {
  return src[row * P.n + c];
}`,
};

/** Writes rows × n complex values. */
export const complexStore: FftSide = {
  key: 'complex',
  bindings: [['dst', 'vec2<f32>', 'read_write']],
  fields: [],
  wgsl: /* wgsl */ `
fn store(row: u32, c: u32, v: vec2<f32>) {
  dst[row * P.n + c] = v;
}`,
};

/**
 * Reads rows of `inWidth` reals as complex pairs (x_2c, x_2c+1), zero beyond the width: the input
 * of a real FFT of 2n samples, padded or truncated on the fly.
 */
export const realLoad: FftSide = {
  key: 'real',
  bindings: [['src', 'f32', 'read']],
  fields: ['inWidth'],
  wgsl: /* wgsl */ `
fn load(row: u32, c: u32) -> vec2<f32> {
  let base = row * P.inWidth;
  let t = 2u * c;
  var v = vec2<f32>(0.0);
  if (t < P.inWidth) {
    v.x = src[base + t];
  }
  if (t + 1u < P.inWidth) {
    v.y = src[base + t + 1u];
  }
  return v;
}`,
};

/** Writes rows of n + 1 complex values: the bins of a real FFT of 2n samples. */
export const binsStore: FftSide = {
  key: 'bins',
  bindings: [['bins', 'vec2<f32>', 'read_write']],
  fields: [],
  wgsl: /* wgsl */ `
fn store(row: u32, c: u32, v: vec2<f32>) {
  bins[row * (P.n + 1u) + c] = v;
}`,
};

/**
 * WGSL `splitBins(zk, zj, w)`: bin k of the 2n reals x whose n complex pairs z_j = x_2j + i·x_2j+1
 * have the spectrum Z, from zk = Z_(k mod n), zj = Z_((n−k) mod n) and w = exp(−πik/n):
 * X_k = E_k + w·O_k, E_k = (Z_k + conj Z_(n−k))/2, O_k = (Z_k − conj Z_(n−k))/2i.
 */
export const SPLIT_WGSL = /* wgsl */ `
fn splitBins(zk: vec2<f32>, zj: vec2<f32>, w: vec2<f32>) -> vec2<f32> {
  let d = zk - conj(zj);
  return 0.5 * (zk + conj(zj) + cmul(w, vec2<f32>(d.y, -d.x)));
}`;

/**
 * WGSL `mergeBins(xk, xj, w)`: element k of the (unscaled) spectrum Z of the n complex values
 * x_2j + i·x_2j+1 whose 2n reals have the bins X: with xk = X_k, xj = X_(n−k), w = exp(−πik/n),
 * Z_k = F + i·conj(w)·G, F = X_k + conj X_(n−k), G = X_k − conj X_(n−k).
 */
export const MERGE_WGSL = /* wgsl */ `
fn mergeBins(xk: vec2<f32>, xj: vec2<f32>, w: vec2<f32>) -> vec2<f32> {
  let g = cmul(conj(w), xk - conj(xj));
  return xk + conj(xj) + vec2<f32>(-g.y, g.x);
}`;

/**
 * Reads rows of n + 1 bins (the spectrum of 2n reals) as the spectrum Z whose inverse transform
 * interleaves the 2n samples; the imaginary parts of bins 0 and n are ignored (numpy's irfft).
 */
export const realMergeLoad: FftSide = {
  key: 'real-merge',
  bindings: [['bins', 'vec2<f32>', 'read']],
  fields: [],
  wgsl: /* wgsl */ `
${MERGE_WGSL}
fn load(row: u32, c: u32) -> vec2<f32> {
  let base = row * (P.n + 1u);
  var xk = bins[base + c];
  var xj = bins[base + P.n - c];
  if (c == 0u) {
    xk.y = 0.0;
    xj.y = 0.0;
  }
  return mergeBins(xk, xj, table[c]);
}`,
};

/** Reads rows of `inWidth` reals as complex values (x_c, 0), zero beyond the width. */
export const realAsComplexLoad: FftSide = {
  key: 'real-as-complex',
  bindings: [['src', 'f32', 'read']],
  fields: ['inWidth'],
  wgsl: /* wgsl */ `
fn load(row: u32, c: u32) -> vec2<f32> {
  var v = vec2<f32>(0.0);
  if (c < P.inWidth) {
    v.x = src[row * P.inWidth + c];
  }
  return v;
}`,
};

/**
 * Reads rows of `inWidth` = ⌊n/2⌋ + 1 bins as the full Hermitian spectrum of n values (bin k > n/2 is
 * conj X_(n−k)); the imaginary part of bin 0 is ignored (numpy's irfft).
 */
export const hermitianLoad: FftSide = {
  key: 'hermitian',
  bindings: [['bins', 'vec2<f32>', 'read']],
  fields: ['inWidth'],
  wgsl: /* wgsl */ `
fn load(row: u32, c: u32) -> vec2<f32> {
  var v: vec2<f32>;
  if (c < P.inWidth) {
    v = bins[row * P.inWidth + c];
  } else {
    v = conj(bins[row * P.inWidth + P.n - c]);
  }
  if (c == 0u) {
    v.y = 0.0;
  }
  return v;
}`,
};

/** Writes the first `outWidth` complex results of each row (rows × outWidth). */
export const headStore: FftSide = {
  key: 'head',
  bindings: [['dst', 'vec2<f32>', 'read_write']],
  fields: ['outWidth'],
  wgsl: /* wgsl */ `
fn store(row: u32, c: u32, v: vec2<f32>) {
  if (c < P.outWidth) {
    dst[row * P.outWidth + c] = v;
  }
}`,
};

/** Writes the real parts of the results (rows × n f32). */
export const realPartStore: FftSide = {
  key: 'real-part',
  bindings: [['dst', 'f32', 'read_write']],
  fields: [],
  wgsl: /* wgsl */ `
fn store(row: u32, c: u32, v: vec2<f32>) {
  dst[row * P.n + c] = v.x;
}`,
};

/** Element-wise kernels that run a side on its own, for transforms that cannot fuse it. */
const SIDE_BODIES = {
  load: '  staged[i] = load(i / P.n, i % P.n);',
  store: '  store(i / P.n, i % P.n, staged[i]);',
  // One invocation per bin k ≤ n of a row.
  split: /* wgsl */ `
  let k = i % (P.n + 1u);
  let row = (i / (P.n + 1u)) * P.n;
  store(i / (P.n + 1u), k, splitBins(staged[row + k % P.n], staged[row + (P.n - k) % P.n], table[k]));`,
};

function sideKernel(side: FftSide, use: keyof typeof SIDE_BODIES) {
  return mapKernel({
    key: `fft.${use}:${side.key}`,
    bindings: [
      ['table', 'vec2<f32>', 'read'],
      ...side.bindings,
      ['staged', 'vec2<f32>', use === 'load' ? 'read_write' : 'read'],
    ],
    u32: ['n', ...side.fields],
    functions: `${SPLIT_WGSL}\n${side.wgsl}`,
    body: SIDE_BODIES[use],
  });
}

/** Records `load` of every element of rows × n into a new array of rows × n complex values. */
export function recordLoad(ctx: GpuContext, rows: number, n: number, from: BoundSide): GpuArray {
  const out = ctx.allocate(8 * rows * n);
  sideKernel(from.side, 'load')(ctx, [twiddleTable(ctx, 2 * n), ...from.arrays, out], rows * n, {
    ...from.values,
    n,
  });
  return out;
}

/**
 * Records `store` of every element of `input`, rows × n complex values, or with `split` of the
 * n + 1 bins of the real signal whose complex pairs have the spectra `input`.
 */
export function recordStore(
  ctx: GpuContext,
  rows: number,
  n: number,
  input: GpuArray,
  to: BoundSide,
  split = false,
): void {
  sideKernel(to.side, split ? 'split' : 'store')(
    ctx,
    [twiddleTable(ctx, 2 * n), ...to.arrays, input],
    rows * (split ? n + 1 : n),
    { ...to.values, n },
  );
}
