import {
  allocateLike,
  assertInteger,
  assertOneOf,
  type Complex,
  type ComplexArray,
  type ComplexTensor,
  cconj,
  cmul,
  getComplex,
  type Tensor,
} from '@statespace/complex';
import { diagonalKernelFactors, type KernelOptions } from './diagonal-kernel';
import { dssModeVjp } from './dss-vjp';
import { assertHalfState, assertSameSize, stepSizes } from './half-state';
import { bilinearModeVjp, type KernelModeGrad, type ModeInputGrad, zohModeVjp } from './kernel-mode-vjp';
import { KERNEL_METHODS, type KernelMethod } from './methods';

/** Gradients of ℓ with respect to the outputs of `diagonalKernelFactors`; an absent one is 0. */
export interface DiagonalKernelFactorsGrad {
  /** ∂ℓ/∂factor, complex [H, N/2]. */
  factor?: ComplexTensor;
  /** ∂ℓ/∂exponent, complex [H, N/2]. */
  exponent?: ComplexTensor;
}

/** Gradients of ℓ with respect to the inputs of `diagonalKernelFactors`. */
export interface DiagonalKernelFactorsInputGrads<A extends ComplexArray = ComplexArray> {
  /** ∂ℓ/∂Λ, complex [H, N/2], of Λ's precision. */
  Lambda: ComplexTensor<A>;
  /** ∂ℓ/∂Δ, of dt's shape ([H], [H, 1] or [H, N/2]; tied steps sum over their modes) and precision. */
  dt: Tensor;
}

function modeVjp(
  method: KernelMethod,
  options: KernelOptions,
): (lambda: Complex, dt: number, grad: KernelModeGrad) => ModeInputGrad {
  assertOneOf('method', method, KERNEL_METHODS);
  const { L } = options;
  if (L !== undefined) assertInteger('L', L, 1);
  if (method === 'zoh') return zohModeVjp;
  if (method === 'bilinear') return bilinearModeVjp;
  if (L === undefined) throw new RangeError("method 'dss' needs the kernel length L (an integer ≥ 1)");
  return (lambda, dt, grad) => dssModeVjp(lambda, dt, L, grad);
}

/**
 * The vector-Jacobian product of `diagonalKernelFactors(Lambda, dt, method, options)` (zoh,
 * bilinear, dss): given the gradients with respect to its `factor` and `exponent` (the `shift`
 * and `scale` are constants), returns the gradients with respect to Λ and Δ, mode by mode
 * through `zohModeVjp`, `bilinearModeVjp` or `dssModeVjp`. Complex gradients follow
 * docs/architecture.md ("Gradients"): interleaved (∂ℓ/∂Re, ∂ℓ/∂Im).
 *
 * @throws RangeError, naming the argument, for shapes that do not match Λ, a bad `dt`, an
 *   unknown method, or `dss` without L.
 */
export function diagonalKernelFactorsVjp<A extends ComplexArray>(
  Lambda: ComplexTensor<A>,
  dt: Tensor,
  method: KernelMethod,
  grad: DiagonalKernelFactorsGrad,
  options: KernelOptions = {},
): DiagonalKernelFactorsInputGrads<A> {
  const size = assertHalfState('Lambda', Lambda);
  for (const key of ['factor', 'exponent'] as const) {
    const g = grad[key];
    if (g !== undefined) assertSameSize(`grad.${key}`, size, assertHalfState(`grad.${key}`, g), 'Lambda');
  }
  const vjp = modeVjp(method, options);
  const delta = stepSizes(dt, size);
  const zero: Complex = { re: 0, im: 0 };
  const gLambda = allocateLike(Lambda.data, Lambda.data.length);
  const gDt = allocateLike(dt.data, dt.data.length);
  const tied = dt.data.length !== delta.length;
  delta.forEach((d, i) => {
    const g = vjp(getComplex(Lambda.data, i), d, {
      factor: grad.factor ? getComplex(grad.factor.data, i) : zero,
      exponent: grad.exponent ? getComplex(grad.exponent.data, i) : zero,
    });
    gLambda[2 * i] = g.lambda.re;
    gLambda[2 * i + 1] = g.lambda.im;
    gDt[tied ? Math.floor(i / size.halfN) : i] += g.dt;
  });
  return { Lambda: { data: gLambda, shape: [size.H, size.halfN] }, dt: { data: gDt, shape: [...dt.shape] } };
}

