import type { DeviceValue, GpuJsRuntime, KernelThis } from '../runtime';
import { kernelSource } from '../runtime';
import type { CauchyDims } from './cauchy';

// The transposed conjugate-pair Cauchy sums of the Cauchy VJP (`cauchyVjp` of @statespace/kernels),
// one gpu.js thread per output number: for the gradient g[b,h,l] of the sums r[b,h,l], with
// a = 1/(z_l − w[h,n]) and c = 1/(z_l − conj w[h,n]),
//
//   S1 = Σ_l conj(a)·g + c·conj(g),  S2 = Σ_l conj(a²)·g + c²·conj(g),  S3 = Σ_l conj(z·a²)·g + z·c²·conj(g)
//
// (∂ℓ/∂v, and what ∂ℓ/∂w and ∂ℓ/∂Δ come from: `cauchyGradsFromSums`). The output is
// [6·N2, batch·H]: x = 2·(k·N2 + n) + part for sum k + 1, part 0 the real and 1 the imaginary
// part; row = b·H + h. Nodes flagged infinite in the node table (the S4 Nyquist marker) add nothing.

function cauchyTransposeKernel(this: KernelThis, g: number[][][], w: number[][], z: number[][]): number {
  const x = this.thread.x;
  const row = this.thread.y;
  const N2 = this.constants.N2;
  const pair = Math.floor((x + 0.5) / 2);
  const part = x - 2 * pair;
  const sum = Math.floor((pair + 0.5) / N2);
  const n = pair - sum * N2;
  const b = Math.floor((row + 0.5) / this.constants.H);
  const h = row - b * this.constants.H;
  const wr = w[h][2 * n];
  const wi = w[h][2 * n + 1];
  let acc = 0;
  for (let l = 0; l < this.constants.Lz; l++) {
    if (z[l][2] > 0.5) {
      const zr = z[l][0];
      const zi = z[l][1];
      const dr = zr - wr;
      const d1 = zi - wi;
      const d2 = zi + wi;
      const q1 = 1 / (dr * dr + d1 * d1);
      const q2 = 1 / (dr * dr + d2 * d2);
      // p = a, q = c; then a², c² (sums 2 and 3); then z·a², z·c² (sum 3).
      let pr = dr * q1;
      let pi = -d1 * q1;
      let qr = dr * q2;
      let qi = -d2 * q2;
      if (sum > 0.5) {
        const p2r = pr * pr - pi * pi;
        const p2i = 2 * pr * pi;
        const q2r = qr * qr - qi * qi;
        const q2i = 2 * qr * qi;
        pr = p2r;
        pi = p2i;
        qr = q2r;
        qi = q2i;
      }
      if (sum > 1.5) {
        const zpr = zr * pr - zi * pi;
        const zpi = zr * pi + zi * pr;
        const zqr = zr * qr - zi * qi;
        const zqi = zr * qi + zi * qr;
        pr = zpr;
        pi = zpi;
        qr = zqr;
        qi = zqi;
      }
      const gr = g[b][h][2 * l];
      const gi = g[b][h][2 * l + 1];
      // conj(p)·g + q·conj(g)
      if (part < 0.5) {
        acc += (pr + qr) * gr + (pi + qi) * gi;
      } else {
        acc += (qi - pi) * gr + (pr - qr) * gi;
      }
    }
  }
  return acc;
}

const CAUCHY_TRANSPOSE_SOURCE = kernelSource(cauchyTransposeKernel);

/**
 * Runs the transposed Cauchy sums on the device; returns them there, [6·N2, batch·H] (see above).
 * `g` is float32 complex [batch, H, Lz], `w` [H, N2], `nodes` the table of `cauchyNodes`.
 */
export function runCauchyTranspose(
  rt: GpuJsRuntime,
  g: Float32Array,
  w: Float32Array,
  nodes: Float32Array,
  { batch, H, N2, Lz }: CauchyDims,
): Promise<DeviceValue> {
  return rt.run(
    {
      key: `cauchy-transpose:${batch}x${H}x${N2}:${Lz}`,
      source: CAUCHY_TRANSPOSE_SOURCE,
      output: [6 * N2, batch * H],
      constants: { H, N2, Lz },
    },
    [rt.input(g, [2 * Lz, H, batch]), rt.input(w, [2 * N2, H]), rt.input(nodes, [3, Lz])],
  );
}
