import { expectClose } from '@statespace/testing';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type Nplr,
  type NplrMeasure,
  naturalRank,
  nplr,
  nplrReconstructionError,
  RANK_CORRECTION_MEASURES,
  rankCorrection,
  reconstructNplr,
  transition,
} from '../src/index';

const errors: string[] = [];
afterAll(() => {
  console.info(`NPLR reconstruction errors ‖V(Λ − P̃P̃*)V* − A‖/‖A‖: ${errors.join(', ')}`);
});

/** Max |(X*Y)_jk − δ_jk| (or − 0 when `conjugateY`: X*conj(Y), which must vanish). */
function gramError(V: Float64Array, N: number, M: number, conjugateY: boolean): number {
  let worst = 0;
  for (let j = 0; j < M; j++) {
    for (let k = 0; k < M; k++) {
      let re = 0;
      let im = 0;
      for (let i = 0; i < N; i++) {
        const [ar, ai] = [V[2 * (i * M + j)], -V[2 * (i * M + j) + 1]];
        const [br, bi] = [V[2 * (i * M + k)], (conjugateY ? -1 : 1) * V[2 * (i * M + k) + 1]];
        re += ar * br - ai * bi;
        im += ar * bi + ai * br;
      }
      const target = !conjugateY && j === k ? 1 : 0;
      worst = Math.max(worst, Math.hypot(re - target, im));
    }
  }
  return worst;
}

describe('nplr reconstruction', () => {
  const cases = (['legs', 'legt', 'fout', 'lagt'] as const).flatMap((m) =>
    [8, 64].map((N) => [m, N] as const),
  );
  it.each(cases)('%s N=%i: V(Λ − P̃P̃*)V* reproduces A to 1e-12', (measure, N) => {
    const result = nplr(measure, N, { rank: naturalRank(measure) });
    const err = nplrReconstructionError(measure, result);
    errors.push(`${measure}/${N} ${err.toExponential(1)}`);
    expect(err).toBeLessThanOrEqual(1e-12);
  });

  it.each(RANK_CORRECTION_MEASURES.map((m) => [m]))(
    '%s N=16: reconstruction, unitary [V, conj V] and B = 2·Re(V B̃)',
    (measure) => {
      const N = 16;
      const M = N / 2;
      const result = nplr(measure, N, { rank: naturalRank(measure), bClip: null });
      expect(nplrReconstructionError(measure, result)).toBeLessThanOrEqual(1e-12);
      expect(gramError(result.V.data, N, M, false)).toBeLessThanOrEqual(1e-13);
      expect(gramError(result.V.data, N, M, true)).toBeLessThanOrEqual(1e-13);
      const B = new Float64Array(N);
      for (let i = 0; i < N; i++) {
        for (let m = 0; m < M; m++) {
          const [vr, vi] = [result.V.data[2 * (i * M + m)], result.V.data[2 * (i * M + m) + 1]];
          B[i] += 2 * (vr * result.B[2 * m] - vi * result.B[2 * m + 1]);
        }
      }
      expectClose(B, transition(measure, N).B, 1e-13, 'B');
    },
  );

  it('reconstructNplr returns the real N×N matrix', () => {
    const A = reconstructNplr(nplr('legs', 8));
    expect(A.shape).toEqual([8, 8]);
    expectClose(A.data, transition('legs', 8).A.data, 1e-13, 'A');
  });
});

