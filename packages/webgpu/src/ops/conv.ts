import type { Tensor } from '@statespace/complex';
import { type ConvolveInput, checkConvolveInput } from '@statespace/kernels';
import type { GpuArray, GpuContext } from '../gpu-context';
import {
  columnResidues,
  recordColumnProducts,
  recordInverseResidues,
  recordRealResidues,
} from './conv-columns';
import { realFftBytes, recordRfft, recordTransform } from './fft';
import { type FftSide, MERGE_WGSL } from './fft-io';
import { mapKernel } from './fft-wgsl';
import type { GpuOp } from './op';

// Batched causal FFT convolution with a kernel bank, as the CPU `convolve` of @statespace/kernels:
// y[b,c,h,t] = Σ_{s≤t} k[c,h,s]·u[b,h,t−s] + D[c,h]·u[b,h,t] (+ Σ_{d≥1} kReverse[c,h,d−1]·u[b,h,t+d]).
// The spectrum of each input row (b, h) and of each kernel row (c, h), with D at lag 0, is computed
// once; one batched inverse transform reads their products (fused into its loads) and writes the
// first L samples. Rows longer than one workgroup's transform take three passes instead (see
// conv-columns.ts). Everything stays on the GPU between the uploads and the one read-back.

/**
 * The transform length: a power of two ≥ L + taps − 1 (linear, not circular, convolution), or
 * ≥ L + taps with anticausal taps (future offset d lands at index n − d), and at least 2.
 */
export function convolutionLength(L: number, taps: number, bidirectional: boolean): number {
  return 2 ** Math.max(1, Math.ceil(Math.log2(L + taps - (bidirectional ? 0 : 1))));
}

/** The sizes of a convolution's input (unchecked: for buffer estimates) and its transform length n. */
export function convolveSizes(input: ConvolveInput): {
  batch: number;
  H: number;
  L: number;
  C: number;
  n: number;
} {
  const [batch = 0, H = 0, L = 1] = input.u.shape;
  const taps = Math.max(1, Math.min(input.k.shape[2] ?? 1, L));
  return {
    batch,
    H,
    L,
    C: input.k.shape[0] ?? 0,
    n: convolutionLength(L, taps, input.kReverse !== undefined),
  };
}

/**
 * Row (c, h) of the kernel bank as n reals: k[t] for t < taps, kReverse[d − 1] at n − d for
 * 1 ≤ d ≤ taps (when `reverse` is 1), zeros elsewhere, plus D[c, h] at t = 0 (when `withD` is 1):
 * the skip term D·u[t] is a convolution with D at lag 0, so that it rides in the kernel's spectrum
 * instead of a read of u in the last pass. The two ranges never overlap (n ≥ 2·taps).
 */
export const kernelRows = mapKernel({
  key: 'conv.kernel-rows',
  bindings: [
    ['k', 'f32', 'read'],
    ['kReverse', 'f32', 'read'],
    ['D', 'f32', 'read'],
    ['rows', 'f32', 'read_write'],
  ],
  u32: ['width', 'taps', 'n', 'reverse', 'withD'],
  body: /* wgsl */ `
  let t = i % P.n;
  let offset = (i / P.n) * P.width;
  var v = 0.0;
  if (t < P.taps) {
    v = k[offset + t];
  } else if (P.reverse != 0u && P.n - t <= P.taps) {
    v = kReverse[offset + P.n - t - 1u];
  }
  if (t == 0u && P.withD != 0u) {
    v += D[i / P.n];
  }
  rows[i] = v;`,
});

/**
 * How the rows of a transform over products of spectra pair up: output row `row` is the inverse
 * transform of Σ_j left[l(row, j)]·right[r(row, j)] over `terms` values of j (with the right factor
 * conjugated for a correlation). The convolution pairs each output row (b, c, h) with input row
 * (b, h) and kernel row (c, h); its VJP sums over channels or over the batch (see `conv-vjp.ts`).
 */
export interface RowPairing {
  /** Identifies the WGSL (part of the pipeline key). */
  key: string;
  /** WGSL u32 expression: how many terms each output row sums. */
  terms: string;
  /** WGSL u32 expressions of `row` and `j` (uniforms P.C, P.H, P.batch): the left and right rows. */
  left: string;
  right: string;
  /** Multiply by conj(right) instead of right. */
  conjugate: boolean;
}