/** Gradients of ℓ with respect to the outputs of `diagonalKernelCoefficients`; an absent one is 0. */
export interface DiagonalKernelCoefficientsGrad {
  /** ∂ℓ/∂coefficients, complex [...B leading, ...C leading, H, N/2]. */
  coefficients?: ComplexTensor;
  /** ∂ℓ/∂exponent, complex [H, N/2]. */
  exponent?: ComplexTensor;
}

/** Gradients of ℓ with respect to the inputs of `diagonalKernelCoefficients`. */
export interface DiagonalKernelCoefficientsInputGrads<A extends ComplexArray = ComplexArray>
  extends DiagonalKernelFactorsInputGrads<A> {
  /** ∂ℓ/∂B, B's shape, Λ's precision. */
  B: ComplexTensor<A>;
  /** ∂ℓ/∂C, C's shape, Λ's precision. */
  C: ComplexTensor<A>;
}

/**
 * The vector-Jacobian product of `diagonalKernelCoefficients(Lambda, B, C, dt, method, options)`:
 * coefficients[b, c] = B[b]·C[c]·factor is holomorphic in each factor, so with G its gradient
 * ∂ℓ/∂B[b] = Σ_c conj(C[c]·factor)·G[b, c], ∂ℓ/∂C[c] = Σ_b conj(B[b]·factor)·G[b, c] and
 * ∂ℓ/∂factor = Σ_{b,c} conj(B[b]·C[c])·G[b, c], which goes on to Λ and Δ through
 * {@link diagonalKernelFactorsVjp} together with ∂ℓ/∂exponent.
 *
 * @throws RangeError, naming the argument, as `diagonalKernelCoefficients`, and when a gradient
 *   does not have the shape of its output.
 */
export function diagonalKernelCoefficientsVjp<A extends ComplexArray>(
  Lambda: ComplexTensor<A>,
  B: ComplexTensor,
  C: ComplexTensor,
  dt: Tensor,
  method: KernelMethod,
  grad: DiagonalKernelCoefficientsGrad,
  options: KernelOptions = {},
): DiagonalKernelCoefficientsInputGrads<A> {
  const size = assertHalfState('Lambda', Lambda);
  const bSize = assertHalfState('B', B, true);
  const cSize = assertHalfState('C', C, true);
  assertSameSize('B', size, bSize, 'Lambda');
  assertSameSize('C', size, cSize, 'Lambda');
  const block = size.H * size.halfN;
  const gB = allocateLike(Lambda.data, B.data.length);
  const gC = allocateLike(Lambda.data, C.data.length);
  const gFactor = new Float64Array(2 * block);
  const g = grad.coefficients;
  if (g !== undefined) {
    const expected = [...bSize.lead, ...cSize.lead, size.H, size.halfN];
    if (g.shape.length !== expected.length || g.shape.some((d, i) => d !== expected[i])) {
      throw new RangeError(
        `grad.coefficients must have the shape of the coefficients [${expected.join(', ')}]; got [${g.shape.join(', ')}]`,
      );
    }
    assertHalfState('grad.coefficients', g, true);
    const factor = diagonalKernelFactors(Lambda, dt, method, options).factor.data;
    for (let b = 0; b < bSize.count; b++) {
      for (let c = 0; c < cSize.count; c++) {
        const o = (b * cSize.count + c) * block;
        for (let i = 0; i < block; i++) {
          const gi = getComplex(g.data, o + i);
          const bi = getComplex(B.data, b * block + i);
          const ci = getComplex(C.data, c * block + i);
          const f = getComplex(factor, i);
          addTo(gB, b * block + i, cmul(cconj(cmul(ci, f)), gi));
          addTo(gC, c * block + i, cmul(cconj(cmul(bi, f)), gi));
          addTo(gFactor, i, cmul(cconj(cmul(bi, ci)), gi));
        }
      }
    }
  }
  const shape = [size.H, size.halfN];
  const rest = diagonalKernelFactorsVjp(
    Lambda,
    dt,
    method,
    { factor: { data: gFactor, shape }, exponent: grad.exponent },
    options,
  );
  return { ...rest, B: { data: gB, shape: [...B.shape] }, C: { data: gC, shape: [...C.shape] } };
}

/** a[i] += z (complex, interleaved). */
function addTo(a: ComplexArray, i: number, z: Complex): void {
  a[2 * i] += z.re;
  a[2 * i + 1] += z.im;
}
