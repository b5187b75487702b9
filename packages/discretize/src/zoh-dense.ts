import { assertPositive, type ComplexTensor, type RealArray, type Tensor } from '@statespace/complex';
import { cexpm, expm } from '@statespace/linalg';
import { type DenseDiscretization, denseInput, splitBlock } from './dense-system';

/**
 * Zero-order hold of a dense system x' = A x + B u: Ā = e^{ΔA}, B̄ = ∫₀^Δ e^{sA} ds·B
 * (= A⁻¹(e^{ΔA} − I)B when A is invertible), read off the exponential of the augmented matrix
 * Δ·[[A, B], [0, 0]], whose top rows are [Ā | B̄]. No inverse of A is needed.
 *
 * @param A - State matrix `[n, n]`, real or complex; its precision is the output's.
 * @param B - Input vector `[n]`, real or complex (the result is complex when A or B is).
 * @param dt - Step size Δ, a finite number > 0.
 * @throws RangeError on bad shapes, non-finite values or Δ ≤ 0.
 */
export function zohDense<A extends RealArray>(
  A: Tensor<A> | ComplexTensor<A>,
  B: Tensor | ComplexTensor,
  dt: number,
): DenseDiscretization<A> {
  assertPositive('dt', dt);
  const { n, width, A: a, B: b } = denseInput(A, B);
  const m = n + 1;
  const aug = new Float64Array(width * m * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < width * n; j++) aug[width * i * m + j] = dt * a[width * i * n + j];
    for (let k = 0; k < width; k++) aug[width * (i * m + n) + k] = dt * b[width * i + k];
  }
  const e = (width === 1 ? expm : cexpm)({ data: aug, shape: [m, m] }).data;
  return splitBlock(e, n, width, A.data);
}
