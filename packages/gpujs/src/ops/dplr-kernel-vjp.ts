import type { RealArray } from '@statespace/complex';
import {
  applyBilinearFactorVjp,
  cauchyGradsFromSums,
  type DplrKernelGrads,
  type DplrKernelParams,
  finishDplrKernelVjp,
  prepareDplrKernelVjp,
  type WithGrad,
  woodburyVjp,
} from '@statespace/kernels';
import { float32 } from '../float32';
import { cauchyNodes, runCauchy } from './cauchy';
import { runCauchyTranspose } from './cauchy-transpose';
import { stackDims } from './dplr-kernel';
import { realFftLargest, runRfft } from './fft-real';
import type { GpuJsOp } from './op';

/**
 * The backend's `dplrKernelVjp` on gpu.js: the host steps shared with every backend
 * (`prepareDplrKernelVjp`, `cauchyGradsFromSums`, `finishDplrKernelVjp`) around the forward's steps
 * backwards — the spectrum of ∂ℓ/∂K (the inverse FFT's adjoint: a real FFT on the device), its
 * scaling and the bilinear factor's VJP (host, O(channels·H·L)), the forward's Cauchy sums (device),
 * the Woodbury correction's VJP (host `woodburyVjp`, O(rows·cols·H·L·R), any rank), and the
 * transposed Cauchy sums S1, S2, S3 (device, O(rows·cols·H·N2·L), cauchy-transpose.ts).
 * @throws RangeError as the CPU version does, and when a result is not finite (a node on a pole,
 *   or float32 overflow).
 */
export const dplrKernelVjpOp: GpuJsOp<WithGrad<DplrKernelParams>, DplrKernelGrads<RealArray>> = {
  async run(rt, input) {
    const problem = prepareDplrKernelVjp(input, input.grad);
    const { H, N2, R, channels, rows, cols, discreteL, L, nodes } = problem;
    const Lz = nodes.count;
    const count = channels * H;
    const grad = {
      value: rt.input(float32(input.grad.data), [L, count]),
      device: false,
      width: L,
      rows: count,
    };
    const G = await rt.read(await runRfft(rt, grad, discreteL), 2 * count * Lz);
    // irfft's adjoint: bin l of the gradient is (c_l/n)·rfft(g)_l, c_l = 1 at bins 0 and n/2, 2 elsewhere.
    const spectrum = Float64Array.from(G, (g, i) => {
      const l = (i >> 1) % Lz;
      return (l === 0 || 2 * l === discreteL ? g : 2 * g) / discreteL;
    });
    const bilinear = applyBilinearFactorVjp({ data: spectrum, shape: [1, channels, H, Lz] }, nodes.omega);
    const batch = rows * cols;
    const dims = { batch, H, N2, Lz };
    const table = cauchyNodes(nodes.z);
    const w = Float32Array.from(problem.w);
    const r = await rt.read(
      await runCauchy(rt, Float32Array.from(problem.v), w, table, dims),
      2 * batch * H * Lz,
    );
    const gr = woodburyVjp({ data: Float64Array.from(r), shape: [rows, cols, H, Lz] }, R, bilinear.kf);
    const out = await runCauchyTranspose(rt, Float32Array.from(gr.data), w, table, dims);
    const data = await rt.read(out, 6 * batch * H * N2);
    if (!data.every(Number.isFinite)) {
      throw new RangeError(
        'the S4 kernel VJP is not finite: a node coincides with a pole, or float32 overflowed',
      );
    }
    // [batch·H, 3, N2] complex → three [batch, H, N2].
    const plane = 2 * batch * H * N2;
    const [s1, s2, s3] = [0, 1, 2].map((k) => {
      const s = new Float32Array(plane);
      for (let row = 0; row < batch * H; row++) {
        s.set(data.subarray((3 * row + k) * 2 * N2, (3 * row + k + 1) * 2 * N2), row * 2 * N2);
      }
      return s;
    });
    const limit = nodes.nyquist ? bilinear.limit.data : undefined;
    return finishDplrKernelVjp(input, problem, cauchyGradsFromSums(problem, { s1, s2, s3 }, limit));
  },
  largestArray(input) {
    const { H, N2, channels, rows, cols, discreteL } = stackDims(input);
    const Lz = Math.floor(discreteL / 2) + 1;
    return Math.max(
      realFftLargest(channels * H, discreteL),
      2 * rows * cols * H * Math.max(N2, Lz),
      6 * rows * cols * H * N2,
    );
  },
};
