import { type DiagKernelParams, prepareDiagKernel, type SsmKernelOutput } from '@statespace/kernels';
import type { GpuJsOp } from './op';
import { checkPhaseRange, runVandermonde, vandermondeModes } from './vandermonde';

// The S4D kernel of a layer (official `SSMKernelDiag.forward(L, state, rate)`) on gpu.js: the host
// preparation shared with every backend (`prepareDiagKernel`: validation, coefficients, exponents
// and shifts in float64, O(rows·H·N2)), then one Vandermonde kernel for every row and one
// readback. Reflected dss modes (Re Λ > 0) keep their shift L − 1 in the mode table, so their terms
// exp(ΔΛ·(l − L + 1)) (|·| ≤ 1) need no second, reversed product.

/**
 * The backend's `diagKernel` on gpu.js (see the CPU `diagKernel` for the semantics): `K` real
 * [channels, H, L] and, with `state`, `K_state` [batch, channels, H, L].
 * @throws RangeError as the CPU version, and for L > 2¹⁸ (float32 phase reduction).
 */
export const diagKernelOp: GpuJsOp<DiagKernelParams, SsmKernelOutput> = {
  async run(rt, params) {
    const { H, N2, channels, batch, L, v, exponent, shift } = prepareDiagKernel(params);
    checkPhaseRange(L, shift);
    const rows = (1 + batch) * channels;
    if (rows * H * L === 0 || N2 === 0) {
      const zeros = new Float32Array(rows * H * L);
      const K = { data: zeros.subarray(0, channels * H * L), shape: [channels, H, L] };
      if (params.state === undefined) return { K };
      return { K, K_state: { data: zeros.subarray(channels * H * L), shape: [batch, channels, H, L] } };
    }
    const out = await runVandermonde(rt, Float32Array.from(v), vandermondeModes(exponent, shift), {
      rows,
      H,
      N2,
      L,
    });
    const data = await rt.read(out, rows * H * L);
    if (params.state === undefined) return { K: { data, shape: [channels, H, L] } };
    const block = channels * H * L;
    return {
      K: { data: data.subarray(0, block), shape: [channels, H, L] },
      K_state: { data: data.subarray(block), shape: [batch, channels, H, L] },
    };
  },
  largestArray(params) {
    const [H = 0, N2 = 0] = params?.Lambda?.shape ?? [];
    const rows = (1 + (params?.state?.shape?.[0] ?? 0)) * (params?.C?.shape?.[0] ?? 1);
    return Math.max(2 * rows * H * N2, rows * H * (params?.L ?? 0), 8 * H * N2);
  },
};
