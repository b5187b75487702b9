import type { Tensor } from '@statespace/complex';
import {
  type ConvolveGrads,
  type ConvolveInput,
  checkConvolveVjp,
  convolveVjpShapes,
  type WithGrad,
} from '@statespace/kernels';
import type { GpuArray, GpuContext } from '../gpu-context';
import {
  type ConvolveArrays,
  convolutionLength,
  convolveSizes,
  kernelRows,
  productsLoad,
  type RowPairing,
  samplesStore,
} from './conv';
import {
  columnResidues,
  recordColumnProducts,
  recordInverseResidues,
  recordRealResidues,
} from './conv-columns';
import { realFftBytes, recordRfft, recordTransform } from './fft';
import type { FftSide } from './fft-io';
import type { GpuOp } from './op';

// The VJP of the batched convolution (`convolveVjp` of @statespace/kernels) on the GPU. The
// forward is a circular convolution of length n of the zero-padded input row (b, h) with the
// kernel row (c, h) = [k, 0…, kReverse reversed], cut to L samples; its adjoints are circular
// correlations with the zero-padded gradient rows g (b, c, h), computed from the spectra G, U and
// K of the forward's transforms and one inverse transform per output row, the products summed in
// the transform's loads (the pairings below), the skip term in the kernel rows (D at lag 0):
//
//   ∂ℓ/∂u[b,h] = irfft(Σ_c conj(K[c,h])·G[b,c,h]) (= … + Σ_c D[c,h]·g[b,c,h]),
//   ∂ℓ/∂row[c,h] = irfft(Σ_b conj(U[b,h])·G[b,c,h]): k its lags 0…taps−1, kReverse its lags
//   −1…−taps, and D its lag 0 (D multiplies u[t] as k[0] does).

/** ∂ℓ/∂u: output row (b, h) sums conj(K[c, h])·G[b, c, h] over the channels. */
const INPUT_GRADIENT: RowPairing = {
  key: 'conv-vjp-u',
  terms: 'P.C',
  left: '((row / P.H) * P.C + j) * P.H + row % P.H',
  right: 'j * P.H + row % P.H',
  conjugate: true,
};

/** ∂ℓ/∂(kernel row): output row (c, h) sums conj(U[b, h])·G[b, c, h] over the batch. */
const KERNEL_GRADIENT: RowPairing = {
  key: 'conv-vjp-k',
  terms: 'P.batch',
  left: '(j * P.C + row / P.H) * P.H + row % P.H',
  right: 'j * P.H + row % P.H',
  conjugate: true,
};

/**
 * Writes the samples 2c and 2c + 1 of the gradient of kernel row `row` (2n reals) where the kernel
 * bank has taps: k's at lags t < taps, kReverse's at n − d for d ≤ taps (when `reverse` is 1), and
 * D's at lag 0 (when `skip` is 1). Rows of k and kReverse are `width` long.
 */
const kernelGradientStore: FftSide = {
  key: 'conv-vjp-kernel',
  bindings: [
    ['gk', 'f32', 'read_write'],
    ['gkReverse', 'f32', 'read_write'],
    ['gD', 'f32', 'read_write'],
  ],
  fields: ['taps', 'width', 'reverse', 'skip'],
  wgsl: /* wgsl */ `
fn store(row: u32, c: u32, v: vec2<f32>) {
  let size = 2u * P.n;
  for (var e = 0u; e < 2u; e++) {
    let t = 2u * c + e;
    let x = select(v.x, v.y, e == 1u);
    if (t < P.taps) {
      gk[row * P.width + t] = x;
    }
    if (P.reverse != 0u && t > 0u && size - t <= P.taps) {
      gkReverse[row * P.width + size - t - 1u] = x;
    }
    if (t == 0u && P.skip != 0u) {
      gD[row] = x;
    }
  }
}`,
};

/** The gradients of a GPU convolution, GPU-resident (D and kReverse when the forward had them). */
export interface ConvolveGradArrays {
  u: GpuArray;
  k: GpuArray;
  D?: GpuArray;
  kReverse?: GpuArray;
}

/**
 * Records the VJP of `recordConvolve`'s convolution: given the forward's arrays and `grad`
 * = ∂ℓ/∂y (batch × channels × H × L f32), returns new arrays ∂ℓ/∂u (batch × H × L), ∂ℓ/∂k and
 * ∂ℓ/∂kReverse (channels × H × taps, zero beyond L) and ∂ℓ/∂D (channels × H), owned by the caller.
 */
