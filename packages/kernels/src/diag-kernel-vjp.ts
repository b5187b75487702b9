import { type ComplexTensor, type Tensor, tensor } from '@statespace/complex';
import { diagonalKernelCoefficients, diagonalKernelCoefficientsVjp } from '@statespace/discretize';
import type { DiagKernelParams } from './diag-kernel';
import { complexShape, modeSteps } from './parameters';
import { vandermondeVjp } from './vandermonde-vjp';

/** The gradients of `diagKernel`'s K with respect to its parameters. */
export interface DiagKernelGrads {
  /** ∂ℓ/∂Λ, complex [H, N2]. */
  Lambda: ComplexTensor<Float64Array>;
  /** ∂ℓ/∂B, complex [H, N2]. */
  B: ComplexTensor<Float64Array>;
  /** ∂ℓ/∂C, complex [channels, H, N2] (0 on band-limited modes). */
  C: ComplexTensor<Float64Array>;
  /** ∂ℓ/∂Δ, of dt's shape (tied steps sum over their modes). */
  dt: Tensor<Float64Array>;
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
 * @throws RangeError as `diagKernel` for bad parameters, when `grad` is not [channels, H, L],
 *   with `state` (the state kernel has no VJP here), or for dss modes with Re Λ > 0 (reflected).
 */
export function diagKernelVjp(params: DiagKernelParams, grad: Tensor): DiagKernelGrads {
  const [H, N2] = complexShape('Lambda', params.Lambda, ['H', 'N2']);
  const [channels] = complexShape('C', params.C, ['channels', 'H', 'N2'], [undefined, H, N2]);
  complexShape('B', params.B, ['H', 'N2'], [H, N2]);
  const { L, disc, bandlimit } = params;
  const rate = params.rate ?? 1;
  if (params.state !== undefined) throw new RangeError('diagKernelVjp has no gradient for state');
  const expected = [channels, H, L];
  if (grad?.shape?.length !== 3 || grad.shape.some((d, i) => d !== expected[i])) {
    throw new RangeError(
      `grad must have shape [channels, H, L] = [${expected.join(', ')}]; got [${grad?.shape?.join(', ') ?? ''}]`,
    );
  }
  const dtRaw = modeSteps(params.dt, H, N2);
  // The modes a band limit removes have zero coefficients: C zeroed there (and C's gradient below).
  const removed = new Uint8Array(H * N2);
  if (bandlimit !== undefined) {
    const lambda = params.Lambda.data;
    for (let m = 0; m < H * N2; m++) {
      removed[m] = (dtRaw[m] * Math.abs(lambda[2 * m + 1])) / (2 * Math.PI) < bandlimit / 2 ? 0 : 1;
    }
  }
  const C = Float64Array.from(params.C.data);
  const zeroRemoved = (a: Float64Array) => {
    for (let c = 0; c < channels; c++) {
      for (let m = 0; m < H * N2; m++)
        if (removed[m]) a.fill(0, 2 * (c * H * N2 + m), 2 * (c * H * N2 + m) + 2);
    }
  };
  zeroRemoved(C);
  const args = [
    { data: Float64Array.from(params.Lambda.data), shape: [H, N2] },
    { data: Float64Array.from(params.B.data), shape: [H, N2] },
    { data: C, shape: [channels, H, N2] },
    tensor(
      Float64Array.from(dtRaw, (d) => d * rate),
      [H, N2],
    ),
    disc,
  ] as const;
  const { coefficients, exponent, shift, scale } = diagonalKernelCoefficients(...args, { L });
  if (shift.data.some((s) => s !== 0)) {
    throw new RangeError('diagKernelVjp does not differentiate dss modes with Re Λ > 0 (reflected modes)');
  }
  const half = scale === 1 ? 0.5 : 1;
  const dv = vandermondeVjp(
    coefficients,
    exponent,
    L,
    tensor(
      Float64Array.from(grad.data, (g) => g * half),
      expected,
    ),
  );
  const g = diagonalKernelCoefficientsVjp(...args, { coefficients: dv.v, exponent: dv.x }, { L });
  // Tied steps: dt [H] or [H, 1]; the VJP summed over modes into [H, N2]'s shape — fold to dt's.
  const gDt = new Float64Array(params.dt.data.length);
  const perMode = gDt.length === H * N2;
  for (let m = 0; m < H * N2; m++) gDt[perMode ? m : Math.floor(m / N2)] += g.dt.data[m] * rate;
  const gC = g.C.data as Float64Array;
  zeroRemoved(gC);
  return {
    Lambda: g.Lambda as ComplexTensor<Float64Array>,
    B: g.B as ComplexTensor<Float64Array>,
    C: { data: gC, shape: [channels, H, N2] },
    dt: { data: gDt, shape: [...params.dt.shape] },
  };
}
