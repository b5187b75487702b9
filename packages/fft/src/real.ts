import {
  type ArrayOf,
  allocate,
  assertComplexLength,
  assertInteger,
  assertLength,
  assertOneOf,
  type ComplexArray,
  DTYPES,
  type DType,
  type RealArray,
} from '@statespace/complex';
import { assertDtype, assertSize, floatDtype } from './checks';
import { complexToReal, copyInto, realToComplex } from './io';
import { type ComplexKernel, complexKernel } from './kernel';
import { cached } from './plan-cache';

/**
 * A real FFT of one length and precision: n real samples ↔ the n/2 + 1 (⌊n/2⌋ + 1) non-negative
 * frequency bins of their spectrum, interleaved complex. With `output` given, a call allocates
 * nothing (float32 `…Rows` calls make a view of each input row).
 */
export interface RfftPlan<D extends DType = DType> {
  /** Number of real samples. */
  readonly n: number;
  /** Number of complex bins, ⌊n/2⌋ + 1. */
  readonly bins: number;
  readonly dtype: D;
  /** The first `bins` values of the unscaled DFT of n reals (numpy's `rfft`). */
  forward(input: ArrayOf<D>, output?: ArrayOf<D>): ArrayOf<D>;
  /**
   * The n real samples whose spectrum has these `bins` values, scaled by 1/n (numpy's `irfft`).
   * The imaginary parts of bin 0 and, for even n, of bin n/2 are ignored, as numpy does.
   */
  inverse(input: ArrayOf<D>, output?: ArrayOf<D>): ArrayOf<D>;
  /**
   * `forward` of each of `rows` contiguous rows of `length` reals (default n), each zero-padded to
   * n samples (numpy's `rfft(x, n)`). A `length` of at most n/2 — the signals of a linear
   * convolution — lets the transform skip the zero half where its first pass allows it.
   */
  forwardRows(input: ArrayOf<D>, rows: number, output?: ArrayOf<D>, length?: number): ArrayOf<D>;
  /**
   * `inverse` of each of `rows` contiguous rows of `bins` complex values, keeping the first
   * `length` of the n samples (default n) in rows of `length` reals. A `length` of at most n/2 — the
   * result of a linear convolution — lets the transform skip computing the other half where its
   * last pass allows it.
   */
  inverseRows(input: ArrayOf<D>, rows: number, output?: ArrayOf<D>, length?: number): ArrayOf<D>;
}

/**
 * Even n: n reals are read as n/2 complex values z_j = x_{2j} + i·x_{2j+1} (the same memory), one
 * complex FFT of n/2 gives Z, and X_k = E_k + e^{−2πik/n}·O_k with E_k = (Z_k + conj Z_{n/2−k})/2 and
 * O_k = (Z_k − conj Z_{n/2−k})/2i, the spectra of the even and odd samples. The inverse runs the
 * same steps backwards. Odd n goes through a complex FFT of length n. Rows shorter than n are
 * staged zero-padded, and the complex FFT is told how much of its input is zero and how much of
 * its output is kept.
 */
export class RealPlan<D extends DType> implements RfftPlan<D> {
  readonly n: number;
  readonly bins: number;
  readonly dtype: D;
  private readonly kernel: ComplexKernel;
  /** Even n: (cos, sin)(2πk/n) for k ≤ n/4. */
  private readonly twiddles: Float64Array;
  /** Even n: the half-length spectrum Z; odd n: the full complex spectrum. */
  private readonly spectrum: Float64Array;
  /** Odd n: the first `bins` values of `spectrum`, the forward result. */
  private readonly head: Float64Array;
  /**
   * Staging in float64: n samples (even n: float32 data, rows shorter than n zero-padded, inverses
   * kept in part), or n complex values (odd n).
   */
  private readonly samples: Float64Array;
  /** Even n: where the zeros at the end of `samples` begin (the padding of short rows). */
  private padFrom = 0;
  /** Staging in float64 of float32 bins (even n). */
  private readonly stageBins: Float64Array;

