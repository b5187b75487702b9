import { type ComplexTensor, type RealArray, type Tensor, tensor } from '@statespace/complex';
import { diagonalKernelCoefficients, diagonalKernelCoefficientsVjp } from '@statespace/discretize';
import type { DiagKernelParams } from './diag-kernel';
import { checkKernelGrad } from './kernel-grad';
import { complexShape, modeSteps } from './parameters';
import { vandermondeMoments, vandermondeVjpFromMoments } from './vandermonde-vjp';

/** The gradients of `diagKernel`'s K with respect to its parameters (float64 from the CPU function). */
export interface DiagKernelGrads<A extends RealArray = Float64Array> {
  /** ∂ℓ/∂Λ, complex [H, N2]. */
  Lambda: ComplexTensor<A>;
  /** ∂ℓ/∂B, complex [H, N2]. */
  B: ComplexTensor<A>;
  /** ∂ℓ/∂C, complex [channels, H, N2] (0 on band-limited modes). */
  C: ComplexTensor<A>;
  /** ∂ℓ/∂Δ, of dt's shape (tied steps sum over their modes). */
  dt: Tensor<A>;
}

/**
 * The vector-Jacobian product of `diagKernel(params).K`: given `grad` = ∂ℓ/∂K, real
 * [channels, H, L], returns the gradients with respect to Λ, B, C and Δ, in float64. It composes
 * the VJPs of the forward's pieces in reverse: the Vandermonde sum K = 2·Re Σ v·e^{x·l}
 * (`vandermondeVjp`, with ½ for dss, whose K is Re), then v = B·C·factor(Λ, Δ·rate) and
 * x = exponent(Λ, Δ·rate) (`diagonalKernelCoefficientsVjp`); Δ's gradient is multiplied by the
 * rate. The modes a band limit removes have zero coefficients, so they contribute nothing (and C
 * gets 0 there).
 *
 * The heavy step is the moments of the gradient rows (a transposed Vandermonde product, see
 * `vandermondeMoments`); backends run it themselves between {@link prepareDiagKernelVjp} and
 * {@link finishDiagKernelVjp}, which this function calls around the CPU one.
 *
 * @throws RangeError as `diagKernel` for bad parameters, when `grad` is not [channels, H, L],
 *   with `state` (the state kernel has no VJP here), or for dss modes with Re Λ > 0 (reflected).
 */
export function diagKernelVjp(params: DiagKernelParams, grad: Tensor): DiagKernelGrads {
  const problem = prepareDiagKernelVjp(params, grad);
  const { channels, H, L, exponent } = problem;
  const [s0, s1] = vandermondeMoments(Float64Array.from(grad.data), channels, H, L, exponent);
  return finishDiagKernelVjp(problem, s0, s1);
}

/**
 * The host steps of an S4D kernel VJP before its heavy step, shared by every backend: the
 * validated sizes and the Vandermonde problem of the forward (coefficients and exponents, float64).
 * The heavy step is the moments of `grad` (real [channels, H, L]) at `exponent`:
 * S0 = Σ_l g_l·e^{x·l} and S1 = Σ_l l·g_l·e^{x·l}, complex [channels, H, N2] each.
 */
export interface DiagKernelVjpProblem {
  H: number;
  N2: number;
  channels: number;
  L: number;
  /** Complex [channels, H, N2]: the coefficients v = B·C·factor (C zeroed on band-limited modes). */
  coefficients: ComplexTensor<Float64Array>;
  /** Complex [H, N2]: the exponents x (the modes' log-poles). */
  exponent: ComplexTensor<Float64Array>;
  /** The forward's parameters, for the finish. */
  readonly params: DiagKernelParams;
  /** The rest of the finish's state. */
  readonly internal: {
    args: DiagCoefficientArgs;
    removed: Uint8Array;
    /** ½ for dss (whose K is Re, not 2·Re), 1 otherwise. */
    half: number;
  };
}

type DiagCoefficientArgs = readonly [
  ComplexTensor<Float64Array>,
  ComplexTensor<Float64Array>,
  ComplexTensor<Float64Array>,
  Tensor<Float64Array>,
  DiagKernelParams['disc'],
];

/**
 * Validates an S4D kernel VJP's input and prepares its Vandermonde problem (see
 * {@link DiagKernelVjpProblem}).
 * @throws as {@link diagKernelVjp}.
 */
