import { complexTensor, type RealArray } from '@statespace/complex';
import {
  type DiagKernelGrads,
  type DiagKernelParams,
  finishDiagKernelVjp,
  momentRows,
  prepareDiagKernelVjp,
  type WithGrad,
} from '@statespace/kernels';
import { float32 } from '../float32';
import type { GpuJsOp } from './op';
import { vandermondeTransposeOp } from './vandermonde';

/**
 * The backend's `diagKernelVjp` on gpu.js: the host steps shared with every backend
 * (`prepareDiagKernelVjp`, `finishDiagKernelVjp`) around the heavy step, the moments Σ_l g_l·e^{x·l}
 * and Σ_l l·g_l·e^{x·l} of the gradient rows — one transposed Vandermonde product with unit
 * coefficients over the rows [g; l·g] (`momentRows`) on the device.
 * @throws RangeError as the CPU version does, and for L > 2¹⁸ (float32 phase reduction).
 */
export const diagKernelVjpOp: GpuJsOp<WithGrad<DiagKernelParams>, DiagKernelGrads<RealArray>> = {
  async run(rt, input) {
    const problem = prepareDiagKernelVjp(input, input.grad);
    const { channels, H, N2, L, exponent } = problem;
    const ones = new Float32Array(2 * H * N2);
    for (let i = 0; i < ones.length; i += 2) ones[i] = 1;
    const { out } = await vandermondeTransposeOp.run(rt, {
      u: { data: momentRows(float32(input.grad.data), channels * H, L), shape: [2 * channels, H, L] },
      v: complexTensor(ones, [H, N2]),
      x: exponent,
    });
    const half = 2 * channels * H * N2;
    return finishDiagKernelVjp(problem, out.data.subarray(0, half), out.data.subarray(half));
  },
  largestArray({ Lambda, C, L }) {
    const [H = 0, N2 = 0] = Lambda?.shape ?? [];
    const channels = C?.shape?.[0] ?? 1;
    return Math.max(2 * channels * H * (L ?? 0), 4 * channels * H * N2, 8 * H * N2);
  },
};