  constructor(n: number, dtype: D) {
    this.n = n;
    this.bins = (n >> 1) + 1;
    this.dtype = dtype;
    const even = n % 2 === 0;
    this.kernel = complexKernel(even ? n / 2 : n);
    const quarter = even ? (n >> 2) + 1 : 0;
    this.twiddles = new Float64Array(2 * quarter);
    for (let k = 0; k < quarter; k++) {
      this.twiddles[2 * k] = Math.cos((2 * Math.PI * k) / n);
      this.twiddles[2 * k + 1] = Math.sin((2 * Math.PI * k) / n);
    }
    this.spectrum = new Float64Array(even ? n : 2 * n);
    this.head = this.spectrum.subarray(0, even ? 0 : 2 * this.bins);
    const float32 = dtype === 'float32';
    this.samples = new Float64Array(even ? n : 2 * n);
    this.stageBins = new Float64Array(even && float32 ? 2 * this.bins : 0);
  }

  forward(input: ArrayOf<D>, output?: ArrayOf<D>): ArrayOf<D> {
    return this.forwardRows(input, 1, output);
  }

  inverse(input: ArrayOf<D>, output?: ArrayOf<D>): ArrayOf<D> {
    return this.inverseRows(input, 1, output);
  }

  forwardRows(input: ArrayOf<D>, rows: number, output?: ArrayOf<D>, length = this.n): ArrayOf<D> {
    const { bins, dtype } = this;
    assertSize('rows', rows);
    this.assertRowLength(length);
    assertDtype('input', input, dtype);
    assertLength('input', input, rows * length, 'real values');
    const out = output ?? allocate(dtype, 2 * rows * bins);
    assertDtype('output', out, dtype);
    assertComplexLength('output', out, rows * bins);
    for (let r = 0; r < rows; r++) this.forwardAt(input, r * length, out, 2 * r * bins, length);
    return out;
  }

  inverseRows(input: ArrayOf<D>, rows: number, output?: ArrayOf<D>, length = this.n): ArrayOf<D> {
    const { bins, dtype } = this;
    assertSize('rows', rows);
    this.assertRowLength(length);
    assertDtype('input', input, dtype);
    assertComplexLength('input', input, rows * bins);
    const out = output ?? allocate(dtype, rows * length);
    assertDtype('output', out, dtype);
    assertLength('output', out, rows * length, 'real values');
    for (let r = 0; r < rows; r++) this.inverseAt(input, 2 * r * bins, out, r * length, length);
    return out;
  }

  /**
   * Forward transform of the `length` reals (default n) at `input[inOffset…]`, zero-padded to n,
   * into the bins at `output[outOffset…]`, unchecked.
   */
  forwardAt(input: RealArray, inOffset: number, output: RealArray, outOffset: number, length = this.n): void {
    const { n, kernel, spectrum, samples } = this;
    if (n % 2 === 1) {
      realToComplex(input, inOffset, samples, length);
      samples.fill(0, 2 * length);
      kernel.run(samples, 0, spectrum, 0, -1, length);
      copyInto(this.head, 0, output, outOffset, 2 * this.bins);
      return;
    }
    const direct = length === n && input instanceof Float64Array;
    if (!direct) this.stagePadded(input, inOffset, length);
    // n/2 complex values z_j = x_2j + i·x_2j+1, of which the first ⌈length/2⌉ may be nonzero
    const nonzero = (length + 1) >> 1;
    kernel.run(direct ? input : samples, direct ? inOffset : 0, spectrum, 0, -1, nonzero);
    if (output instanceof Float64Array) {
      this.splitSpectrum(output, outOffset);
    } else {
      this.splitSpectrum(this.stageBins, 0);
      copyInto(this.stageBins, 0, output, outOffset, 2 * this.bins);
    }
  }

