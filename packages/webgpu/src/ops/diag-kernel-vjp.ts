import type { RealArray } from '@statespace/complex';
import {
  type DiagKernelGrads,
  type DiagKernelParams,
  type DiagKernelVjpProblem,
  finishDiagKernelVjp,
  prepareDiagKernelVjp,
  type WithGrad,
} from '@statespace/kernels';
import type { GpuArray, GpuContext } from '../gpu-context';
import type { GpuOp } from './op';
import { recordVandermondeMoments, vandermondeModes } from './vandermonde';

/**
 * Records the heavy step of an S4D kernel VJP on the GPU from its prepared problem
 * (`prepareDiagKernelVjp` of @statespace/kernels) and the gradient ∂ℓ/∂K on the GPU (real
 * [channels, H, L]): the moments Σ_l g_l·e^{x·l} and Σ_l l·g_l·e^{x·l} of every gradient row, one
 * transposed Vandermonde pass. Returns complex [2, channels, H, N2] (S0 then S1, for
 * `finishDiagKernelVjp`); the caller releases it.
 */
export function recordDiagKernelVjp(
  ctx: GpuContext,
  problem: DiagKernelVjpProblem,
  grad: GpuArray,
): GpuArray {
  const { channels, H, N2, L, exponent } = problem;
  const modes = ctx.upload(vandermondeModes(exponent.data));
  const sums = recordVandermondeMoments(ctx, { u: grad, modes, rows: channels, H, N2, L });
  ctx.release(modes);
  return sums;
}

/**
 * The backend's `diagKernelVjp`: the host steps shared with the CPU (`prepareDiagKernelVjp`, the
 * forward's coefficients and exponents in float64, and `finishDiagKernelVjp`, the chain rule back
 * to Λ, B, C and Δ: O(channels·H·N2)), around {@link recordDiagKernelVjp} (O(channels·H·N2·L)) and
 * one readback. (The backend returns the gradients as float32.)
 */
export const diagKernelVjpOp: GpuOp<WithGrad<DiagKernelParams>, DiagKernelGrads<RealArray>> = {
  async run(ctx, input) {
    const problem = prepareDiagKernelVjp(input, input.grad);
    const grad = ctx.upload(input.grad.data as Float32Array);
    const sums = recordDiagKernelVjp(ctx, problem, grad);
    ctx.release(grad);
    const data = await ctx.read(sums);
    ctx.release(sums);
    const half = 2 * problem.channels * problem.H * problem.N2;
    return finishDiagKernelVjp(problem, data.subarray(0, half), data.subarray(half));
  },
  largestBuffer({ Lambda, C, L }) {
    const [H = 0, N2 = 0] = Lambda?.shape ?? [];
    const channels = C?.shape?.[0] ?? 1;
    return Math.max(4 * channels * H * L, 16 * channels * H * N2, 32 * H * N2);
  },
};
