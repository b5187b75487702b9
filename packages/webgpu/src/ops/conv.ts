import type { Tensor } from '@statespace/complex';
import { type ConvolveInput, checkConvolveInput } from '@statespace/kernels';
import type { GpuArray, GpuContext } from '../gpu-context';
import { realFftBytes, recordRfft, recordTransform } from './fft';
import { type FftSide, MERGE_WGSL } from './fft-io';
import { mapKernel } from './fft-wgsl';
import type { GpuOp } from './op';

// Batched causal FFT convolution with a kernel bank, as the CPU `convolve` of @statespace/kernels:
// y[b,c,h,t] = Σ_{s≤t} k[c,h,s]·u[b,h,t−s] + D[c,h]·u[b,h,t] (+ Σ_{d≥1} kReverse[c,h,d−1]·u[b,h,t+d]).
// The spectrum of each input row (b, h) and of each kernel row (c, h) is computed once; one batched
// inverse transform reads their products and adds the skip term on its way out (both fused into
// the transform's loads and stores). Everything stays on the GPU between the uploads and the one
// read-back.

/**
 * The transform length: a power of two ≥ L + taps − 1 (linear, not circular, convolution), or
 * ≥ L + taps with anticausal taps (future offset d lands at index n − d), and at least 2.
 */
export function convolutionLength(L: number, taps: number, bidirectional: boolean): number {
  return 2 ** Math.max(1, Math.ceil(Math.log2(L + taps - (bidirectional ? 0 : 1))));
}

/**
 * Row (c, h) of the kernel bank as n reals: k[t] for t < taps, kReverse[d − 1] at n − d for
 * 1 ≤ d ≤ taps (when `reverse` is 1), zeros elsewhere. The two ranges never overlap (n ≥ 2·taps).
 */
const kernelRows = mapKernel({
  key: 'conv.kernel-rows',
  bindings: [
    ['k', 'f32', 'read'],
    ['kReverse', 'f32', 'read'],
    ['rows', 'f32', 'read_write'],
  ],
  u32: ['width', 'taps', 'n', 'reverse'],
  body: /* wgsl */ `
  let t = i % P.n;
  let offset = (i / P.n) * P.width;
  var v = 0.0;
  if (t < P.taps) {
    v = k[offset + t];
  } else if (P.reverse != 0u && P.n - t <= P.taps) {
    v = kReverse[offset + P.n - t - 1u];
  }
  rows[i] = v;`,
});

/**
 * Reads the spectrum of output row (b, c, h) as the products U[b, h]·K[c, h] of rows of n + 1 bins,
 * merged for the half-length inverse transform (see `realMergeLoad`).
 */
const productLoad: FftSide = {
  key: 'conv-products',
  bindings: [
    ['U', 'vec2<f32>', 'read'],
    ['K', 'vec2<f32>', 'read'],
  ],
  fields: ['C', 'H'],
  wgsl: /* wgsl */ `
${MERGE_WGSL}
fn load(row: u32, c: u32) -> vec2<f32> {
  let bins = P.n + 1u;
  let ub = ((row / (P.C * P.H)) * P.H + row % P.H) * bins;
  let kb = (row % (P.C * P.H)) * bins;
  var xk = cmul(U[ub + c], K[kb + c]);
  var xj = cmul(U[ub + P.n - c], K[kb + P.n - c]);
  if (c == 0u) {
    xk.y = 0.0;
    xj.y = 0.0;
  }
  return mergeBins(xk, xj, table[c]);
}`,
};

/**
 * Writes the samples 2c and 2c + 1 of output row (b, c, h) that fall below L, plus the skip term
 * D[c, h]·u[b, h, t] (when `skip` is 1).
 */
const skipStore: FftSide = {
  key: 'conv-skip',
  bindings: [
    ['y', 'f32', 'read_write'],
    ['u', 'f32', 'read'],
    ['D', 'f32', 'read'],
  ],
  fields: ['C', 'H', 'L', 'skip'],
  wgsl: /* wgsl */ `
fn store(row: u32, c: u32, v: vec2<f32>) {
  let t = 2u * c;
  if (t >= P.L) {
    return;
  }
  var d = 0.0;
  if (P.skip != 0u) {
    d = D[row % (P.C * P.H)];
  }
  let ut = ((row / (P.C * P.H)) * P.H + row % P.H) * P.L + t;
  y[row * P.L + t] = v.x + d * u[ut];
  if (t + 1u < P.L) {
    y[row * P.L + t + 1u] = v.y + d * u[ut + 1u];
  }
}`,
};

