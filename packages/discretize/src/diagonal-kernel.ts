import {
  allocateLike,
  assertInteger,
  assertOneOf,
  type Complex,
  type ComplexArray,
  type ComplexTensor,
  cmul,
  cscale,
  getComplex,
  setComplex,
  type Tensor,
} from '@statespace/complex';
import { dssMode } from './dss';
import { zExpOverExpm1 } from './expm1';
import { assertHalfState, assertSameSize, type HalfStateSize, stepSizes } from './half-state';
import { bilinearMode, type KernelMode, zohMode } from './kernel-mode';
import { KERNEL_METHODS, type KernelMethod } from './methods';

// The per-mode quantities of the S4D (diagonal) convolution kernel, `SSMKernelDiag.forward`:
//   K[…, h, l] = scale · Re Σ_n B_n C_n · factor_{h,n} · e^{exponent_{h,n}·(l − shift_{h,n})}.
// A Vandermonde product (package kernels) evaluates the sum.

/** Options of the kernel factors. */
export interface KernelOptions {
  /** Kernel length L: required by `dss` (its factors depend on L), unused by `zoh` and `bilinear`. */
  L?: number;
}

/** What a Vandermonde product needs, besides B·C, to form an S4D kernel. */
export interface DiagonalKernelFactors<A extends ComplexArray = ComplexArray> {
  /** Per-mode multiplier of B·C, complex `[H, N/2]`. */
  readonly factor: ComplexTensor<A>;
  /** Per-mode Vandermonde exponent w, complex `[H, N/2]`. */
  readonly exponent: ComplexTensor<A>;
  /** Per-mode index shift s in e^{w·(l − s)}, real `[H, N/2]`: L − 1 for reflected DSS modes, else 0. */
  readonly shift: Tensor<A>;
  /**
   * Multiplier of the real part: 2 for `zoh` and `bilinear` (the conjugate half of the state), and 1
   * for `dss`, whose official output `.float()` takes the real part of the half sum with no ×2.
   */
  readonly scale: 1 | 2;
}

/** The coefficients B·C·factor of an S4D kernel, with the exponents, shifts and scale to apply. */
export interface DiagonalKernelCoefficients<A extends ComplexArray = ComplexArray>
  extends Omit<DiagonalKernelFactors<A>, 'factor'> {
  /** B_n·C_n·factor_n, complex `[...B leading, ...C leading, H, N/2]`. */
  readonly coefficients: ComplexTensor<A>;
}

function modeFunction(
  method: KernelMethod,
  options: KernelOptions,
): (lambda: Complex, dt: number) => KernelMode {
  assertOneOf('method', method, KERNEL_METHODS);
  const { L } = options;
  if (L !== undefined) assertInteger('L', L, 1);
  if (method === 'zoh') return zohMode;
  if (method === 'bilinear') return bilinearMode;
  if (L === undefined) throw new RangeError("method 'dss' needs the kernel length L (an integer ≥ 1)");
  return (lambda, dt) => dssMode(lambda, dt, L);
}

function factorsOf<A extends ComplexArray>(
  Lambda: ComplexTensor<A>,
  size: HalfStateSize,
  dt: Tensor,
  method: KernelMethod,
  options: KernelOptions,
): DiagonalKernelFactors<A> {
  const mode = modeFunction(method, options);
  const delta = stepSizes(dt, size);
  const factor = allocateLike(Lambda.data, Lambda.data.length);
  const exponent = allocateLike(Lambda.data, Lambda.data.length);
  const shift = allocateLike(Lambda.data, delta.length);
  delta.forEach((d, i) => {
    const m = mode(getComplex(Lambda.data, i), d);
    setComplex(factor, i, m.factor);
    setComplex(exponent, i, m.exponent);
    shift[i] = m.shift;
  });
  const shape = [size.H, size.halfN];
  return {
    factor: { data: factor, shape },
    exponent: { data: exponent, shape },
    shift: { data: shift, shape },
    scale: method === 'dss' ? 1 : 2,
  };
}

/**
 * The per-mode factors of the official S4D kernel (`SSMKernelDiag.forward`, `disc` = method), so
 * that K[h, l] = scale·Re Σ_n B_n C_n·factor_{h,n}·e^{exponent_{h,n}·(l − shift_{h,n})}. With x = ΔΛ:
 *
 * | method | factor | exponent | shift | scale |
 * |---|---|---|---|---|
 * | `zoh` | (e^{x} − 1)/Λ | x | 0 | 2 |
 * | `bilinear` | Δ/(1 − x/2) | log((1 + x/2)/(1 − x/2)) | 0 | 2 |
 * | `dss` | (e^{x₋} − 1)·r((e^{x₋L} − 1)·Λ) | x | Re Λ > 0 ? L − 1 : 0 | 1 |
 *
 * For `dss`, x₋ = −x where Re Λ > 0 (else x) and r(y) = conj(y)/(y·conj(y) + 1e-7); see `dssMode`.
 *
 * @param Lambda - Diagonal Λ, complex `[H, N/2]`; its precision is the output's.
 * @param dt - Step sizes Δ > 0: `[H]`, `[H, 1]` or `[H, N/2]`.
 * @param method - One of `KERNEL_METHODS`.
 * @param options - `L`, required for `dss`.
 */
