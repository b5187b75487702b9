import type { ComplexTensor, Tensor } from '@statespace/complex';
import { identityData } from './matrix';
import { asFloat64, rhsColumns, squareSize, type Width } from './validate';

// LU factorisation with partial pivoting, P·A = L·U, stored packed in one n×n array (unit-lower L
// below the diagonal, U on and above it). Real and complex kernels differ only in arithmetic;
// the factorisation object and the solve/inverse wrappers are shared.

/** The arithmetic of an LU kernel: factor in place, then solve with the packed factors. */
export interface LuKernel {
  readonly width: Width;
  /** Factors the n×n matrix in `lu` in place; returns the row permutation. `arg` names it in errors. */
  factor(lu: Float64Array, n: number, arg: string): Int32Array;
  /** Solves A·X = B for the n×k right-hand side `b`; returns X (n×k). */
  substitute(lu: Float64Array, perm: Int32Array, n: number, b: Float64Array, k: number): Float64Array;
}

function singular(arg: string, k: number): RangeError {
  return new RangeError(
    `${arg} must be invertible; it is singular: pivot ${k} is zero ` +
      `(column ${k} has no nonzero entry on or below the diagonal after elimination)`,
  );
}

function swapRows(a: Float64Array | Int32Array, from: number, to: number, count: number): void {
  for (let j = 0; j < count; j++) {
    const t = a[from + j];
    a[from + j] = a[to + j];
    a[to + j] = t;
  }
}

/** The real kernel. */
export const REAL_LU: LuKernel = {
  width: 1,
  factor(a, n, arg) {
    const perm = Int32Array.from({ length: n }, (_, i) => i);
    for (let k = 0; k < n; k++) {
      let p = k;
      for (let i = k + 1; i < n; i++) if (Math.abs(a[i * n + k]) > Math.abs(a[p * n + k])) p = i;
      if (a[p * n + k] === 0) throw singular(arg, k);
      if (p !== k) {
        swapRows(a, k * n, p * n, n);
        swapRows(perm, k, p, 1);
      }
      const inv = 1 / a[k * n + k];
      for (let i = k + 1; i < n; i++) {
        const l = (a[i * n + k] *= inv);
        for (let j = k + 1; j < n; j++) a[i * n + j] -= l * a[k * n + j];
      }
    }
    return perm;
  },
  substitute(lu, perm, n, b, k) {
    const x = new Float64Array(n * k);
    for (let i = 0; i < n; i++) x.set(b.subarray(perm[i] * k, perm[i] * k + k), i * k);
    // Rows of X are updated whole, so every inner loop is contiguous.
    for (let i = 0; i < n; i++) {
      for (let p = 0; p < i; p++) {
        const l = lu[i * n + p];
        for (let j = 0; j < k; j++) x[i * k + j] -= l * x[p * k + j];
      }
    }
    for (let i = n - 1; i >= 0; i--) {
      for (let p = i + 1; p < n; p++) {
        const u = lu[i * n + p];
        for (let j = 0; j < k; j++) x[i * k + j] -= u * x[p * k + j];
      }
      const pivot = lu[i * n + i];
      for (let j = 0; j < k; j++) x[i * k + j] /= pivot;
    }
    return x;
  },
};

/** x ← x − (ar + i·ai)·y over `count` interleaved complex values starting at `xi` and `yi`. */
function caxpyNeg(
  x: Float64Array,
  xi: number,
  y: Float64Array,
  yi: number,
  ar: number,
  ai: number,
  count: number,
) {
  for (let j = 0; j < 2 * count; j += 2) {
    const yr = y[yi + j];
    const yim = y[yi + j + 1];
    x[xi + j] -= ar * yr - ai * yim;
    x[xi + j + 1] -= ar * yim + ai * yr;
  }
}

/** 1/z, scaled so that |z|² cannot overflow. */
function reciprocal(re: number, im: number): [number, number] {
  const s = Math.max(Math.abs(re), Math.abs(im));
  const r = re / s;
  const i = im / s;
  const d = s * (r * r + i * i);
  return [r / d, -i / d];
}

