import type { RealArray } from '@statespace/complex';
import {
  bilinearFactor,
  cauchyGradsFromSums,
  type DplrKernelGrads,
  type DplrKernelParams,
  type DplrKernelProblem,
  finishDplrKernelVjp,
  prepareDplrKernelVjp,
  type WithGrad,
} from '@statespace/kernels';
import type { GpuArray, GpuContext } from '../gpu-context';
import { recordCauchy } from './cauchy';
import { cauchyTransposeBytes, recordCauchyTranspose } from './cauchy-transpose';
import { checkGpuRank, stackDims } from './dplr-kernel';
import { realFftBytes, recordRfft } from './fft';
import type { GpuOp } from './op';
import { recordWoodburyVjp } from './woodbury-vjp';

/** The GPU-resident result of {@link recordDplrKernelVjp}. */
export interface DplrKernelVjpArrays {
  /** Complex [3, rows·cols, H, N2]: the transposed Cauchy sums S1, S2, S3 (see cauchy-transpose.ts). */
  sums: GpuArray;
  /** Real [channels, H]: the gradient of the Nyquist node's limit (unwritten without that node). */
  limit: GpuArray;
}

/**
 * Records the heavy step of an S4 kernel VJP on the GPU from its prepared problem
 * (`prepareDplrKernelVjp` of @statespace/kernels, rank ≤ 8) and the gradient ∂ℓ/∂K on the GPU
 * (real [channels, H, L]): the forward's steps backwards — the spectrum of the gradient (the
 * inverse FFT's adjoint), the forward's Cauchy sums, the VJP of the Woodbury correction with the
 * bilinear factor and the Nyquist limit (woodbury-vjp.ts), and the transposed Cauchy sums
 * (cauchy-transpose.ts), whose readback `cauchyGradsFromSums` and `finishDplrKernelVjp` take. The
 * caller releases both arrays.
 */
export function recordDplrKernelVjp(
  ctx: GpuContext,
  problem: DplrKernelProblem,
  grad: GpuArray,
): DplrKernelVjpArrays {
  const { H, N2, R, channels, nb, rows, cols, discreteL, L, nodes } = problem;
  const Lz = nodes.count;
  const batch = rows * cols;
  const upload = (data: Float64Array) => ctx.upload(Float32Array.from(data));
  const inputs = [upload(problem.v), upload(problem.w), upload(nodes.z), upload(bilinearFactor(nodes.omega))];
  const [v, w, z, factor] = inputs;
  const spectrum = recordRfft(ctx, grad, channels * H, discreteL, L);
  const r = recordCauchy(ctx, { v, w, z, batch, H, N2, Lz });
  const gradients = recordWoodburyVjp(ctx, {
    r,
    spectrum,
    factor,
    nb,
    nc: channels,
    rank: R,
    H,
    Lz,
    n: discreteL,
    nyquist: nodes.nyquist ? Lz - 1 : undefined,
  });
  const sums = recordCauchyTranspose(ctx, { g: gradients.r, w, z, batch, H, N2, Lz });
  ctx.release(...inputs, spectrum, r, gradients.r);
  return { sums, limit: gradients.limit };
}

/**
 * The backend's `dplrKernelVjp`: the host steps shared with the CPU (`prepareDplrKernelVjp`, the
 * forward's Cauchy problem in float64; `cauchyGradsFromSums` and `finishDplrKernelVjp`, the chain
 * rule back to Λ, P, B, C̃ and Δ: O(rows·cols·H·N2)) around {@link recordDplrKernelVjp}, with one
 * readback of the sums (and one of the Nyquist limit's gradient). Δ's gradient comes from its own
 * transposed sums, which do not cancel in float32 (see `DplrCauchyGrads.delta`). Ranks 1 … 8; no
 * states.
 * @throws RangeError as the CPU version does, for a rank above 8, and when a result is not finite
 *   (a node on a pole, or a singular Woodbury system, in float32).
 */
export const dplrKernelVjpOp: GpuOp<WithGrad<DplrKernelParams>, DplrKernelGrads<RealArray>> = {
  async run(ctx, input) {
    const problem = checkGpuRank(prepareDplrKernelVjp(input, input.grad));
    const grad = ctx.upload(input.grad.data as Float32Array);
    const { sums, limit } = recordDplrKernelVjp(ctx, problem, grad);
    ctx.release(grad);
    const data = await ctx.read(sums);
    const limitData = problem.nodes.nyquist ? await ctx.read(limit) : undefined;
    ctx.release(sums, limit);
    if (!data.every(Number.isFinite)) {
      throw new RangeError(
        'the S4 kernel VJP is not finite: I + r11 is singular, a node coincides with a pole, or float32 overflowed',
      );
    }
    const plane = 2 * problem.rows * problem.cols * problem.H * problem.N2;
    const transposed = {
      s1: data.subarray(0, plane),
      s2: data.subarray(plane, 2 * plane),
      s3: data.subarray(2 * plane),
    };
    return finishDplrKernelVjp(input, problem, cauchyGradsFromSums(problem, transposed, limitData));
  },
  largestBuffer(input) {
    const { H, N2, channels, rows, cols, discreteL, Lz } = stackDims(input);
    return Math.max(
      8 * rows * cols * H * Math.max(N2, Lz),
      realFftBytes(channels * H, discreteL),
      cauchyTransposeBytes({ batch: rows * cols, H, N2, Lz }),
    );
  },
};