describe('nplr eigenvalues and vectors', () => {
  it('legs N=8: Λ = −½ + i·[−19.857, −5.354, −1.958, −0.427]', () => {
    const { Lambda, V, P, B } = nplr('legs', 8);
    expect(V.shape).toEqual([8, 4]);
    expect(P.shape).toEqual([1, 4]);
    expect(B.length).toBe(8);
    expectClose(Lambda, [-0.5, -19.85741, -0.5, -5.354209, -0.5, -1.957794, -0.5, -0.427489], 1e-6, 'Λ');
  });

  it('legs N=64: Im Λ ascends over [−1303.27, −0.2639]', () => {
    const { Lambda } = nplr('legs', 64);
    const im = Array.from({ length: 32 }, (_, m) => Lambda[2 * m + 1]);
    expect(im[0]).toBeCloseTo(-1303.27, 2);
    expect(im[31]).toBeCloseTo(-0.2639, 4);
    for (let m = 1; m < 32; m++) expect(im[m]).toBeGreaterThan(im[m - 1]);
  });

  it('legt and lagt have Re Λ = 0', () => {
    for (const measure of ['legt', 'lagt'] as const) {
      const { Lambda } = nplr(measure, 8, { rank: naturalRank(measure) });
      for (let m = 0; m < 4; m++) expect(Math.abs(Lambda[2 * m])).toBeLessThan(1e-15);
    }
  });

  it('legs: B̃ = √2·P̃ before clipping (B = √2·P)', () => {
    const { B, P } = nplr('legs', 32, { bClip: null });
    expectClose(
      B,
      P.data.map((p) => Math.SQRT2 * p),
      1e-13,
      'B̃',
    );
  });

  it('fourier: the zero pair is kept as the mode (e₀ + i·e₁)/√2', () => {
    for (const measure of ['fout', 'fourier_diag'] as const) {
      const { Lambda, V } = nplr(measure, 8);
      expect(Math.abs(Lambda[7])).toBeLessThan(1e-12);
      const column = Array.from({ length: 8 }, (_, i) => [
        V.data[2 * (i * 4 + 3)],
        V.data[2 * (i * 4 + 3) + 1],
      ]);
      expect(column[0]).toEqual([Math.SQRT1_2, 0]);
      expect(column[1]).toEqual([0, Math.SQRT1_2]);
      expect(column.slice(2).every(([re, im]) => re === 0 && im === 0)).toBe(true);
    }
  });

  it('extra rank rows give zero rows of P̃', () => {
    const { P } = nplr('legs', 8, { rank: 3 });
    expect(P.shape).toEqual([3, 4]);
    expect(P.data.subarray(8).every((x) => x === 0)).toBe(true);
  });
});

describe('nplr B clipping', () => {
  const magnitudes = (r: Nplr) =>
    Array.from({ length: r.B.length / 2 }, (_, m) => Math.hypot(r.B[2 * m], r.B[2 * m + 1]));

  it('clips |B̃| at 2 by default, keeping the phase, and only where |B̃| > 2', () => {
    const raw = nplr('legs', 64, { bClip: null });
    const clipped = nplr('legs', 64);
    const before = magnitudes(raw);
    const after = magnitudes(clipped);
    expect(Math.max(...before)).toBeGreaterThan(40);
    expect(before.filter((b) => b > 2).length).toBeGreaterThan(5);
    for (let m = 0; m < 32; m++) {
      const factor = Math.min(1, 2 / before[m]);
      expect(clipped.B[2 * m]).toBeCloseTo(raw.B[2 * m] * factor, 12);
      expect(clipped.B[2 * m + 1]).toBeCloseTo(raw.B[2 * m + 1] * factor, 12);
      expect(after[m]).toBeLessThanOrEqual(2 + 1e-12);
    }
    // P̃ and Λ do not depend on the clip.
    expect(clipped.P.data).toEqual(raw.P.data);
    expect(clipped.Lambda).toEqual(raw.Lambda);
  });

  it('takes another limit, and null or an explicit undefined disables it', () => {
    expect(Math.max(...magnitudes(nplr('legs', 16, { bClip: 0.5 })))).toBeLessThanOrEqual(0.5 + 1e-15);
    const raw = nplr('legs', 16, { bClip: null });
    expect(nplr('legs', 16, { bClip: undefined }).B).toEqual(raw.B);
    expect(nplr('legs', 16, {}).B).not.toEqual(raw.B);
  });
});

describe('nplr bad input', () => {
  it('rejects odd N, a rank below the natural rank and measures without a rank correction', () => {
    expect(() => nplr('legs', 7)).toThrow(/N must be even: NPLR keeps N\/2 conjugate pairs; got 7/);
    expect(() => nplr('legt', 8)).toThrow(/rank must be an integer ≥ 2; got 1/);
    expect(() => nplr('lmu' as NplrMeasure, 8)).toThrow(
      /measure 'lmu' has no rank correction; accepted: 'legs'/,
    );
    expect(() => nplr('hippo' as NplrMeasure, 8)).toThrow(/measure must be one of 'legs'/);
  });

  it('rejects a bad bClip and unknown options', () => {
    expect(() => nplr('legs', 8, { bClip: Number.NaN })).toThrow(
      /bClip must be a finite number > 0.*got NaN/,
    );
    expect(() => nplr('legs', 8, { bClip: -1 })).toThrow(/bClip must be a finite number > 0/);
    expect(() => nplr('legs', 8, { B_clip: 2 } as never)).toThrow(
      /unknown option 'B_clip'; accepted: 'rank', 'bClip'/,
    );
  });

  it('P of rankCorrection and of nplr agree in size', () => {
    expect(rankCorrection('legt', 8, 3).shape).toEqual([3, 8]);
    expect(nplr('legt', 8, { rank: 3 }).P.shape).toEqual([3, 4]);
  });
});
