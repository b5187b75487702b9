import {
  type DiagKernelParams,
  type DiagKernelProblem,
  prepareDiagKernel,
  type SsmKernelOutput,
} from '@statespace/kernels';
import type { GpuArray, GpuContext } from '../gpu-context';
import type { GpuOp } from './op';
import { recordVandermonde, vandermondeModes } from './vandermonde';

// The S4D kernel (official `SSMKernelDiag.forward(L, state, rate)`): the host preparation shared
// with the CPU backend (`prepareDiagKernel`: coefficients, exponents and shifts in float64,
// O(rows·H·N2)), then one Vandermonde pass on the GPU for every row and one readback. Reflected dss modes (Re Λ > 0) keep their shift L − 1 in
// the mode table, so their terms exp(ΔΛ·(l − L + 1)) (|·| ≤ 1) need no second, reversed product.

/** The GPU-resident result of {@link recordDiagKernel} and its sizes. */
export interface DiagKernelArrays {
  /**
   * Real [(1 + batch)·channels, H, L]: the rows of K ([channels, H, L]) first, then those of
   * K_state ([batch, channels, H, L]) when a state was given.
   */
  out: GpuArray;
  channels: number;
  batch: number;
  H: number;
  L: number;
}

/**
 * Records the S4D (diagonal) kernel of a layer on the GPU from its prepared problem
 * (`prepareDiagKernel` of @statespace/kernels, shared with the CPU: `zoh`, `bilinear` or `dss`,
 * `rate`, `bandlimit`, initial states) and returns it there, for chaining (e.g. into an FFT
 * convolution): one Vandermonde pass. The caller releases `out`.
 */
export function recordDiagKernel(ctx: GpuContext, problem: DiagKernelProblem): DiagKernelArrays {
  const { H, N2, channels, batch, L, v, exponent, shift } = problem;
  const rows = (1 + batch) * channels;
  const vBuf = ctx.upload(Float32Array.from(v));
  const modes = ctx.upload(vandermondeModes(exponent, shift));
  const out = recordVandermonde(ctx, { v: vBuf, modes, rows, H, N2, L });
  ctx.release(vBuf, modes);
  return { out, channels, batch, H, L };
}

/**
 * The backend's `diagKernel`: {@link recordDiagKernel} and one readback. Returns `K` real
 * [channels, H, L] and, with `state`, `K_state` [batch, channels, H, L].
 */
export const diagKernelOp: GpuOp<DiagKernelParams, SsmKernelOutput> = {
  async run(ctx, params) {
    const { out, channels, batch, H, L } = recordDiagKernel(ctx, prepareDiagKernel(params));
    const sum = await ctx.read(out);
    ctx.release(out);
    if (params.state === undefined) return { K: { data: sum, shape: [channels, H, L] } };
    const block = channels * H * L;
    return {
      K: { data: sum.slice(0, block), shape: [channels, H, L] },
      K_state: { data: sum.slice(block), shape: [batch, channels, H, L] },
    };
  },
  largestBuffer(params) {
    const [H = 0, N2 = 0] = params.Lambda?.shape ?? [];
    const rows = (1 + (params.state?.shape[0] ?? 0)) * (params.C?.shape[0] ?? 1);
    return Math.max(rows * H * N2 * 8, rows * H * params.L * 4, H * N2 * 32);
  },
};
