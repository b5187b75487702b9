import {
  allocateLike,
  assertFinite,
  assertLength,
  assertOneOf,
  type RealArray,
  sizeOf,
  type Tensor,
} from '@statespace/complex';
import { floatDtype } from './checks';
import { fastLength } from './factor';
import { copyInto } from './io';
import { realPlan } from './real';

/** Options of `causalConvDirect`. */
export interface CausalConvDirectOptions<A extends RealArray = RealArray> {
  /** Skip term, one value per channel (length H, same precision as `u`): adds D[h]·u[b, h, t]. */
  D?: A;
}

/** Options of `causalConv`. */
export interface CausalConvOptions<A extends RealArray = RealArray> extends CausalConvDirectOptions<A> {
  /**
   * `'auto'` (default) uses the direct sum when it is cheaper (very short sequences or kernels),
   * the FFT otherwise; `'fft'` and `'direct'` force one.
   */
  method?: 'auto' | 'fft' | 'direct';
}

const METHODS = ['auto', 'fft', 'direct'] as const;

interface Dims {
  B: number;
  H: number;
  L: number;
  Lk: number;
  /** Taps used: min(Lk, L). */
  K: number;
}

function check<A extends RealArray>(u: Tensor<A>, k: Tensor<A>, D: A | undefined): Dims {
  if (u.shape.length !== 3) throw new RangeError(`u must have shape [B, H, L]; got [${u.shape.join(', ')}]`);
  if (k.shape.length !== 2) throw new RangeError(`k must have shape [H, Lk]; got [${k.shape.join(', ')}]`);
  const [B, H, L] = u.shape;
  const [Hk, Lk] = k.shape;
  if (!(H >= 1 && L >= 1)) {
    throw new RangeError(`u must have H ≥ 1 channels and length L ≥ 1; got [${u.shape.join(', ')}]`);
  }
  if (Hk !== H) throw new RangeError(`k must have one row per channel of u (H = ${H}); got ${Hk} rows`);
  if (!(Lk >= 1)) throw new RangeError(`k must have at least one tap per channel; got Lk = ${Lk}`);
  const dtype = floatDtype('u.data', u.data);
  assertLength('u.data', u.data, sizeOf(u.shape));
  assertLength('k.data', k.data, sizeOf(k.shape));
  if (floatDtype('k.data', k.data) !== dtype) {
    throw new TypeError(
      `k.data must have the precision of u.data (${dtype}); got ${k.data.constructor.name}`,
    );
  }
  // a non-finite value would spread over the whole FFT output, earlier times included
  assertFinite('u.data', u.data);
  assertFinite('k.data', k.data);
  if (D !== undefined) {
    if (floatDtype('D', D) !== dtype) {
      throw new TypeError(`D must have the precision of u.data (${dtype}); got ${D.constructor.name}`);
    }
    assertLength('D', D, H);
    assertFinite('D', D);
  }
  return { B, H, L, Lk, K: Math.min(Lk, L) };
}

function output<A extends RealArray>(u: Tensor<A>): Tensor<A> {
  return { data: allocateLike(u.data, u.data.length), shape: [...u.shape] };
}

function direct<A extends RealArray>(u: A, k: A, D: A | undefined, dims: Dims, y: A): void {
  const { B, H, L, Lk, K } = dims;
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const row = (b * H + h) * L;
      const taps = h * Lk;
      const d = D === undefined ? 0 : D[h];
      for (let t = 0; t < L; t++) {
        let acc = d * u[row + t];
        const last = Math.min(t, K - 1);
        for (let s = 0; s <= last; s++) acc += k[taps + s] * u[row + t - s];
        y[row + t] = acc;
      }
    }
  }
}

/**
 * Causal convolution by the direct O(L·Lk) sum: y[b, h, t] = Σ_{s ≤ t} k[h, s]·u[b, h, t − s]
 * + D[h]·u[b, h, t], accumulated in double precision. `u` is [B, H, L], `k` is [H, Lk] (a kernel
 * shorter than L is zero-extended, a longer one uses its first L taps), `D` has length H. The
 * result is [B, H, L] in the precision of `u`; `k` and `D` must have the same precision.
 */