export function diagonalKernelFactors<A extends ComplexArray>(
  Lambda: ComplexTensor<A>,
  dt: Tensor,
  method: KernelMethod,
  options: KernelOptions = {},
): DiagonalKernelFactors<A> {
  return factorsOf(Lambda, assertHalfState('Lambda', Lambda), dt, method, options);
}

/**
 * The S4D kernel coefficients B·C·factor (see `diagonalKernelFactors`), batched as the official
 * `(B[:, None] * C)`: every leading row of B times every leading row of C, so that
 * K[b, c, h, l] = scale·Re Σ_n coefficients[b, c, h, n]·e^{exponent_{h,n}·(l − shift_{h,n})}.
 * Extra rows of B are how the kernel of an initial state enters (see `diagonalStateFactors`).
 *
 * @param Lambda - Diagonal Λ, complex `[H, N/2]`; its precision is the output's.
 * @param B - Input vectors, complex `[..., H, N/2]` (e.g. `[H, N/2]`, or `[1 + batch, H, N/2]`).
 * @param C - Output vectors, complex `[..., H, N/2]` (e.g. `[channels, H, N/2]`).
 * @param dt - Step sizes Δ > 0: `[H]`, `[H, 1]` or `[H, N/2]`.
 * @param method - One of `KERNEL_METHODS`.
 * @param options - `L`, required for `dss`.
 */
export function diagonalKernelCoefficients<A extends ComplexArray>(
  Lambda: ComplexTensor<A>,
  B: ComplexTensor,
  C: ComplexTensor,
  dt: Tensor,
  method: KernelMethod,
  options: KernelOptions = {},
): DiagonalKernelCoefficients<A> {
  const size = assertHalfState('Lambda', Lambda);
  const bSize = assertHalfState('B', B, true);
  const cSize = assertHalfState('C', C, true);
  assertSameSize('B', size, bSize, 'Lambda');
  assertSameSize('C', size, cSize, 'Lambda');
  const { factor, ...rest } = factorsOf(Lambda, size, dt, method, options);
  const block = size.H * size.halfN;
  const out = allocateLike(Lambda.data, 2 * bSize.count * cSize.count * block);
  for (let b = 0; b < bSize.count; b++) {
    for (let c = 0; c < cSize.count; c++) {
      const o = (b * cSize.count + c) * block;
      for (let i = 0; i < block; i++) {
        const bc = cmul(getComplex(B.data, b * block + i), getComplex(C.data, c * block + i));
        setComplex(out, o + i, cmul(bc, getComplex(factor.data, i)));
      }
    }
  }
  return { ...rest, coefficients: { data: out, shape: [...bSize.lead, ...cSize.lead, size.H, size.halfN] } };
}

/**
 * The factors that turn an initial state x₀ into an extra B row of the S4D kernel (the official
 * state augmentation `s = state/Δ · …`), so that the kernel of that row is the contribution of x₀
 * to the output, K_state[l] = 2·Re Σ C·Ā^{l+1}·x₀ for zoh and bilinear. With x = ΔΛ:
 * - `zoh`: (1/Δ)·x·e^{x}/(e^{x} − 1) (limit 1/Δ at x = 0);
 * - `bilinear`: (1/Δ)·(1 + x/2);
 * - `dss`: 1/Δ — the official code applies no further factor for DSS.
 *
 * @param Lambda - Diagonal Λ, complex `[H, N/2]`; its precision is the output's.
 * @param dt - Step sizes Δ > 0: `[H]`, `[H, 1]` or `[H, N/2]`.
 * @param method - One of `KERNEL_METHODS`.
 * @returns Complex `[H, N/2]`; the B row of a state is `state ⊙ factors`.
 */
export function diagonalStateFactors<A extends ComplexArray>(
  Lambda: ComplexTensor<A>,
  dt: Tensor,
  method: KernelMethod,
): ComplexTensor<A> {
  assertOneOf('method', method, KERNEL_METHODS);
  const size = assertHalfState('Lambda', Lambda);
  const delta = stepSizes(dt, size);
  const out = allocateLike(Lambda.data, Lambda.data.length);
  delta.forEach((d, i) => {
    const x = cscale(getComplex(Lambda.data, i), d);
    const f =
      method === 'zoh'
        ? zExpOverExpm1(x)
        : method === 'bilinear'
          ? { re: 1 + x.re / 2, im: x.im / 2 }
          : { re: 1, im: 0 };
    setComplex(out, i, cscale(f, 1 / d));
  });
  return { data: out, shape: [size.H, size.halfN] };
}
