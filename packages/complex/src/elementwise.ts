import type { ComplexArray } from './array';
import { allocateLike, type RealArray } from './dtype';
import type { Complex } from './scalar';

// Elementwise operations on interleaved complex arrays. Every function takes an optional `out`
// (which may alias an input) so hot loops can run without allocating.

function target<A extends ComplexArray>(name: string, like: A, out: A | undefined, length = like.length): A {
  if (out === undefined) return allocateLike(like, length);
  if (out.length !== length) {
    throw new RangeError(`${name}: out must hold ${length / 2} complex values; got ${out.length / 2}`);
  }
  return out;
}

function sameLength(name: string, a: ComplexArray, b: ComplexArray): void {
  if (a.length !== b.length) {
    throw new RangeError(
      `${name}: a and b must have the same length; got ${a.length / 2} and ${b.length / 2}`,
    );
  }
}

/** a + b. */
export function add<A extends ComplexArray>(a: A, b: ComplexArray, out?: A): A {
  sameLength('add', a, b);
  const o = target('add', a, out);
  for (let i = 0; i < a.length; i++) o[i] = a[i] + b[i];
  return o;
}

/** a − b. */
export function sub<A extends ComplexArray>(a: A, b: ComplexArray, out?: A): A {
  sameLength('sub', a, b);
  const o = target('sub', a, out);
  for (let i = 0; i < a.length; i++) o[i] = a[i] - b[i];
  return o;
}

/** a · b. */
export function mul<A extends ComplexArray>(a: A, b: ComplexArray, out?: A): A {
  sameLength('mul', a, b);
  const o = target('mul', a, out);
  for (let i = 0; i < a.length; i += 2) {
    const ar = a[i];
    const ai = a[i + 1];
    const br = b[i];
    const bi = b[i + 1];
    o[i] = ar * br - ai * bi;
    o[i + 1] = ar * bi + ai * br;
  }
  return o;
}

/** a / b (Smith's algorithm, no overflow in |b|²). */
export function div<A extends ComplexArray>(a: A, b: ComplexArray, out?: A): A {
  sameLength('div', a, b);
  const o = target('div', a, out);
  for (let i = 0; i < a.length; i += 2) {
    const ar = a[i];
    const ai = a[i + 1];
    const br = b[i];
    const bi = b[i + 1];
    if (Math.abs(br) >= Math.abs(bi)) {
      const ratio = bi / br;
      const denom = br + bi * ratio;
      o[i] = (ar + ai * ratio) / denom;
      o[i + 1] = (ai - ar * ratio) / denom;
    } else {
      const ratio = br / bi;
      const denom = br * ratio + bi;
      o[i] = (ar * ratio + ai) / denom;
      o[i + 1] = (ai * ratio - ar) / denom;
    }
  }
  return o;
}

/** a · b + c, fused into one pass. */
export function fma<A extends ComplexArray>(a: A, b: ComplexArray, c: ComplexArray, out?: A): A {
  sameLength('fma', a, b);
  sameLength('fma', a, c);
  const o = target('fma', a, out);
  for (let i = 0; i < a.length; i += 2) {
    const ar = a[i];
    const ai = a[i + 1];
    const br = b[i];
    const bi = b[i + 1];
    o[i] = ar * br - ai * bi + c[i];
    o[i + 1] = ar * bi + ai * br + c[i + 1];
  }
  return o;
}

/** s · a for a complex scalar s. */
export function scale<A extends ComplexArray>(a: A, s: Complex, out?: A): A {
  const o = target('scale', a, out);
  for (let i = 0; i < a.length; i += 2) {
    const ar = a[i];
    const ai = a[i + 1];
    o[i] = ar * s.re - ai * s.im;
    o[i + 1] = ar * s.im + ai * s.re;
  }
  return o;
}

/** Complex conjugate. */
export function conj<A extends ComplexArray>(a: A, out?: A): A {
  const o = target('conj', a, out);
  for (let i = 0; i < a.length; i += 2) {
    o[i] = a[i];
    o[i + 1] = -a[i + 1];
  }
  return o;
}

/** e^a. */
export function exp<A extends ComplexArray>(a: A, out?: A): A {
  const o = target('exp', a, out);
  for (let i = 0; i < a.length; i += 2) {
    const m = Math.exp(a[i]);
    const theta = a[i + 1];
    o[i] = m * Math.cos(theta);
    o[i + 1] = m * Math.sin(theta);
  }
  return o;
}

/** Principal logarithm. */
export function log<A extends ComplexArray>(a: A, out?: A): A {
  const o = target('log', a, out);
  for (let i = 0; i < a.length; i += 2) {
    const re = a[i];
    const im = a[i + 1];
    o[i] = Math.log(Math.hypot(re, im));
    o[i + 1] = Math.atan2(im, re);
  }
  return o;
}

/** Moduli |a| as a real array of the same precision. */
export function abs<A extends ComplexArray>(a: A, out?: RealArray): A {
  const n = a.length >> 1;
  const o = (out ?? allocateLike(a, n)) as A;
  if (o.length !== n) throw new RangeError(`abs: out must hold ${n} values; got ${o.length}`);
  for (let i = 0; i < n; i++) o[i] = Math.hypot(a[2 * i], a[2 * i + 1]);
  return o;
}

/** Σ a_i. */
export function sum(a: ComplexArray): Complex {
  let re = 0;
  let im = 0;
  for (let i = 0; i < a.length; i += 2) {
    re += a[i];
    im += a[i + 1];
  }
  return { re, im };
}

/** Σ a_i · b_i (no conjugation; see `dotc` for the Hermitian product). */
export function dot(a: ComplexArray, b: ComplexArray): Complex {
  sameLength('dot', a, b);
  let re = 0;
  let im = 0;
  for (let i = 0; i < a.length; i += 2) {
    re += a[i] * b[i] - a[i + 1] * b[i + 1];
    im += a[i] * b[i + 1] + a[i + 1] * b[i];
  }
  return { re, im };
}

/** Σ conj(a_i) · b_i, the Hermitian inner product ⟨a, b⟩. */
export function dotc(a: ComplexArray, b: ComplexArray): Complex {
  sameLength('dotc', a, b);
  let re = 0;
  let im = 0;
  for (let i = 0; i < a.length; i += 2) {
    re += a[i] * b[i] + a[i + 1] * b[i + 1];
    im += a[i] * b[i + 1] - a[i + 1] * b[i];
  }
  return { re, im };
}
