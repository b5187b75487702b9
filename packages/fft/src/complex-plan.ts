import {
  type ArrayOf,
  allocate,
  allocateLike,
  assertComplexLength,
  assertOneOf,
  type ComplexArray,
  DTYPES,
  type DType,
} from '@statespace/complex';
import { assertDtype, assertSize, floatDtype } from './checks';
import { copyInto, scaleInPlace } from './io';
import { type ComplexKernel, complexKernel } from './kernel';
import { cached } from './plan-cache';

/**
 * A complex FFT of one length and precision, with its twiddles and scratch built once.
 * Arrays are interleaved complex (`[re0, im0, re1, im1, …]`) of the plan's precision; `output` may
 * be the input itself (in place). With `output` given, a call allocates nothing (float32 `…Rows`
 * calls make a view of each input row).
 */
export interface FftPlan<D extends DType = DType> {
  /** Transform length, in complex values. */
  readonly n: number;
  readonly dtype: D;
  /** X_k = Σ_j x_j e^{−2πi·jk/n} (unscaled). */
  forward(input: ArrayOf<D>, output?: ArrayOf<D>): ArrayOf<D>;
  /** x_j = (1/n) Σ_k X_k e^{+2πi·jk/n}. */
  inverse(input: ArrayOf<D>, output?: ArrayOf<D>): ArrayOf<D>;
  /** `forward` of each of `rows` contiguous rows of n complex values. */
  forwardRows(input: ArrayOf<D>, rows: number, output?: ArrayOf<D>): ArrayOf<D>;
  /** `inverse` of each of `rows` contiguous rows of n complex values. */
  inverseRows(input: ArrayOf<D>, rows: number, output?: ArrayOf<D>): ArrayOf<D>;
}

class ComplexPlan<D extends DType> implements FftPlan<D> {
  readonly n: number;
  readonly dtype: D;
  private readonly kernel: ComplexKernel;
  /** float64 staging of a float32 row, in and out. */
  private readonly stageIn: Float64Array;
  private readonly stageOut: Float64Array;

  constructor(n: number, dtype: D) {
    this.n = n;
    this.dtype = dtype;
    this.kernel = complexKernel(n);
    const stage = dtype === 'float32' ? 2 * n : 0;
    this.stageIn = new Float64Array(stage);
    this.stageOut = new Float64Array(stage);
  }

  forward(input: ArrayOf<D>, output?: ArrayOf<D>): ArrayOf<D> {
    return this.transform(input, 1, output, -1);
  }

  inverse(input: ArrayOf<D>, output?: ArrayOf<D>): ArrayOf<D> {
    return this.transform(input, 1, output, 1);
  }

  forwardRows(input: ArrayOf<D>, rows: number, output?: ArrayOf<D>): ArrayOf<D> {
    return this.transform(input, rows, output, -1);
  }

  inverseRows(input: ArrayOf<D>, rows: number, output?: ArrayOf<D>): ArrayOf<D> {
    return this.transform(input, rows, output, 1);
  }

  private transform(
    input: ArrayOf<D>,
    rows: number,
    output: ArrayOf<D> | undefined,
    sign: 1 | -1,
  ): ArrayOf<D> {
    const { n, dtype, kernel } = this;
    assertSize('rows', rows);
    assertDtype('input', input, dtype);
    assertComplexLength('input', input, rows * n);
    const out = output ?? allocate(dtype, 2 * rows * n);
    assertDtype('output', out, dtype);
    assertComplexLength('output', out, rows * n);
    const scale = sign === 1 ? 1 / n : 1;
    for (let r = 0; r < rows; r++) {
      const offset = 2 * n * r;
      if (dtype === 'float64') {
        kernel.run(input as Float64Array, offset, out as Float64Array, offset, sign);
        if (scale !== 1) scaleInPlace(out as Float64Array, offset, 2 * n, scale);
      } else {
        copyInto(input, offset, this.stageIn, 0, 2 * n);
        kernel.run(this.stageIn, 0, this.stageOut, 0, sign);
        if (scale !== 1) scaleInPlace(this.stageOut, 0, 2 * n, scale);
        copyInto(this.stageOut, 0, out, offset, 2 * n);
      }
    }
    return out;
  }
}

/**
 * The cached complex FFT plan for length `n` (any positive integer) and precision `dtype`:
 * calling it twice returns the same plan. Powers of two and lengths whose prime factors are small
 * use mixed-radix Stockham passes (radix 4, 2, 3, 5 and odd primes up to 61); other lengths use
 * Bluestein's algorithm over a fast inner length.
 */
export function fftPlan<D extends DType = 'float64'>(n: number, dtype: D = 'float64' as D): FftPlan<D> {
  assertSize('n', n);
  assertOneOf('dtype', dtype, DTYPES);
  return cached(`complex:${n}:${dtype}`, () => new ComplexPlan(n, dtype));
}

/** `x` cut or zero-padded to n complex values, as numpy's `n` argument (`x` itself if it fits). */
function resized<A extends ComplexArray>(x: A, n: number): A {
  if (x.length === 2 * n) return x;
  const out = allocateLike(x, 2 * n);
  out.set(x.length > 2 * n ? x.subarray(0, 2 * n) : x);
  return out;
}

function convenience<A extends ComplexArray>(arg: string, x: A, n: number | undefined, sign: 1 | -1): A {
  const dtype = floatDtype(arg, x);
  if (x.length % 2 !== 0) {
    throw new RangeError(
      `${arg} must hold interleaved complex values (an even count of numbers); got ${x.length}`,
    );
  }
  const size = n ?? x.length / 2;
  if (n === undefined && size === 0) {
    throw new RangeError(`${arg} must hold at least one complex value; got none`);
  }
  assertSize('n', size);
  const plan = fftPlan(size, dtype) as FftPlan<DType>;
  const input = resized(x, size);
  return (sign === -1 ? plan.forward(input) : plan.inverse(input)) as A;
}

/**
 * Forward DFT of an interleaved complex array, unscaled (numpy's `fft`). `n` (default: the complex
 * length of `x`) truncates or zero-pads the input to n values. The result has the precision of `x`.
 */
export function fft<A extends ComplexArray>(x: A, n?: number): A {
  return convenience('x', x, n, -1);
}

/**
 * Inverse DFT, scaled by 1/n (numpy's `ifft`). `n` (default: the complex length of `X`) truncates
 * or zero-pads the input to n values. The result has the precision of `X`.
 */
export function ifft<A extends ComplexArray>(X: A, n?: number): A {
  return convenience('X', X, n, 1);
}