export function recordConvolveVjp(
  ctx: GpuContext,
  spec: ConvolveArrays & { grad: GpuArray },
): ConvolveGradArrays {
  const { u, k, D, grad, batch, channels: C, H, L, bidirectional } = spec;
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
  const values = { C, H, batch };
  const gu = ctx.allocate(4 * batch * H * L);
  // Taps beyond L get no gradient; unused outputs are bound to scratch (writable bindings must not alias).
  const kernelBytes = 4 * C * H * spec.taps;
  const gk = ctx.zeros(kernelBytes);
  const gkReverse = bidirectional ? ctx.zeros(kernelBytes) : ctx.allocate(4);
  const gD = D ? ctx.allocate(4 * C * H) : ctx.allocate(4);
  const inputStore = { side: samplesStore, arrays: [gu], values: { L } };
  const kernelStore = {
    side: kernelGradientStore,
    arrays: [gk, gkReverse, gD],
    values: { taps, width: spec.taps, reverse: bidirectional ? 1 : 0, skip: D ? 1 : 0 },
  };
  const n1 = columnResidues(ctx, n);
  if (n1) {
    // Long rows: residue transforms and one pass per frequency, as the forward (conv-columns.ts).
    const U = recordRealResidues(ctx, u, { rows: batch * H, width: L, n, n1 });
    const G = recordRealResidues(ctx, grad, { rows: batch * C * H, width: L, n, n1 });
    const K = recordRealResidues(ctx, rows, { rows: C * H, width: n, n, n1 });
    const sizes = { N: n / 2, n1, ...values };
    const inputSums = recordColumnProducts(
      ctx,
      { left: G, right: K, rows: batch * H, ...sizes },
      INPUT_GRADIENT,
    );
    recordInverseResidues(ctx, inputSums, { rows: batch * H, n, n1 }, inputStore);
    const kernelSums = recordColumnProducts(
      ctx,
      { left: G, right: U, rows: C * H, ...sizes },
      KERNEL_GRADIENT,
    );
    recordInverseResidues(ctx, kernelSums, { rows: C * H, n, n1 }, kernelStore);
    ctx.release(U, G, K, inputSums, kernelSums);
  } else {
    const U = recordRfft(ctx, u, batch * H, n, L);
    const G = recordRfft(ctx, grad, batch * C * H, n, L);
    const K = recordRfft(ctx, rows, C * H, n);
    const inverse = { n: n / 2, inverse: true, scale: 1 / n };
    recordTransform(ctx, {
      ...inverse,
      rows: batch * H,
      from: { side: productsLoad(INPUT_GRADIENT), arrays: [G, K], values },
      to: inputStore,
    });
    recordTransform(ctx, {
      ...inverse,
      rows: C * H,
      from: { side: productsLoad(KERNEL_GRADIENT), arrays: [G, U], values },
      to: kernelStore,
    });
    ctx.release(U, G, K);
  }
  ctx.release(rows);
  if (!bidirectional) ctx.release(gkReverse);
  if (!D) ctx.release(gD);
  return { u: gu, k: gk, ...(D ? { D: gD } : {}), ...(bidirectional ? { kReverse: gkReverse } : {}) };
}

/**
 * `convolveVjp` of the backend: the forward's u [batch, H, L], k and kReverse [C, H, Lk], D [C, H]
 * and grad = ∂ℓ/∂y [batch, C, H, L] → the gradients of u, k, D and kReverse (float32), with one
 * read-back per gradient.
 */
export const convolveVjpOp: GpuOp<WithGrad<ConvolveInput>, ConvolveGrads> = {
  async run(ctx, input) {
    const [batch, H, L] = checkConvolveVjp(input, input.grad);
    const { u, k, D, kReverse, grad } = input;
    const shapes = convolveVjpShapes(input);
    const C = k.shape[0];
    if (batch * C * H === 0) {
      const empty: Record<string, Tensor> = {};
      for (const [key, shape] of Object.entries(shapes)) {
        empty[key] = { data: new Float32Array(shape.reduce((a, b) => a * b, 1)), shape };
      }
      return empty as unknown as ConvolveGrads;
    }
    const inputs = {
      u: ctx.upload(u.data as Float32Array),
      k: ctx.upload(k.data as Float32Array),
      D: D && ctx.upload(D.data as Float32Array),
      kReverse: kReverse && ctx.upload(kReverse.data as Float32Array),
      grad: ctx.upload(grad.data as Float32Array),
    };
    const arrays = recordConvolveVjp(ctx, {
      ...inputs,
      batch,
      channels: C,
      H,
      L,
      taps: k.shape[2],
      bidirectional: kReverse !== undefined,
    });
    ctx.release(...Object.values(inputs).filter((a) => a !== undefined));
    const result: Record<string, Tensor> = {};
    for (const [key, shape] of Object.entries(shapes)) {
      const array = arrays[key as keyof ConvolveGradArrays] as GpuArray;
      result[key] = { data: await ctx.read(array), shape };
      ctx.release(array);
    }
    return result as unknown as ConvolveGrads;
  },
  largestBuffer(input) {
    // Sizes only (malformed input is rejected by `run`, with the argument named).
    const { batch, H, C, n } = convolveSizes(input);
    return Math.max(
      4 * input.grad.data.length,
      4 * input.k.data.length,
      realFftBytes(batch * C * H, n),
      realFftBytes(C * H, n),
      // The intermediates of the inverse transforms (two-level transforms).
      8 * Math.max(batch, C) * H * (n / 2),
    );
  },
};