export function causalConvDirect<A extends RealArray>(
  u: Tensor<A>,
  k: Tensor<A>,
  options: CausalConvDirectOptions<A> = {},
): Tensor<A> {
  const dims = check(u, k, options.D);
  const y = output(u);
  direct(u.data, k.data, options.D, dims, y.data);
  return y;
}

/** The FFT length for a causal convolution: even (for the real FFT) with a fast half length. */
function convLength(L: number, K: number): number {
  return 2 * fastLength(Math.ceil((L + K - 1) / 2));
}

/**
 * Whether the direct sum is estimated to be cheaper than the FFT, per row, in nanoseconds as
 * measured on the benchmark machine: about 1.5 per multiply-add plus 10 per output for the direct
 * sum, about N·log2 N plus 500 for the forward and inverse real FFTs of length N.
 */
function preferDirect(L: number, K: number): boolean {
  const n = convLength(L, K);
  const direct = 1.5 * (L * K - (K * (K - 1)) / 2) + 10 * L;
  return direct < n * Math.log2(n) + 500;
}

/**
 * Causal convolution of a batch of signals with one kernel per channel, by FFT:
 * y = irfft(rfft(u, N)·rfft(k, N), N)[:L] + D·u with N ≥ L + Lk − 1, as the official S4 FFTConv.
 * `u` is [B, H, L], `k` is [H, Lk] (a kernel shorter than L is zero-extended, a longer one uses its
 * first L taps), `D` (optional) has length H. Each kernel's spectrum is computed once and reused for
 * every batch element; the transforms run in double precision and the result, [B, H, L], has the
 * precision of `u` (`k` and `D` must match it). With `method: 'auto'` (default) very short
 * sequences or kernels use the direct sum instead.
 */
export function causalConv<A extends RealArray>(
  u: Tensor<A>,
  k: Tensor<A>,
  options: CausalConvOptions<A> = {},
): Tensor<A> {
  const { D, method = 'auto' } = options;
  assertOneOf('method', method, METHODS);
  const dims = check(u, k, D);
  const { B, H, L, Lk, K } = dims;
  const y = output(u);
  if (method === 'direct' || (method === 'auto' && preferDirect(L, K))) {
    direct(u.data, k.data, D, dims, y.data);
    return y;
  }
  const n = convLength(L, K);
  const plan = realPlan(n, 'float64');
  const bins = plan.bins;
  // samples beyond L (beyond K for the kernels) stay zero: the padding of the linear convolution
  const padded = new Float64Array(n);
  const spectra = new Float64Array(2 * bins * H);
  for (let h = 0; h < H; h++) {
    copyInto(k.data, h * Lk, padded, 0, K);
    // the skip term D·u is the convolution with D·δ: fold it into the first tap
    if (D !== undefined) padded[0] += D[h];
    plan.forwardAt(padded, 0, spectra, 2 * bins * h);
  }
  const spectrum = new Float64Array(2 * bins);
  const result = new Float64Array(n);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const row = (b * H + h) * L;
      copyInto(u.data, row, padded, 0, L);
      plan.forwardAt(padded, 0, spectrum, 0);
      multiply(spectrum, spectra, 2 * bins * h);
      plan.inverseAt(spectrum, 0, result, 0);
      copyInto(result, 0, y.data, row, L);
    }
  }
  return y;
}

/** spectrum ← spectrum · kernel[offset…], elementwise complex. */
function multiply(spectrum: Float64Array, kernel: Float64Array, offset: number): void {
  for (let i = 0; i < spectrum.length; i += 2) {
    const ar = spectrum[i];
    const ai = spectrum[i + 1];
    const br = kernel[offset + i];
    const bi = kernel[offset + i + 1];
    spectrum[i] = ar * br - ai * bi;
    spectrum[i + 1] = ar * bi + ai * br;
  }
}
