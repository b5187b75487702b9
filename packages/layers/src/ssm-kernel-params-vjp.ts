import type { RealArray } from '@statespace/complex';
import { paramTransformVjp } from '@statespace/discretize';
import type { SsmKernelConfig } from './ssm-kernel-options';

/** Gradients with respect to the outputs of `SSMKernel.params()` (complex ones interleaved). */
export interface SsmKernelParamsGrad {
  /** ∂ℓ/∂Λ, complex [H, N2]. */
  Lambda: ArrayLike<number>;
  /** ∂ℓ/∂B, complex [H, N2]. */
  B: ArrayLike<number>;
  /** ∂ℓ/∂C (or C̃), complex [channels, H, N2]. */
  C: ArrayLike<number>;
  /** ∂ℓ/∂Δ, of inv_dt's shape. */
  dt: ArrayLike<number>;
  /** ∂ℓ/∂P, complex [rank, H, N2] (S4). */
  P?: ArrayLike<number>;
}

/** The stored tensors that `SSMKernel.params()` transforms (values at the forward pass). */
export interface SsmKernelStored {
  A_real: RealArray;
  A_imag: RealArray | undefined;
  inv_dt: RealArray;
}

/** Gradients with respect to an SSM kernel's stored tensors, in their shapes, float64. */
export interface SsmKernelStoredGrads {
  A_real: Float64Array;
  A_imag: Float64Array | undefined;
  B: Float64Array;
  C: Float64Array;
  inv_dt: Float64Array;
  P: Float64Array | undefined;
}

/**
 * The vector-Jacobian product of `SSMKernel.params()`: Λ = −T_re(A_real) − i·T_im(A_imag),
 * B and P repeated from n_ssm copies over H (their gradients sum over the copies), C as stored
 * (`is_real` keeps the real parts), Δ = T_dt(inv_dt) (T_dt(sinh(inv_dt)) with `dt_fast`). The
 * transforms' derivatives are `paramTransformVjp`'s. The band limit is C's mask, which the kernel's
 * VJP applies (see `diagKernelVjp`).
 */
export function ssmKernelParamsVjp(
  config: SsmKernelConfig,
  stored: SsmKernelStored,
  grad: SsmKernelParamsGrad,
): SsmKernelStoredGrads {
  const { H, N2, n_ssm: S, rank, is_real } = config;
  const size = S * N2;
  const gRe = new Float64Array(size);
  const gIm = new Float64Array(size);
  const gB = new Float64Array(is_real ? size : 2 * size);
  for (let h = 0; h < H; h++) {
    for (let n = 0; n < N2; n++) {
      const o = h * N2 + n;
      const i = (h % S) * N2 + n;
      gRe[i] -= grad.Lambda[2 * o];
      gIm[i] -= grad.Lambda[2 * o + 1];
      if (is_real) gB[i] += grad.B[2 * o];
      else {
        gB[2 * i] += grad.B[2 * o];
        gB[2 * i + 1] += grad.B[2 * o + 1];
      }
    }
  }
  const gC = is_real
    ? Float64Array.from({ length: grad.C.length / 2 }, (_, i) => grad.C[2 * i])
    : Float64Array.from(grad.C);
  const invDt = config.dt_fast ? stored.inv_dt.map(Math.sinh) : stored.inv_dt;
  const gInvDt = paramTransformVjp(invDt, config.dt_transform, Float64Array.from(grad.dt));
  if (config.dt_fast) for (let i = 0; i < gInvDt.length; i++) gInvDt[i] *= Math.cosh(stored.inv_dt[i]);
  let gP: Float64Array | undefined;
  if (grad.P !== undefined) {
    gP = new Float64Array(2 * rank * size);
    for (let r = 0; r < rank; r++) {
      for (let h = 0; h < H; h++) {
        const from = 2 * (r * H + h) * N2;
        const to = 2 * (r * S + (h % S)) * N2;
        for (let k = 0; k < 2 * N2; k++) gP[to + k] += grad.P[from + k];
      }
    }
  }
  return {
    A_real: paramTransformVjp(stored.A_real, config.real_transform, gRe),
    A_imag: stored.A_imag && paramTransformVjp(stored.A_imag, config.imag_transform, gIm),
    B: gB,
    C: gC,
    inv_dt: gInvDt,
    P: gP,
  };
}
