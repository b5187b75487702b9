import { type ArrayOf, allocate, type DType, type RealArray } from './dtype';
import type { Complex } from './scalar';

/**
 * An array of complex numbers stored interleaved, `[re0, im0, re1, im1, …]`: the layout of
 * `torch.view_as_real`, of WGSL `array<vec2<f32>>` and of the official checkpoints.
 * A `Float64Array` holds complex128 values (c128), a `Float32Array` complex64 values (c64).
 * Its complex length is `array.length / 2`.
 */
export type ComplexArray = Float64Array | Float32Array;

/** Number of complex elements in an interleaved array. */
export function complexLength(a: ComplexArray): number {
  return a.length >> 1;
}

/** A zero-filled interleaved array of `n` complex elements. */
export function complexZeros<D extends DType>(n: number, dtype: D): ArrayOf<D> {
  return allocate(dtype, 2 * n);
}

/** Interleaves separate real and imaginary parts (`im` defaults to zeros). */
export function complexFromParts<D extends DType>(
  re: ArrayLike<number>,
  im: ArrayLike<number> | undefined,
  dtype: D,
): ArrayOf<D> {
  if (im !== undefined && im.length !== re.length) {
    throw new RangeError(`im must have the length of re (${re.length}); got ${im.length}`);
  }
  const out = allocate(dtype, 2 * re.length);
  for (let i = 0; i < re.length; i++) {
    out[2 * i] = re[i];
    out[2 * i + 1] = im === undefined ? 0 : im[i];
  }
  return out;
}

/** Packs complex scalars into an interleaved array. */
export function complexFromScalars<D extends DType>(values: readonly Complex[], dtype: D): ArrayOf<D> {
  const out = allocate(dtype, 2 * values.length);
  values.forEach((z, i) => {
    out[2 * i] = z.re;
    out[2 * i + 1] = z.im;
  });
  return out;
}

/** Reads element `i` as a scalar. */
export function getComplex(a: ComplexArray, i: number): Complex {
  return { re: a[2 * i], im: a[2 * i + 1] };
}

/** Writes the scalar `z` at element `i`. */
export function setComplex(a: ComplexArray, i: number, z: Complex): void {
  a[2 * i] = z.re;
  a[2 * i + 1] = z.im;
}

/** Copies out the real parts. */
export function realPart<A extends ComplexArray>(a: A): A {
  return strided(a, 0);
}

/** Copies out the imaginary parts. */
export function imagPart<A extends ComplexArray>(a: A): A {
  return strided(a, 1);
}

function strided<A extends RealArray>(a: A, offset: number): A {
  const n = a.length >> 1;
  const out = (a instanceof Float64Array ? new Float64Array(n) : new Float32Array(n)) as A;
  for (let i = 0; i < n; i++) out[i] = a[2 * i + offset];
  return out;
}

/**
 * A live, copy-free view of the real or imaginary parts of an interleaved array:
 * reads and writes go to the underlying storage.
 */
export interface PartView {
  readonly length: number;
  get(i: number): number;
  set(i: number, value: number): void;
}

/** A live view of the real parts of `a`. */
export function realView(a: ComplexArray): PartView {
  return partView(a, 0);
}

/** A live view of the imaginary parts of `a`. */
export function imagView(a: ComplexArray): PartView {
  return partView(a, 1);
}

function partView(a: ComplexArray, offset: number): PartView {
  return {
    length: a.length >> 1,
    get: (i) => a[2 * i + offset],
    set: (i, value) => {
      a[2 * i + offset] = value;
    },
  };
}
