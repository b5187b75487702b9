import { assertInteger, type ComplexArray } from '@statespace/complex';
import { floatDtype } from './checks';
import { fft, ifft } from './complex-plan';
import { fitLength } from './real-vjp';

// Vector-Jacobian products of the complex transforms. Both are complex-linear, so the gradient is
// the conjugate-transposed transform applied to the output gradient (docs/architecture.md,
// "Gradients": interleaved (∂ℓ/∂Re, ∂ℓ/∂Im)).

function checked(grad: ComplexArray, inputLength: number | undefined): { n: number; length: number } {
  floatDtype('grad', grad);
  if (grad.length % 2 !== 0 || grad.length === 0) {
    throw new RangeError(
      `grad must hold interleaved complex values (a positive even count); got ${grad.length}`,
    );
  }
  const n = grad.length / 2;
  const length = inputLength ?? n;
  assertInteger('inputLength', length, 1);
  return { n, length };
}

/**
 * The vector-Jacobian product of `fft(x, n)`: given `grad` (n complex values, interleaved), the
 * gradient with respect to the `inputLength` complex values of `x` (default n). The DFT matrix F
 * has F^H = n·F⁻¹, so the gradient is n·ifft(grad), cut or zero-padded to `inputLength` as the
 * adjoint of `fft`'s own padding/truncation. The result has the precision of `grad`.
 */
export function fftVjp<A extends ComplexArray>(grad: A, inputLength?: number): A {
  const { n, length } = checked(grad, inputLength);
  const out = ifft(grad);
  for (let i = 0; i < out.length; i++) out[i] *= n;
  return fitLength(out, 2 * length);
}

/**
 * The vector-Jacobian product of `ifft(X, n)`: given `grad` (n complex values, interleaved), the
 * gradient with respect to the `inputLength` complex values of `X` (default n): fft(grad)/n, cut
 * or zero-padded to `inputLength`. The result has the precision of `grad`.
 */
export function ifftVjp<A extends ComplexArray>(grad: A, inputLength?: number): A {
  const { n, length } = checked(grad, inputLength);
  const out = fft(grad);
  for (let i = 0; i < out.length; i++) out[i] /= n;
  return fitLength(out, 2 * length);
}
