import { assertFinite, type Tensor } from '@statespace/complex';
import {
  bilinearFactor,
  type DplrKernelParams,
  type DplrKernelProblem,
  dplrKernelLengths,
  prepareDplrKernel,
  type SsmKernelOutput,
} from '@statespace/kernels';
import type { GpuArray, GpuContext } from '../gpu-context';
import { recordCauchy } from './cauchy';
import { realFftBytes, recordIrfft, recordPadRows } from './fft';
import type { GpuOp } from './op';
import { MAX_WOODBURY_RANK, recordWoodbury } from './woodbury';

/** The shared host preparation (float64), plus this backend's rank limit. */
function prepare(params: DplrKernelParams): DplrKernelProblem {
  return checkGpuRank(prepareDplrKernel(params));
}

/** The problem, after checking that this backend's Woodbury kernels handle its rank. */
export function checkGpuRank<P extends { R: number }>(problem: P): P {
  if (problem.R > MAX_WOODBURY_RANK) {
    throw new RangeError(
      `P must have rank ≤ ${MAX_WOODBURY_RANK} on the WebGPU backend; got rank ${problem.R}`,
    );
  }
  return problem;
}

/** Sizes of the stacked problem without the host preparation (malformed shapes count as 0: `run` rejects them). */
export function stackDims(params: DplrKernelParams) {
  const [R = 0, H = 0, N2 = 0] = params?.P?.shape ?? [];
  const nb = 1 + (params?.state?.shape?.[0] ?? 0);
  const channels = params?.C?.shape?.[0] ?? 0;
  const cols = channels + R;
  const { discreteL } = dplrKernelLengths(params?.lKernel, params?.rate ?? 1, params?.L);
  return { H, N2, nb, channels, rows: nb + R, cols, discreteL, Lz: Math.floor(discreteL / 2) + 1 };
}

/**
 * Records the S4 kernel of a layer on the GPU from its prepared problem and returns it there, for
 * chaining: Cauchy sums → Woodbury correction with the bilinear factor and the Nyquist limit →
 * inverse real FFT → truncation to L. The result is real [(1 + batch)·channels, H, L]: K's rows,
 * then K_state's. The caller releases it.
 */
export function recordDplrKernel(ctx: GpuContext, p: DplrKernelProblem): GpuArray {
  const { H, N2, R, channels, nb, rows, cols, discreteL, L, nodes } = p;
  const Lz = nodes.count;
  const upload = (data: Float64Array) => ctx.upload(Float32Array.from(data));
  const inputs: GpuArray[] = [
    upload(p.v),
    upload(p.w),
    upload(nodes.z),
    upload(bilinearFactor(nodes.omega)),
    upload(p.limit ?? new Float64Array(1)),
  ];
  const [v, w, z, factor, limit] = inputs;
  const r = recordCauchy(ctx, { v, w, z, batch: rows * cols, H, N2, Lz });
  const nyquist = nodes.nyquist ? Lz - 1 : undefined;
  const spectrum = recordWoodbury(ctx, { r, factor, limit, nb, nc: channels, rank: R, H, Lz, nyquist });
  const count = nb * channels * H;
  const time = recordIrfft(ctx, spectrum, count, discreteL);
  const kept = L < discreteL ? recordPadRows(ctx, time, count, discreteL, L) : time;
  ctx.release(...inputs, r, spectrum);
  if (kept !== time) ctx.release(time);
  return kept;
}

/**
 * The backend's `dplrKernel` on the GPU: the S4 kernel of a layer end to end (see the CPU
 * `dplrKernel` for the semantics). Host preparation is O(H·N2) in float64 (`prepareDplrKernel`,
 * shared with the CPU); the rest runs on the GPU ({@link recordDplrKernel}), with one readback.
 * Ranks 1 … 8.
 * @throws RangeError as the CPU version does on bad shapes, values and lengths, for a rank above
 *   8, and when the result is not finite (a singular Woodbury system at some node).
 */
export const dplrKernelOp: GpuOp<DplrKernelParams, SsmKernelOutput> = {
  async run(ctx, params) {
    const p = prepare(params);
    const { H, channels, batch, L } = p;
    const kernel = recordDplrKernel(ctx, p);
    const data = await ctx.read(kernel);
    ctx.release(kernel);
    try {
      assertFinite('the S4 kernel', data);
    } catch (error) {
      throw new RangeError(
        `${(error as Error).message}: I + r11 is singular, or float32 overflowed, at some node of the Woodbury solve`,
      );
    }
    const block = channels * H * L;
    if (params.state === undefined) return { K: { data, shape: [channels, H, L] } };
    const K: Tensor = { data: data.slice(0, block), shape: [channels, H, L] };
    return { K, K_state: { data: data.slice(block), shape: [batch, channels, H, L] } };
  },
  largestBuffer(params) {
    const { H, N2, nb, channels, rows, cols, discreteL, Lz } = stackDims(params);
    return Math.max(8 * rows * cols * H * Math.max(N2, Lz), realFftBytes(nb * channels * H, discreteL));
  },
};