  /**
   * Inverse transform of the bins at `input[inOffset…]` into the first `length` (default n) of the
   * n reals, at `output[outOffset…]`, unchecked.
   */
  inverseAt(input: RealArray, inOffset: number, output: RealArray, outOffset: number, length = this.n): void {
    const { n, kernel, spectrum, samples } = this;
    if (n % 2 === 1) {
      this.hermitianExtend(input, inOffset);
      kernel.run(spectrum, 0, samples, 0, 1, n, length);
      complexToReal(samples, output, outOffset, length, 1 / n);
      return;
    }
    if (input instanceof Float64Array) {
      this.mergeSpectrum(input, inOffset);
    } else {
      copyInto(input, inOffset, this.stageBins, 0, 2 * this.bins);
      this.mergeSpectrum(this.stageBins, 0);
    }
    if (length === n && output instanceof Float64Array) {
      kernel.run(spectrum, 0, output, outOffset, 1);
    } else {
      kernel.run(spectrum, 0, samples, 0, 1, n >> 1, (length + 1) >> 1);
      this.padFrom = n;
      copyInto(samples, 0, output, outOffset, length);
    }
  }

  /** Even n: the `length` reals at `input[inOffset…]` into `samples`, zero from `length` to n. */
  private stagePadded(input: RealArray, inOffset: number, length: number): void {
    const { samples } = this;
    copyInto(input, inOffset, samples, 0, length);
    // Only the entries a longer row left behind need zeroing.
    if (this.padFrom > length) samples.fill(0, length, this.padFrom);
    this.padFrom = length;
  }

  private assertRowLength(length: number): void {
    assertInteger('length', length, 1);
    if (length > this.n) {
      throw new RangeError(`length must be ≤ n = ${this.n} (samples per row); got ${length}`);
    }
  }

  /** X_k from the half-length spectrum Z, pairing k with n/2 − k. */
  private splitSpectrum(out: Float64Array, o: number): void {
    const { spectrum: z, twiddles: w } = this;
    const h = this.n >> 1;
    const z0r = z[0];
    const z0i = z[1];
    out[o] = z0r + z0i;
    out[o + 1] = 0;
    out[o + 2 * h] = z0r - z0i;
    out[o + 2 * h + 1] = 0;
    for (let k = 1; 2 * k <= h; k++) {
      const j = h - k;
      const zkr = z[2 * k];
      const zki = z[2 * k + 1];
      const zjr = z[2 * j];
      const zji = z[2 * j + 1];
      // E = (z_k + conj z_j)/2, O = (z_k − conj z_j)/2i
      const er = 0.5 * (zkr + zjr);
      const ei = 0.5 * (zki - zji);
      const or = 0.5 * (zki + zji);
      const oi = 0.5 * (zjr - zkr);
      // t = e^{−2πik/n}·O; X_k = E + t, X_{h−k} = conj(E − t)
      const c = w[2 * k];
      const s = w[2 * k + 1];
      const tr = or * c + oi * s;
      const ti = oi * c - or * s;
      out[o + 2 * k] = er + tr;
      out[o + 2 * k + 1] = ei + ti;
      out[o + 2 * j] = er - tr;
      out[o + 2 * j + 1] = ti - ei;
    }
  }

