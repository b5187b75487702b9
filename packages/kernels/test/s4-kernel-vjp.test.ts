import { complexTensor, createRng, tensor } from '@statespace/complex';
import { irfftVjp } from '@statespace/fft';
import { dplr } from '@statespace/hippo';
import { expectGradients } from '@statespace/testing';
import { describe, it } from 'vitest';
import {
  applyBilinearFactorVjp,
  cauchy,
  cauchyLimitVjp,
  cauchyVjp,
  dplrKernel,
  prepareDplrKernel,
  woodburyLimitVjp,
  woodburyVjp,
} from '../src/index';

// The S4 kernel's gradient with respect to C̃ by composing the VJPs of its steps in reverse order
// (inverse FFT, bilinear factor with the Nyquist node, Woodbury, Cauchy sums and their limit, then
// v = B̂·Ĉ·Δ), checked against central differences of `dplrKernel` itself.
describe('S4 kernel gradient with respect to C̃ by composed VJPs', () => {
  it.each([16, 15])('L = %i', (L) => {
    const rng = createRng(42);
    const H = 2;
    const N2 = 4;
    const channels = 2;
    const { A, P, B } = dplr('legs', 2 * N2, { H });
    const dt = tensor(Float64Array.from([0.05, 0.3]), [H]);
    const inputs = { C: Float64Array.from({ length: 2 * channels * H * N2 }, () => rng.normal()) };
    const params = (C: Float64Array) => ({
      Lambda: A,
      P,
      B,
      dt,
      C: complexTensor(C, [channels, H, N2]),
      lKernel: L,
    });
    const g = Float64Array.from({ length: channels * H * L }, () => rng.normal());

    const { v, w, nodes, rows, cols, R } = prepareDplrKernel(params(inputs.C));
    const Lz = nodes.count;
    const vt = complexTensor(v, [rows * cols, H, N2]);
    const z = complexTensor(nodes.z, [Lz]);
    const r = cauchy(vt, complexTensor(w, [H, N2]), z);
    // K = irfft(spectrum, L) row by row; rows are [1, channels, H].
    const gSpectrum = new Float64Array(2 * channels * H * Lz);
    for (let row = 0; row < channels * H; row++) {
      gSpectrum.set(irfftVjp(g.subarray(row * L, (row + 1) * L)), 2 * row * Lz);
    }
    const gBilinear = applyBilinearFactorVjp(complexTensor(gSpectrum, [1, channels, H, Lz]), nodes.omega);
    const gr = woodburyVjp({ data: r.data, shape: [rows, cols, H, Lz] }, R, gBilinear.kf);
    const gv = cauchyVjp(vt, complexTensor(w, [H, N2]), z, complexTensor(gr.data, [rows * cols, H, Lz])).v
      .data;
    const gLimit = woodburyLimitVjp(tensor(gBilinear.limit.data, [1, channels, H]), R);
    const gvLimit = cauchyLimitVjp(vt, tensor(gLimit.data, [rows * cols, H])).data;
    // v[i, c] = B̂_i·C̃_c·Δ with B̂ = [B; P]: ∂ℓ/∂C̃_c = Σ_i conj(B̂_i·Δ)·∂ℓ/∂v[i, c].
    const gC = new Float64Array(inputs.C.length);
    for (let i = 0; i < rows; i++) {
      const bHat = i === 0 ? B.data : P.data.subarray(2 * (i - 1) * H * N2);
      for (let c = 0; c < channels; c++) {
        for (let m = 0; m < H * N2; m++) {
          const d = dt.data[Math.floor(m / N2)];
          const o = 2 * ((i * cols + c) * H * N2 + m);
          const gvr = gv[o] + gvLimit[o];
          const gvi = gv[o + 1] + gvLimit[o + 1];
          const br = bHat[2 * m] * d;
          const bi = bHat[2 * m + 1] * d;
          gC[2 * (c * H * N2 + m)] += br * gvr + bi * gvi;
          gC[2 * (c * H * N2 + m) + 1] += br * gvi - bi * gvr;
        }
      }
    }
    expectGradients((a) => dplrKernel(params(a.C)).K.data, inputs, g, { C: gC });
  });
});