/** The complex kernel (interleaved data). */
export const COMPLEX_LU: LuKernel = {
  width: 2,
  factor(a, n, arg) {
    const perm = Int32Array.from({ length: n }, (_, i) => i);
    // Pivot on |re| + |im|, as LAPACK does: as good as the modulus for pivoting, and cheaper.
    const size = (i: number, k: number) => Math.abs(a[2 * (i * n + k)]) + Math.abs(a[2 * (i * n + k) + 1]);
    for (let k = 0; k < n; k++) {
      let p = k;
      for (let i = k + 1; i < n; i++) if (size(i, k) > size(p, k)) p = i;
      if (size(p, k) === 0) throw singular(arg, k);
      if (p !== k) {
        swapRows(a, 2 * k * n, 2 * p * n, 2 * n);
        swapRows(perm, k, p, 1);
      }
      const [invR, invI] = reciprocal(a[2 * (k * n + k)], a[2 * (k * n + k) + 1]);
      for (let i = k + 1; i < n; i++) {
        const at = 2 * (i * n + k);
        const lr = a[at] * invR - a[at + 1] * invI;
        const li = a[at] * invI + a[at + 1] * invR;
        a[at] = lr;
        a[at + 1] = li;
        caxpyNeg(a, at + 2, a, 2 * (k * n + k + 1), lr, li, n - k - 1);
      }
    }
    return perm;
  },
  substitute(lu, perm, n, b, k) {
    const x = new Float64Array(2 * n * k);
    for (let i = 0; i < n; i++) x.set(b.subarray(2 * perm[i] * k, 2 * (perm[i] + 1) * k), 2 * i * k);
    for (let i = 0; i < n; i++) {
      for (let p = 0; p < i; p++)
        caxpyNeg(x, 2 * i * k, x, 2 * p * k, lu[2 * (i * n + p)], lu[2 * (i * n + p) + 1], k);
    }
    for (let i = n - 1; i >= 0; i--) {
      for (let p = i + 1; p < n; p++) {
        caxpyNeg(x, 2 * i * k, x, 2 * p * k, lu[2 * (i * n + p)], lu[2 * (i * n + p) + 1], k);
      }
      const [invR, invI] = reciprocal(lu[2 * (i * n + i)], lu[2 * (i * n + i) + 1]);
      for (let j = 2 * i * k; j < 2 * (i + 1) * k; j += 2) {
        const xr = x[j];
        x[j] = xr * invR - x[j + 1] * invI;
        x[j + 1] = xr * invI + x[j + 1] * invR;
      }
    }
    return x;
  },
};

/** A reusable LU factorisation (partial pivoting) of a real n×n matrix A. */
export interface LuFactorization {
  /** The size n of A. */
  readonly n: number;
  /**
   * Solves A·x = b.
   * @param b - A vector `[n]` or a matrix `[n, k]` (k right-hand sides).
   * @returns x, float64, of the shape of `b`.
   */
  solve(b: Tensor): Tensor<Float64Array>;
}

/** A reusable LU factorisation (partial pivoting) of a complex n×n matrix A. */
export interface ComplexLuFactorization {
  /** The size n of A. */
  readonly n: number;
  /**
   * Solves A·x = b.
   * @param b - A complex vector `[n]` or matrix `[n, k]` (k right-hand sides).
   * @returns x, complex128, of the shape of `b`.
   */
  solve(b: ComplexTensor): ComplexTensor<Float64Array>;
}

function factorize(a: Tensor | ComplexTensor, kernel: LuKernel): LuFactorization {
  const n = squareSize('a', a, kernel.width);
  const lu = Float64Array.from(a.data);
  const perm = kernel.factor(lu, n, 'a');
  return {
    n,
    solve(b) {
      const k = rhsColumns('b', b, n, kernel.width);
      return { data: kernel.substitute(lu, perm, n, asFloat64(b.data), k), shape: [...b.shape] };
    },
  };
}

/**
 * Factors a real square matrix once, for several solves.
 * @param a - Matrix `[n, n]`, finite.
 * @throws RangeError if `a` is not square, not finite, or singular (naming the zero pivot).
 */
export function luFactor(a: Tensor): LuFactorization {
  return factorize(a, REAL_LU);
}

/**
 * Factors a complex square matrix once, for several solves.
 * @param a - Complex matrix `[n, n]`, finite.
 * @throws RangeError if `a` is not square, not finite, or singular (naming the zero pivot).
 */
export function cluFactor(a: ComplexTensor): ComplexLuFactorization {
  return factorize(a, COMPLEX_LU);
}

/**
 * Solves the real system A·x = b by LU with partial pivoting, in float64.
 * @param a - Matrix `[n, n]`.
 * @param b - Vector `[n]` or matrix `[n, k]`.
 * @returns x, of the shape of `b`.
 */
export function solve(a: Tensor, b: Tensor): Tensor<Float64Array> {
  return luFactor(a).solve(b);
}

/**
 * Solves the complex system A·x = b by LU with partial pivoting, in float64.
 * @param a - Complex matrix `[n, n]`.
 * @param b - Complex vector `[n]` or matrix `[n, k]`.
 * @returns x, of the shape of `b`.
 */
export function csolve(a: ComplexTensor, b: ComplexTensor): ComplexTensor<Float64Array> {
  return cluFactor(a).solve(b);
}

/**
 * The inverse A⁻¹ of a real square matrix, in float64.
 * @param a - Matrix `[n, n]`, invertible.
 */
export function inverse(a: Tensor): Tensor<Float64Array> {
  const lu = luFactor(a);
  return lu.solve({ data: identityData(lu.n, 1, 'float64'), shape: [lu.n, lu.n] });
}

/**
 * The inverse A⁻¹ of a complex square matrix, in float64.
 * @param a - Complex matrix `[n, n]`, invertible.
 */
export function cinverse(a: ComplexTensor): ComplexTensor<Float64Array> {
  const lu = cluFactor(a);
  return lu.solve({ data: identityData(lu.n, 2, 'float64'), shape: [lu.n, lu.n] });
}