export function prepareDiagKernelVjp(params: DiagKernelParams, grad: Tensor): DiagKernelVjpProblem {
  const [H, N2] = complexShape('Lambda', params.Lambda, ['H', 'N2']);
  const [channels] = complexShape('C', params.C, ['channels', 'H', 'N2'], [undefined, H, N2]);
  complexShape('B', params.B, ['H', 'N2'], [H, N2]);
  const { L, disc, bandlimit } = params;
  const rate = params.rate ?? 1;
  if (params.state !== undefined) throw new RangeError('diagKernelVjp has no gradient for state');
  checkKernelGrad(grad, channels, H, L);
  const dtRaw = modeSteps(params.dt, H, N2);
  // The modes a band limit removes have zero coefficients: C zeroed there (and C's gradient).
  const removed = new Uint8Array(H * N2);
  if (bandlimit !== undefined) {
    const lambda = params.Lambda.data;
    for (let m = 0; m < H * N2; m++) {
      removed[m] = (dtRaw[m] * Math.abs(lambda[2 * m + 1])) / (2 * Math.PI) < bandlimit / 2 ? 0 : 1;
    }
  }
  const C = Float64Array.from(params.C.data);
  zeroRemoved(C, removed, channels);
  const args: DiagCoefficientArgs = [
    { data: Float64Array.from(params.Lambda.data), shape: [H, N2] },
    { data: Float64Array.from(params.B.data), shape: [H, N2] },
    { data: C, shape: [channels, H, N2] },
    tensor(
      Float64Array.from(dtRaw, (d) => d * rate),
      [H, N2],
    ),
    disc,
  ];
  const { coefficients, exponent, shift, scale } = diagonalKernelCoefficients(...args, { L });
  if (shift.data.some((s) => s !== 0)) {
    throw new RangeError('diagKernelVjp does not differentiate dss modes with Re Λ > 0 (reflected modes)');
  }
  return {
    H,
    N2,
    channels,
    L,
    coefficients: coefficients as ComplexTensor<Float64Array>,
    exponent: exponent as ComplexTensor<Float64Array>,
    params,
    internal: { args, removed, half: scale === 1 ? 0.5 : 1 },
  };
}

/**
 * The host steps of an S4D kernel VJP after its heavy step: from the moments S0 and S1 of the
 * gradient (complex [channels, H, N2] each, any precision), the gradients with respect to Λ, B, C
 * and Δ through `vandermondeVjpFromMoments` and `diagonalKernelCoefficientsVjp`, in float64.
 */
export function finishDiagKernelVjp(
  problem: DiagKernelVjpProblem,
  s0: ArrayLike<number>,
  s1: ArrayLike<number>,
): DiagKernelGrads {
  const { H, N2, channels, L, coefficients, params } = problem;
  const { args, removed, half } = problem.internal;
  const rate = params.rate ?? 1;
  const dv = vandermondeVjpFromMoments(coefficients, s0, s1, coefficients.data);
  // ½ (dss) scales the gradient exactly, after the moments as before them.
  if (half !== 1) for (const t of [dv.v.data, dv.x.data]) for (let i = 0; i < t.length; i++) t[i] *= half;
  const g = diagonalKernelCoefficientsVjp(...args, { coefficients: dv.v, exponent: dv.x }, { L });
  // Tied steps: dt [H] or [H, 1]; the VJP summed over modes into [H, N2]'s shape — fold to dt's.
  const gDt = new Float64Array(params.dt.data.length);
  const perMode = gDt.length === H * N2;
  for (let m = 0; m < H * N2; m++) gDt[perMode ? m : Math.floor(m / N2)] += g.dt.data[m] * rate;
  const gC = g.C.data as Float64Array;
  zeroRemoved(gC, removed, channels);
  return {
    Lambda: g.Lambda as ComplexTensor<Float64Array>,
    B: g.B as ComplexTensor<Float64Array>,
    C: { data: gC, shape: [channels, H, N2] },
    dt: { data: gDt, shape: [...params.dt.shape] },
  };
}

/** Zeroes the entries of complex [channels, H·N2] `a` on the removed modes. */
function zeroRemoved(a: Float64Array, removed: Uint8Array, channels: number): void {
  const HN = removed.length;
  for (let c = 0; c < channels; c++) {
    for (let m = 0; m < HN; m++) if (removed[m]) a.fill(0, 2 * (c * HN + m), 2 * (c * HN + m) + 2);
  }
}