/** A convolution on GPU-resident arrays (f32, row-major), for {@link recordConvolve}. */
export interface ConvolveArrays {
  /** Inputs, batch × H × L. */
  u: GpuArray;
  /** Kernels, channels × H × taps (taps beyond L are ignored). */
  k: GpuArray;
  /** Skip term, channels × H (none when absent). */
  D?: GpuArray;
  /** Anticausal kernels of the layout of k; required when `bidirectional`. */
  kReverse?: GpuArray;
  batch: number;
  channels: number;
  H: number;
  L: number;
  /** Length of each kernel row. */
  taps: number;
  bidirectional: boolean;
}

/**
 * Records the batched causal convolution y[b,c,h,t] = Σ_{s≤t} k[c,h,s]·u[b,h,t−s] + D[c,h]·u[b,h,t]
 * (+ Σ_{d≥1} kReverse[c,h,d−1]·u[b,h,t+d] when bidirectional): returns y, batch × channels × H × L
 * f32. The inputs are left as they are.
 */
export function recordConvolve(ctx: GpuContext, spec: ConvolveArrays): GpuArray {
  const { u, k, D, batch, channels: C, H, L, bidirectional } = spec;
  if (bidirectional && !spec.kReverse) throw new RangeError('kReverse is required when bidirectional');
  const taps = Math.min(spec.taps, L);
  const n = convolutionLength(L, taps, bidirectional);
  const U = recordRfft(ctx, u, batch * H, n, L);
  const rows = ctx.allocate(4 * C * H * n);
  kernelRows(ctx, [k, spec.kReverse ?? k, rows], C * H * n, {
    width: spec.taps,
    taps,
    n,
    reverse: bidirectional ? 1 : 0,
  });
  const K = recordRfft(ctx, rows, C * H, n);
  // One inverse transform of length n/2 per output row reads the products of the spectra and
  // writes the first L samples with the skip term.
  const out = ctx.allocate(4 * batch * C * H * L);
  recordTransform(ctx, {
    rows: batch * C * H,
    n: n / 2,
    inverse: true,
    scale: 1 / n,
    from: { side: productLoad, arrays: [U, K], values: { C, H } },
    to: { side: skipStore, arrays: [out, u, D ?? u], values: { C, H, L, skip: D ? 1 : 0 } },
  });
  ctx.release(U, rows, K);
  return out;
}

/**
 * Validates the input as the CPU `convolve` does (shapes, and finite values: a non-finite value
 * would spread through the whole transform, past inputs included); returns the sizes.
 */
function checkConvolve(input: ConvolveInput) {
  const [batch, H, L] = checkConvolveInput(input);
  const bidirectional = input.kReverse !== undefined;
  const n = convolutionLength(L, Math.min(input.k.shape[2], L), bidirectional);
  return { batch, C: input.k.shape[0], H, L, n, bidirectional };
}

/**
 * `convolve` of the backend: u [batch, H, L], k and kReverse [C, H, Lk], D [C, H] →
 * y [batch, C, H, L], with the official bidirectional off-by-one (see {@link ConvolveInput}).
 */
export const convolveOp: GpuOp<ConvolveInput, { out: Tensor }> = {
  async run(ctx, input) {
    const { batch, C, H, L, bidirectional } = checkConvolve(input);
    const { u, k, D, kReverse } = input;
    const shape = [batch, C, H, L];
    if (batch * C * H === 0) return { out: { data: new Float32Array(0), shape } };
    const inputs = {
      u: ctx.upload(u.data as Float32Array),
      k: ctx.upload(k.data as Float32Array),
      D: D && ctx.upload(D.data as Float32Array),
      kReverse: kReverse && ctx.upload(kReverse.data as Float32Array),
    };
    const out = recordConvolve(ctx, { ...inputs, batch, channels: C, H, L, taps: k.shape[2], bidirectional });
    const data = await ctx.read(out);
    ctx.release(out, ...Object.values(inputs).filter((a) => a !== undefined));
    return { out: { data, shape } };
  },
  largestBuffer(input) {
    // Sizes only (malformed input is rejected by `run`, with the argument named).
    const [batch = 0, H = 0, L = 1] = input.u.shape;
    const C = input.k.shape[0] ?? 0;
    const n = convolutionLength(
      L,
      Math.max(1, Math.min(input.k.shape[2] ?? 1, L)),
      input.kReverse !== undefined,
    );
    return Math.max(
      4 * input.u.data.length,
      4 * input.k.data.length,
      realFftBytes(batch * H, n),
      realFftBytes(C * H, n),
      // The inverse transform's intermediate (two-level transforms) and the output.
      8 * batch * C * H * (n / 2),
      4 * batch * C * H * L,
    );
  },
};
