import { allocateLike, assertComplexLength, assertInteger, type RealArray } from '@statespace/complex';
import { floatDtype } from './checks';
import { irfft, rfft } from './real';

// Vector-Jacobian products of the real transforms. Gradients follow docs/architecture.md
// ("Gradients"): for a real loss ℓ, a complex value's gradient is interleaved (∂ℓ/∂Re, ∂ℓ/∂Im).

/**
 * `a` cut or zero-padded to `length` numbers (a new array of `a`'s precision): the adjoint of
 * numpy's `n` truncation/padding is the same truncation/padding of the gradient.
 */
export function fitLength<A extends RealArray>(a: A, length: number): A {
  const out = allocateLike(a, length);
  out.set(a.length > length ? a.subarray(0, length) : a);
  return out;
}

/**
 * The vector-Jacobian product of `rfft(x, n)`: given `grad`, the gradient with respect to the
 * ⌊n/2⌋ + 1 output bins (interleaved), returns the gradient with respect to the `inputLength`
 * real samples of `x` (default n). With X_k = Σ_j x_j e^{−2πijk/n},
 * ∂ℓ/∂x_j = Re Σ_k g_k e^{+2πijk/n} = n·irfft(Y)_j with Y_k = g_k at bins 0 and (even n) n/2 and
 * g_k/2 elsewhere (irfft counts every other bin twice); samples that `rfft` cut off get 0.
 * The result has the precision of `grad`.
 */
export function rfftVjp<A extends RealArray>(grad: A, n: number, inputLength = n): A {
  floatDtype('grad', grad);
  assertInteger('n', n, 1);
  assertInteger('inputLength', inputLength, 1);
  const bins = (n >> 1) + 1;
  assertComplexLength('grad', grad, bins);
  const halved = allocateLike(grad, grad.length);
  for (let k = 0; k < bins; k++) {
    const edge = k === 0 || 2 * k === n;
    const f = edge ? n : n / 2;
    halved[2 * k] = f * grad[2 * k];
    halved[2 * k + 1] = f * grad[2 * k + 1];
  }
  return fitLength(irfft(halved, n), inputLength);
}

/**
 * The vector-Jacobian product of `irfft(X, n)`: given `grad`, the gradient with respect to the n
 * real outputs, returns the gradient with respect to the `inputBins` complex bins of `X`
 * (interleaved; default ⌊n/2⌋ + 1). With x_j = (1/n)·Σ_k c_k·Re(X_k e^{2πijk/n}), c_k = 1 at
 * bins 0 and (even n) n/2 and 2 elsewhere, the gradient is (c_k/n)·rfft(g)_k; its imaginary part
 * is 0 at bins 0 and n/2, whose imaginary parts `irfft` ignores, and bins beyond ⌊n/2⌋ get 0.
 * The result has the precision of `grad`.
 */
export function irfftVjp<A extends RealArray>(grad: A, inputBins?: number): A {
  floatDtype('grad', grad);
  const n = grad.length;
  assertInteger('grad.length (n)', n, 1);
  const bins = (n >> 1) + 1;
  const given = inputBins ?? bins;
  assertInteger('inputBins', given, 1);
  const spectrum = rfft(grad);
  for (let k = 0; k < bins; k++) {
    const edge = k === 0 || 2 * k === n;
    const f = edge ? 1 / n : 2 / n;
    spectrum[2 * k] *= f;
    spectrum[2 * k + 1] *= f;
  }
  return fitLength(spectrum, 2 * given);
}
