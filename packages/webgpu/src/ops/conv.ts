import { assertFinite, type RealArray, type Tensor } from '@statespace/complex';
import type { ConvolveInput } from '@statespace/kernels';
import type { GpuArray } from '../gpu-context';
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
 * D[c, h]·u[b, h, t] (when \`skip\` is 1).
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

/** Sizes of a convolution. */
interface ConvShape {
  batch: number;
  C: number;
  H: number;
  L: number;
  taps: number;
  n: number;
}

/** Validates shapes and values as the CPU `convolve` does, naming the argument. */
function checkConvolve({ u, k, D, kReverse }: ConvolveInput): ConvShape {
  if (u.shape.length !== 3) throw new RangeError(`u must have shape [batch, H, L]; got [${u.shape.join(', ')}]`);
  const [batch, H, L] = u.shape;
  if (L < 1) throw new RangeError(`u must have L ≥ 1; got shape [${u.shape.join(', ')}]`);
  checkKernel('k', k, H);
  if (kReverse) {
    checkKernel('kReverse', kReverse, H);
    if (kReverse.shape[0] !== k.shape[0] || kReverse.shape[2] !== k.shape[2]) {
      throw new RangeError(
        `kReverse must have the shape of k [${k.shape.join(', ')}]; got [${kReverse.shape.join(', ')}]`,
      );
    }
  }
  const C = k.shape[0];
  if (D && (D.shape.length !== 2 || D.shape[0] !== C || D.shape[1] !== H)) {
    throw new RangeError(`D must have shape [${C}, ${H}] (channels, H); got [${D.shape.join(', ')}]`);
  }
  const taps = Math.min(k.shape[2], L);
  const n = convolutionLength(L, taps, kReverse !== undefined);
  return { batch, C, H, L, taps, n };
}

function checkKernel(name: string, k: Tensor<RealArray>, H: number) {
  if (k.shape.length !== 3 || k.shape[1] !== H || k.shape[2] < 1) {
    throw new RangeError(`${name} must have shape [channels, ${H}, Lk] with Lk ≥ 1; got [${k.shape.join(', ')}]`);
  }
}

/**
 * `convolve` of the backend: u [batch, H, L], k and kReverse [C, H, Lk], D [C, H] →
 * y [batch, C, H, L], with the official bidirectional off-by-one (see {@link ConvolveInput}).
 */
export const convolveOp: GpuOp<ConvolveInput, { out: Tensor }> = {
  async run(ctx, input) {
    const { batch, C, H, L, taps, n } = checkConvolve(input);
    const { u, k, D, kReverse } = input;
    // A non-finite value would spread through the whole transform, past inputs included.
    assertFinite('u', u.data);
    assertFinite('k', k.data);
    if (kReverse) assertFinite('kReverse', kReverse.data);
    if (D) assertFinite('D', D.data);
    const shape = [batch, C, H, L];
    if (batch * C * H === 0) return { out: { data: new Float32Array(0), shape } };

    const arrays: GpuArray[] = [];
    const keep = <A extends GpuArray>(a: A) => (arrays.push(a), a);
    const uploaded = keep(ctx.upload(u.data as Float32Array));
    const kernels = keep(ctx.upload(k.data as Float32Array));
    const reverse = kReverse ? keep(ctx.upload(kReverse.data as Float32Array)) : kernels;
    const skip = D ? keep(ctx.upload(D.data as Float32Array)) : uploaded;

    const U = keep(recordRfft(ctx, uploaded, batch * H, n, L));
    const kernelRowsArray = keep(ctx.allocate(4 * C * H * n));
    kernelRows(ctx, [kernels, reverse, kernelRowsArray], C * H * n, {
      width: k.shape[2],
      taps,
      n,
      reverse: kReverse ? 1 : 0,
    });
    const K = keep(recordRfft(ctx, kernelRowsArray, C * H, n));
    // One inverse transform of length n/2 per output row reads the products of the spectra and
    // writes the first L samples with the skip term.
    const out = keep(ctx.allocate(4 * batch * C * H * L));
    recordTransform(ctx, {
      rows: batch * C * H,
      n: n / 2,
      inverse: true,
      scale: 1 / n,
      from: { side: productLoad, arrays: [U, K], values: { C, H } },
      to: { side: skipStore, arrays: [out, uploaded, skip], values: { C, H, L, skip: D ? 1 : 0 } },
    });
    const data = await ctx.read(out);
    ctx.release(...arrays);
    return { out: { data, shape } };
  },
  largestBuffer(input) {
    const { batch, C, H, L, n } = checkConvolve(input);
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
