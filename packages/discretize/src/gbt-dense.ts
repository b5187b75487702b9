import { assertPositive, type ComplexTensor, type RealArray, type Tensor } from '@statespace/complex';
import { csolve, solve } from '@statespace/linalg';
import { type DenseDiscretization, denseInput, splitBlock } from './dense-system';

/**
 * The generalised bilinear transform (GBT) of a dense system x' = A x + B u:
 * Ā = (I − αΔA)⁻¹(I + (1−α)ΔA), B̄ = Δ(I − αΔA)⁻¹B, by one LU solve with n + 1 right-hand sides.
 * α = 0 is forward Euler, ½ bilinear (the official dense `solve(I − Δ/2·A, I + Δ/2·A)`), 1
 * backward Euler.
 *
 * @param A - State matrix `[n, n]`, real or complex; its precision is the output's.
 * @param B - Input vector `[n]`, real or complex (the result is complex when A or B is).
 * @param dt - Step size Δ, a finite number > 0.
 * @param alpha - α ∈ [0, 1].
 * @throws RangeError on bad shapes, non-finite values, Δ ≤ 0, α outside [0, 1], or a singular I − αΔA.
 */
export function gbtDense<A extends RealArray>(
  A: Tensor<A> | ComplexTensor<A>,
  B: Tensor | ComplexTensor,
  dt: number,
  alpha: number,
): DenseDiscretization<A> {
  assertPositive('dt', dt);
  if (!(alpha >= 0 && alpha <= 1)) throw new RangeError(`alpha must be a number in [0, 1]; got ${alpha}`);
  const { n, width, A: a, B: b } = denseInput(A, B);
  // M = I − αΔA and the right-hand sides [I + (1−α)ΔA | ΔB], row-major at `width`.
  const m = new Float64Array(width * n * n);
  const rhs = new Float64Array(width * n * (n + 1));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < width * n; j++) {
      const v = dt * a[width * i * n + j];
      m[width * i * n + j] = -alpha * v;
      rhs[width * i * (n + 1) + j] = (1 - alpha) * v;
    }
    m[width * (i * n + i)] += 1;
    rhs[width * (i * (n + 1) + i)] += 1;
    for (let k = 0; k < width; k++) rhs[width * (i * (n + 1) + n) + k] = dt * b[width * i + k];
  }
  const solveFn = width === 1 ? solve : csolve;
  let x: Float64Array;
  try {
    x = solveFn({ data: m, shape: [n, n] }, { data: rhs, shape: [n, n + 1] }).data;
  } catch (e) {
    if (!(e instanceof RangeError && /singular/.test(e.message))) throw e;
    throw new RangeError(`I − αΔA is singular for α = ${alpha}, Δ = ${dt}: ${e.message}`);
  }
  return splitBlock(x, n, width, A.data);
}
