import type { ComplexTensor, RealArray, Tensor } from '@statespace/complex';
import type { DenseDiscretization } from './dense-system';
import { gbtDense } from './gbt-dense';
import { type GbtOptions, gbtAlpha, type StepMethod } from './methods';
import { zohDense } from './zoh-dense';

/**
 * Discretises a dense system x' = A x + B u by name: `zoh` (`zohDense`), or a GBT (`gbtDense`):
 * `bilinear` (α = ½), `forward_euler` (α = 0), `backward_euler` (α = 1) or `gbt` with `options.alpha`.
 *
 * @param A - State matrix `[n, n]`, real (`Tensor`) or complex (`ComplexTensor`, told apart by its
 *   data length, 2n² numbers); its precision is the output's.
 * @param B - Input vector `[n]`, real or complex (the result is complex when A or B is).
 * @param dt - Step size Δ, a finite number > 0.
 * @param method - One of `STEP_METHODS`.
 * @param options - `alpha` for method `gbt`.
 * @throws RangeError on bad shapes, non-finite values, Δ ≤ 0 or an unknown method (listing the names).
 */
export function discretizeDense<A extends RealArray>(
  A: Tensor<A> | ComplexTensor<A>,
  B: Tensor | ComplexTensor,
  dt: number,
  method: StepMethod,
  options?: GbtOptions,
): DenseDiscretization<A> {
  const alpha = gbtAlpha(method, options);
  return alpha === undefined ? zohDense(A, B, dt) : gbtDense(A, B, dt, alpha);
}
