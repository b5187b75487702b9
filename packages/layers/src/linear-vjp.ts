import type { RealArray } from '@statespace/complex';
import { addMatrixProduct, rowMajor, transposed } from './matmul';

/** The gradients of a linear map y = x·Wᵀ + b, in float64 (the precision of a {@link Tape}'s gradients). */
export interface LinearGrads {
  /** ∂ℓ/∂x, [rows, d_input]. */
  x: Float64Array;
  /** ∂ℓ/∂W, [d_output, d_input]. */
  weight: Float64Array;
  /** ∂ℓ/∂b, [d_output]. */
  bias: Float64Array;
}

/**
 * The vector-Jacobian product of `Linear.forwardRows` (y = x·Wᵀ + b over `rows` rows): given
 * `grad` = ∂ℓ/∂y [rows, d_output], ∂ℓ/∂x = grad·W, ∂ℓ/∂W = gradᵀ·x and ∂ℓ/∂b = Σ_rows grad, summed
 * and returned in float64 whatever x's precision (see `addMatrixProduct`).
 *
 * @throws RangeError when x, W or grad do not hold rows·d_input, d_output·d_input or
 *   rows·d_output values.
 */
export function linearVjp(
  x: RealArray,
  weight: RealArray,
  rows: number,
  dInput: number,
  dOutput: number,
  grad: ArrayLike<number>,
): LinearGrads {
  const n = dInput;
  const m = dOutput;
  for (const [arg, a, size] of [
    ['x', x, rows * n],
    ['weight', weight, m * n],
    ['grad', grad, rows * m],
  ] as const) {
    if (a.length !== size) throw new RangeError(`${arg} must hold ${size} values; got ${a.length}`);
  }
  const gx = new Float64Array(rows * n);
  addMatrixProduct(gx, rows, n, m, rowMajor(grad, m), rowMajor(weight, n));
  const gw = new Float64Array(m * n);
  addMatrixProduct(gw, m, n, rows, transposed(grad, m), rowMajor(x, n));
  const gb = new Float64Array(m);
  for (let r = 0; r < rows; r++) for (let o = 0; o < m; o++) gb[o] += grad[r * m + o];
  return { x: gx, weight: gw, bias: gb };
}
