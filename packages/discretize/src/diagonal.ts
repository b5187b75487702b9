import {
  allocateLike,
  type ComplexArray,
  type ComplexTensor,
  cdiv,
  cexp,
  cmul,
  cscale,
  getComplex,
  setComplex,
  type Tensor,
} from '@statespace/complex';
import { expm1OverZ } from './expm1';
import { assertHalfState, assertSameSize, stepSizes } from './half-state';
import { type GbtOptions, gbtAlpha, type StepMethod } from './methods';

/** The discrete multipliers of a batched diagonal system: x_k = Ā ⊙ x_{k−1} + B̄ u_k, per row. */
export interface DiagonalDiscretization<A extends ComplexArray = ComplexArray> {
  /** Ā, `[H, N/2]`. */
  readonly dA: ComplexTensor<A>;
  /** B̄, `[H, N/2]`. */
  readonly dB: ComplexTensor<A>;
}

/**
 * Discretises H diagonal systems x' = Λ ⊙ x + B u (half-state: N/2 stored modes per row), as the
 * official `SSMKernelDiag._setup_step`. With x = ΔΛ per mode:
 * - `zoh`: Ā = e^{x}, B̄ = B·(e^{x} − 1)/Λ (computed as B·Δ·expm1(x)/x, finite at Λ = 0);
 * - GBT α (`bilinear` ½, `forward_euler` 0, `backward_euler` 1, `gbt` any α):
 *   Ā = (1 + (1−α)x)/(1 − αx), B̄ = B·Δ/(1 − αx).
 *
 * @param Lambda - Diagonal Λ, complex `[H, N/2]`; its precision is the output's.
 * @param B - Input vector, complex `[H, N/2]`.
 * @param dt - Step sizes Δ > 0: `[H]` or `[H, 1]` per row, or `[H, N/2]` per mode (`dt_tie=false`).
 * @param method - One of `STEP_METHODS`.
 * @param options - `alpha` for method `gbt`.
 * @throws RangeError on bad shapes, non-finite values, Δ ≤ 0 or an unknown method.
 */
export function discretizeDiagonal<A extends ComplexArray>(
  Lambda: ComplexTensor<A>,
  B: ComplexTensor,
  dt: Tensor,
  method: StepMethod,
  options?: GbtOptions,
): DiagonalDiscretization<A> {
  const alpha = gbtAlpha(method, options);
  const size = assertHalfState('Lambda', Lambda);
  assertSameSize('B', size, assertHalfState('B', B), 'Lambda');
  const delta = stepSizes(dt, size);
  const dA = allocateLike(Lambda.data, Lambda.data.length);
  const dB = allocateLike(Lambda.data, Lambda.data.length);
  delta.forEach((d, i) => {
    const x = cscale(getComplex(Lambda.data, i), d);
    const b = getComplex(B.data, i);
    if (alpha === undefined) {
      setComplex(dA, i, cexp(x));
      setComplex(dB, i, cmul(b, cscale(expm1OverZ(x), d)));
    } else {
      const den = { re: 1 - alpha * x.re, im: -alpha * x.im };
      setComplex(dA, i, cdiv({ re: 1 + (1 - alpha) * x.re, im: (1 - alpha) * x.im }, den));
      setComplex(dB, i, cdiv(cscale(b, d), den));
    }
  });
  const shape = [size.H, size.halfN];
  return { dA: { data: dA, shape }, dB: { data: dB, shape } };
}