  /** The half-length spectrum Z (scaled by 1/n) whose inverse FFT interleaves the n samples. */
  private mergeSpectrum(x: Float64Array, o: number): void {
    const { spectrum: z, twiddles: w, n } = this;
    const h = n >> 1;
    const scale = 1 / n;
    // bins 0 and h are real for a real signal: their imaginary parts are ignored
    const x0 = x[o];
    const xh = x[o + 2 * h];
    z[0] = scale * (x0 + xh);
    z[1] = scale * (x0 - xh);
    for (let k = 1; 2 * k <= h; k++) {
      const j = h - k;
      const xkr = x[o + 2 * k];
      const xki = x[o + 2 * k + 1];
      const xjr = x[o + 2 * j];
      const xji = x[o + 2 * j + 1];
      // F = X_k + conj X_j, G = X_k − conj X_j, t = i·e^{2πik/n}·G; Z_k = F + t, Z_j = conj(F − t)
      const fr = xkr + xjr;
      const fi = xki - xji;
      const gr = xkr - xjr;
      const gi = xki + xji;
      const c = w[2 * k];
      const s = w[2 * k + 1];
      const tr = -(c * gi + s * gr);
      const ti = c * gr - s * gi;
      z[2 * k] = scale * (fr + tr);
      z[2 * k + 1] = scale * (fi + ti);
      z[2 * j] = scale * (fr - tr);
      z[2 * j + 1] = scale * (ti - fi);
    }
  }

  /** Odd n: the full Hermitian spectrum from the ⌊n/2⌋ + 1 bins (Im X_0 ignored). */
  private hermitianExtend(x: RealArray, o: number): void {
    const { spectrum: z, n } = this;
    z[0] = x[o];
    z[1] = 0;
    for (let k = 1; k < this.bins; k++) {
      const re = x[o + 2 * k];
      const im = x[o + 2 * k + 1];
      z[2 * k] = re;
      z[2 * k + 1] = im;
      z[2 * (n - k)] = re;
      z[2 * (n - k) + 1] = -im;
    }
  }
}

/** The cached real FFT plan for n samples (any positive integer) and precision `dtype`. */
export function rfftPlan<D extends DType = 'float64'>(n: number, dtype: D = 'float64' as D): RfftPlan<D> {
  return realPlan(n, dtype);
}

/** `rfftPlan` with the unchecked offset methods, for this package's convolution. */
export function realPlan<D extends DType>(n: number, dtype: D): RealPlan<D> {
  assertSize('n', n);
  assertOneOf('dtype', dtype, DTYPES);
  return cached(`real:${n}:${dtype}`, () => new RealPlan(n, dtype));
}

/**
 * The unscaled DFT of real samples, non-negative frequencies only (numpy's `rfft`): ⌊n/2⌋ + 1
 * interleaved complex bins. `n` (default `x.length`) truncates or zero-pads the input to n samples.
 * The result has the precision of `x`.
 */
export function rfft<A extends RealArray>(x: A, n?: number): A {
  const dtype = floatDtype('x', x);
  const size = n ?? x.length;
  if (n === undefined && size === 0) throw new RangeError('x must hold at least one value; got none');
  assertSize('n', size);
  let input = x;
  if (x.length !== size) {
    input = allocate(dtype, size) as A;
    input.set(x.length > size ? x.subarray(0, size) : x);
  }
  return realPlan(size, dtype).forward(input) as A;
}

/**
 * The n real samples whose non-negative-frequency spectrum is `X`, scaled by 1/n (numpy's
 * `irfft`). It uses the first ⌊n/2⌋ + 1 bins of `X`, zero-padding if it has fewer; `n` defaults
 * to 2·(bins − 1). The result has the precision of `X`.
 */
export function irfft<A extends ComplexArray>(X: A, n?: number): A {
  const dtype = floatDtype('X', X);
  if (X.length % 2 !== 0) {
    throw new RangeError(
      `X must hold interleaved complex values (an even count of numbers); got ${X.length}`,
    );
  }
  const given = X.length / 2;
  if (n === undefined && given < 2) {
    throw new RangeError(`X must hold at least 2 bins when n is not given (n = 2·(bins − 1)); got ${given}`);
  }
  const size = n ?? 2 * (given - 1);
  assertSize('n', size);
  const bins = (size >> 1) + 1;
  let input = X;
  if (given !== bins) {
    input = allocate(dtype, 2 * bins) as A;
    input.set(given > bins ? X.subarray(0, 2 * bins) : X);
  }
  return realPlan(size, dtype).inverse(input) as A;
}
