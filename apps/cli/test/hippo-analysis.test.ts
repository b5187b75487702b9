import { complexTensor, createRng, tensor } from '@statespace/complex';
import { naturalRank, nplr, rankCorrection, transition } from '@statespace/hippo';
import { cFromCTilde, denseBilinear, krylovKernel } from '@statespace/kernels';
import { eig } from '@statespace/linalg';
import { describe, expect, it } from 'vitest';
import { analyseHippo, hippoFigure } from '../src/hippo-analysis';

describe('hippo analysis', () => {
  const measure = 'legs';
  const N = 8;
  const L = 32;
  const dts = [0.05, 0.3];
  const seed = 3;
  const analysis = analyseHippo(measure, N, { length: L, dts, seed });

  it('gives the eigenvalues of the normal part A + P Pᵀ (oracle: the general eigensolver)', () => {
    const { A } = transition(measure, N);
    const P = rankCorrection(measure, N, naturalRank(measure));
    const AP = new Float64Array(2 * N * N);
    for (let r = 0; r < N; r++) {
      for (let c = 0; c < N; c++) {
        let sum = A.data[r * N + c];
        for (let k = 0; k < P.shape[0]; k++) sum += P.data[k * N + r] * P.data[k * N + c];
        AP[2 * (r * N + c)] = sum;
      }
    }
    const byImag = (v: Float64Array) =>
      Array.from({ length: N }, (_, i) => [v[2 * i], v[2 * i + 1]]).sort((a, b) => a[1] - b[1]);
    const ours = byImag(analysis.eigenvalues);
    byImag(eig(complexTensor(AP, [N, N])).values).forEach(([re, im], i) => {
      expect(ours[i][0]).toBeCloseTo(re, 9);
      expect(ours[i][1]).toBeCloseTo(im, 9);
    });
    expect(analysis.reconstructionError).toBeLessThan(1e-13);
  });

  it('computes S4 kernels equal to C Ā^l B̄ of the bilinear system (oracle: the Krylov kernel)', () => {
    const system = nplr(measure, N);
    const N2 = N / 2;
    const H = dts.length;
    const tile = (x: Float64Array) => Float64Array.from({ length: H * x.length }, (_, i) => x[i % x.length]);
    const dplr = {
      Lambda: complexTensor(tile(system.Lambda), [H, N2]),
      P: complexTensor(tile(system.P.data), [1, H, N2]),
      B: complexTensor(tile(system.B), [H, N2]),
      dt: tensor(Float64Array.from(dts), [H]),
    };
    // The analysis draws C̃ (attuned to L) as a layer does; the Krylov kernel needs the true C.
    const rng = createRng(seed);
    const Ctilde = Float64Array.from({ length: 2 * H * N2 }, () => rng.normal() * Math.SQRT1_2);
    const dC = cFromCTilde(dplr, complexTensor(Ctilde, [1, H, N2]), L);
    const { dA, dB } = denseBilinear(dplr);
    const K = krylovKernel(dA, dB, dC, L);
    analysis.kernels.forEach(({ K: ours }, h) => {
      const reference = K.data.subarray(h * L, (h + 1) * L);
      const scale = Math.max(...Array.from(reference, Math.abs));
      const error = Math.max(...Array.from(ours, (v, l) => Math.abs(v - reference[l])));
      expect(error).toBeLessThan(1e-9 * scale);
    });
  });

  it('plots A as a heatmap, the eigenvalues as points and one kernel per Δ', () => {
    const figure = hippoFigure(analysis);
    expect(figure.panels.map((p) => p.title)).toEqual([
      'A (8x8)',
      'eigenvalues of the normal part',
      'S4 kernels K[l]',
    ]);
    expect(figure.panels[0].heatmap?.values).toHaveLength(64);
    expect(figure.panels[2].series?.map((s) => s.label)).toEqual(['dt 0.05', 'dt 0.3']);
  });
});
