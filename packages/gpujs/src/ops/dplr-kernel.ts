import { assertFinite } from '@statespace/complex';
import {
  bilinearFactor,
  type DplrKernelParams,
  type DplrKernelProblem,
  dplrKernelLengths,
  prepareDplrKernel,
  type SsmKernelOutput,
} from '@statespace/kernels';
import type { DeviceValue, GpuJsRuntime } from '../runtime';
import { cauchyNodes, runCauchy } from './cauchy';
import { realFftLargest, runIrfft } from './fft-real';
import type { GpuJsOp } from './op';
import { MAX_GPUJS_RANK, runWoodbury } from './woodbury';

// The S4 kernel of a layer (official `SSMKernelDPLR.forward`) on gpu.js: the host preparation
// shared with every backend (`prepareDplrKernel`: validation, lengths, B̂·Ĉ·Δ products, poles,
// nodes, the Nyquist limit; float64), then on the device Cauchy sums → Woodbury correction with
// the bilinear factor and the Nyquist limit → inverse real FFT truncated to L, and one readback.

/** The shared host preparation, plus this backend's rank limit. */
function prepare(params: DplrKernelParams): DplrKernelProblem {
  const problem = prepareDplrKernel(params);
  if (problem.R > MAX_GPUJS_RANK) {
    throw new RangeError(
      `P must have rank ≤ ${MAX_GPUJS_RANK} on the gpu.js backend (closed-form Woodbury solves); got rank ${problem.R}`,
    );
  }
  return problem;
}

/**
 * Runs the S4 kernel of a prepared problem on the device and returns it there: real
 * [L, (1 + batch)·channels·H] (gpu.js dimensions), the rows of K then those of K_state.
 */
export async function runDplrKernel(rt: GpuJsRuntime, p: DplrKernelProblem): Promise<DeviceValue> {
  const { H, N2, R, channels, nb, rows, cols, discreteL, L, nodes } = p;
  const Lz = nodes.count;
  const r = await runCauchy(rt, Float32Array.from(p.v), Float32Array.from(p.w), cauchyNodes(nodes.z), {
    batch: rows * cols,
    H,
    N2,
    Lz,
  });
  const spectrum = await runWoodbury(
    rt,
    r,
    Float32Array.from(bilinearFactor(nodes.omega), (f) => (Number.isFinite(f) ? f : 0)),
    p.limit ? Float32Array.from(p.limit) : new Float32Array(1),
    { nb, nc: channels, rank: R, H, Lz, nyquist: nodes.nyquist ? Lz - 1 : undefined },
  );
  return runIrfft(rt, { value: spectrum, device: true, width: Lz, rows: nb * channels * H }, discreteL, L);
}

/** Sizes of the stacked problem without the host preparation (malformed shapes count as 0). */
export function stackDims(params: DplrKernelParams) {
  const [R = 0, H = 0, N2 = 0] = params?.P?.shape ?? [];
  const nb = 1 + (params?.state?.shape?.[0] ?? 0);
  const channels = params?.C?.shape?.[0] ?? 0;
  const { discreteL } = dplrKernelLengths(params?.lKernel, params?.rate ?? 1, params?.L);
  return { H, N2, nb, channels, rows: nb + R, cols: channels + R, discreteL };
}

/**
 * The backend's `dplrKernel` on gpu.js (see the CPU `dplrKernel` for the semantics): ranks 1 and 2.
 * @throws RangeError as the CPU version on bad shapes, values and lengths; for a rank above 2; and
 *   when the result is not finite (a singular Woodbury system at some node, or float32 overflow).
 */
export const dplrKernelOp: GpuJsOp<DplrKernelParams, SsmKernelOutput> = {
  async run(rt, params) {
    const p = prepare(params);
    const { H, channels, batch, L, nb } = p;
    const value = await runDplrKernel(rt, p);
    const data = await rt.read(value, nb * channels * H * L);
    try {
      assertFinite('the S4 kernel', data);
    } catch (error) {
      throw new RangeError(
        `${(error as Error).message}: I + r11 is singular, or float32 overflowed, at some node of the Woodbury solve`,
      );
    }
    const block = channels * H * L;
    if (params.state === undefined) return { K: { data, shape: [channels, H, L] } };
    return {
      K: { data: data.subarray(0, block), shape: [channels, H, L] },
      K_state: { data: data.subarray(block), shape: [batch, channels, H, L] },
    };
  },
  largestArray(params) {
    const { H, N2, nb, channels, rows, cols, discreteL } = stackDims(params);
    const Lz = Math.floor(discreteL / 2) + 1;
    return Math.max(2 * rows * cols * H * Math.max(N2, Lz), realFftLargest(nb * channels * H, discreteL));
  },
};