/** The convolution: output row (b, c, h) = input row (b, h) times kernel row (c, h). */
const CONVOLUTION: RowPairing = {
  key: 'conv',
  terms: '1u',
  left: '(row / (P.C * P.H)) * P.H + row % P.H',
  right: 'row % (P.C * P.H)',
  conjugate: false,
};

/**
 * Reads the spectrum of output row `row` as Σ_j left[l]·right[r] (rows of n + 1 bins, see
 * {@link RowPairing}), merged for the half-length inverse transform (see `realMergeLoad`).
 */
export function productsLoad(pairing: RowPairing): FftSide {
  const factor = (bin: string) => (pairing.conjugate ? `conj(right[b + ${bin}])` : `right[b + ${bin}]`);
  return {
    key: `products:${pairing.key}`,
    bindings: [
      ['left', 'vec2<f32>', 'read'],
      ['right', 'vec2<f32>', 'read'],
    ],
    fields: ['C', 'H', 'batch'],
    wgsl: /* wgsl */ `
${MERGE_WGSL}
fn load(row: u32, c: u32) -> vec2<f32> {
  let bins = P.n + 1u;
  var xk = vec2<f32>(0.0);
  var xj = vec2<f32>(0.0);
  for (var j = 0u; j < ${pairing.terms}; j++) {
    let a = (${pairing.left}) * bins;
    let b = (${pairing.right}) * bins;
    xk += cmul(left[a + c], ${factor('c')});
    xj += cmul(left[a + P.n - c], ${factor('P.n - c')});
  }
  if (c == 0u) {
    xk.y = 0.0;
    xj.y = 0.0;
  }
  return mergeBins(xk, xj, table[c]);
}`,
  };
}

/** Writes the samples 2c and 2c + 1 of output row `row` that fall below L (rows × L f32). */
export const samplesStore: FftSide = {
  key: 'samples',
  bindings: [['y', 'f32', 'read_write']],
  fields: ['L'],
  wgsl: /* wgsl */ `
fn store(row: u32, c: u32, v: vec2<f32>) {
  let t = 2u * c;
  if (t < P.L) {
    y[row * P.L + t] = v.x;
  }
  if (t + 1u < P.L) {
    y[row * P.L + t + 1u] = v.y;
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
  const rows = ctx.allocate(4 * C * H * n);
  kernelRows(ctx, [k, spec.kReverse ?? k, D ?? k, rows], C * H * n, {
    width: spec.taps,
    taps,
    n,
    reverse: bidirectional ? 1 : 0,
    withD: D ? 1 : 0,
  });
  const out = ctx.allocate(4 * batch * C * H * L);
  const store = { side: samplesStore, arrays: [out], values: { L } };
  const n1 = columnResidues(ctx, n);
  if (n1) {
    // Rows longer than a workgroup's transform: residue transforms of the input and kernel rows,
    // one pass for everything per frequency, the inverse residue transforms (see conv-columns.ts).
    const left = recordRealResidues(ctx, u, { rows: batch * H, width: L, n, n1 });
    const right = recordRealResidues(ctx, rows, { rows: C * H, width: n, n, n1 });
    const sums = recordColumnProducts(
      ctx,
      { left, right, rows: batch * C * H, N: n / 2, n1, C, H, batch },
      CONVOLUTION,
    );
    ctx.release(left, right);
    recordInverseResidues(ctx, sums, { rows: batch * C * H, n, n1 }, store);
    ctx.release(sums);
  } else {
    // One inverse transform of length n/2 per output row reads the products of the spectra and
    // writes the first L samples.
    const U = recordRfft(ctx, u, batch * H, n, L);
    const K = recordRfft(ctx, rows, C * H, n);
    recordTransform(ctx, {
      rows: batch * C * H,
      n: n / 2,
      inverse: true,
      scale: 1 / n,
      from: { side: productsLoad(CONVOLUTION), arrays: [U, K], values: { C, H, batch } },
      to: store,
    });
    ctx.release(U, K);
  }
  ctx.release(rows);
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
    const { batch, H, L, C, n } = convolveSizes(input);
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
