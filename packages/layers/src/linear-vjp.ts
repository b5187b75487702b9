import { allocateLike, type RealArray } from '@statespace/complex';

/** The gradients of a linear map y = x·Wᵀ + b. */
export interface LinearGrads {
  /** ∂ℓ/∂x, [rows, d_input]. */
  x: RealArray;
  /** ∂ℓ/∂W, [d_output, d_input]. */
  weight: RealArray;
  /** ∂ℓ/∂b, [d_output]. */
  bias: RealArray;
}

/**
 * The vector-Jacobian product of `Linear.forwardRows` (y = x·Wᵀ + b over `rows` rows): given
 * `grad` = ∂ℓ/∂y [rows, d_output], ∂ℓ/∂x = grad·W, ∂ℓ/∂W = gradᵀ·x and ∂ℓ/∂b = Σ_rows grad, summed
 * in float64 and returned in x's precision.
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
  const gw = new Float64Array(m * n);
  const gb = new Float64Array(m);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < m; o++) {
      const g = grad[r * m + o];
      if (g === 0) continue;
      gb[o] += g;
      for (let i = 0; i < n; i++) {
        gx[r * n + i] += g * weight[o * n + i];
        gw[o * n + i] += g * x[r * n + i];
      }
    }
  }
  const like = (a: Float64Array) => {
    const out = allocateLike(x, a.length);
    out.set(a);
    return out;
  };
  return { x: like(gx), weight: like(gw), bias: like(gb) };
}
