import { expectClose } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import {
  MEASURES,
  type Measure,
  naturalRank,
  RANK_CORRECTION_MEASURES,
  rankCorrection,
  transition,
} from '../src/index';

const at = (A: { data: Float64Array; shape: readonly number[] }, i: number, j: number) =>
  A.data[i * A.shape[1] + j];

describe('transition', () => {
  it.each(MEASURES.map((m) => [m]))('%s has shapes [N, N] and N with finite entries', (measure) => {
    const { A, B } = transition(measure, 8);
    expect(A.shape).toEqual([8, 8]);
    expect(A.data).toBeInstanceOf(Float64Array);
    expect(B.length).toBe(8);
    expect([...A.data, ...B].every(Number.isFinite)).toBe(true);
  });

  it('legs: A_nk = −√(2n+1)√(2k+1) below the diagonal, −(n+1) on it, 0 above; B_n = √(2n+1)', () => {
    const { A, B } = transition('legs', 5);
    expect(at(A, 3, 1)).toBeCloseTo(-Math.sqrt(7 * 3), 14);
    expect(at(A, 4, 4)).toBe(-5);
    expect(at(A, 1, 3)).toBe(0);
    expect(B[2]).toBeCloseTo(Math.sqrt(5), 15);
  });

  it('legsd is legs + ½BBᵀ with B halved', () => {
    const legs = transition('legs', 6);
    const legsd = transition('legsd', 6);
    for (let i = 0; i < 6; i++) {
      expect(legsd.B[i]).toBeCloseTo(legs.B[i] / 2, 15);
      for (let j = 0; j < 6; j++) {
        expect(at(legsd.A, i, j)).toBeCloseTo(at(legs.A, i, j) + 0.5 * legs.B[i] * legs.B[j], 13);
      }
    }
  });

  it('legt: the halved Legendre-translated matrix, with (−1)^(n−k) above the diagonal', () => {
    const { A, B } = transition('legt', 4);
    expect(at(A, 2, 0)).toBeCloseTo(-0.5 * Math.sqrt(5), 15);
    expect(at(A, 0, 1)).toBeCloseTo(0.5 * Math.sqrt(3), 15);
    expect(at(A, 0, 2)).toBeCloseTo(-0.5 * Math.sqrt(5), 15);
    expect(B[3]).toBeCloseTo(0.5 * Math.sqrt(7), 15);
  });

  it('lmu: A_nk = (2n+1)·(−1 if n < k else (−1)^(n−k+1)), B_n = (−1)ⁿ(2n+1)', () => {
    const { A, B } = transition('lmu', 4);
    expect(at(A, 0, 3)).toBe(-1);
    expect(at(A, 2, 2)).toBe(-5);
    expect(at(A, 3, 2)).toBe(7);
    expect(Array.from(B)).toEqual([1, -3, 5, -7]);
  });

  it('lagt and tlagt: −½ (or (1−β)/2 − 1) on the diagonal, −1 below, B = β', () => {
    const lagt = transition('lagt', 3, { beta: 2 });
    expect(Array.from(lagt.A.data)).toEqual([-0.5, 0, 0, -1, -0.5, 0, -1, -1, -0.5]);
    expect(Array.from(lagt.B)).toEqual([2, 2, 2]);
    const tlagt = transition('tlagt', 3, { beta: 0.5 });
    expect(at(tlagt.A, 1, 1)).toBe(-0.75);
    expect(at(tlagt.A, 2, 0)).toBe(-1);
    // β = 1 (no tilt, the default) leaves A = −tril(1).
    expect(Array.from(transition('tlagt', 2).A.data)).toEqual([-1, 0, -1, -1]);
  });

  // Reference values from the official formula with scipy (gammaln, binom) in float64.
  it('glagt matches the official formula (scipy) for α = 0.5, β = 0.3 and for the defaults', () => {
    const { A, B } = transition('glagt', 6, { alpha: 0.5, beta: 0.3 });
    expectClose(A.data.subarray(6, 12), [-0.816496580927726, -0.65, 0, 0, 0, 0], 1e-14, 'glagt A row 1');
    expectClose(
      A.data.subarray(30, 36),
      [
        -0.6077897411180692, -0.7443873683187769, -0.8322503785764793, -0.8989331499509897,
        -0.9534625892455925, -0.65,
      ],
      1e-14,
      'glagt A row 5',
    );
    expectClose(
      B,
      [
        0.5905006434200798, 0.7232126345821763, 0.8085763065562307, 0.8733622296112125, 0.9263405324854366,
        0.9715541468893756,
      ],
      1e-14,
      'glagt B',
    );
    const defaults = transition('glagt', 5);
    expect(at(defaults.A, 3, 3)).toBeCloseTo(-0.505, 15);
    expect(at(defaults.A, 3, 1)).toBeCloseTo(-1, 15);
    expectClose(defaults.B, [0.1, 0.1, 0.1, 0.1, 0.1], 1e-14, 'glagt default B');
  });

  it('fourier/fout: A = A₀ − BBᵀ with A₀[2k, 2k+1] = −πk, B = [1, 0, √2, 0, …]', () => {
    const { A, B } = transition('fout', 6);
    expectClose(B, [1, 0, Math.SQRT2, 0, Math.SQRT2, 0], 1e-15, 'B');
    const A0 = (i: number, j: number) => at(A, i, j) + B[i] * B[j];
    expect(A0(2, 3)).toBeCloseTo(-Math.PI, 14);
    expect(A0(3, 2)).toBeCloseTo(Math.PI, 14);
    expect(A0(4, 5)).toBeCloseTo(-2 * Math.PI, 14);
    expect(A0(0, 1)).toBe(0);
    expect(transition('fourier', 6).A.data).toEqual(A.data);
  });

  it('fourier_decay halves the rank-one term and B; fourier2 doubles frequencies and the term', () => {
    const base = transition('fout', 6);
    const decay = transition('fourier_decay', 6);
    const double = transition('fourier2', 6);
    for (let i = 0; i < 6; i++) {
      expect(decay.B[i]).toBeCloseTo(base.B[i] / 2, 15);
      expect(double.B[i]).toBeCloseTo(2 * base.B[i], 15);
    }
    expect(at(decay.A, 2, 3) + 0.5 * base.B[2] * base.B[3]).toBeCloseTo(-Math.PI, 14);
    expect(at(double.A, 2, 2)).toBeCloseTo(-2 * 2, 14);
    expect(at(double.A, 4, 5)).toBeCloseTo(-4 * Math.PI, 14);
  });

  it('fourier_diag/foud: 2π frequencies and −½ on the diagonal', () => {
    const { A, B } = transition('foud', 6);
    expect(at(A, 2, 3)).toBeCloseTo(-2 * Math.PI, 14);
    expect(at(A, 5, 4)).toBeCloseTo(4 * Math.PI, 14);
    expect(at(A, 3, 3)).toBe(-0.5);
    expect(B[2]).toBe(Math.SQRT2);
    expect(transition('fourier_diag', 6).A.data).toEqual(A.data);
  });

  it('random and diagonal are reproducible from their seed', () => {
    for (const measure of ['random', 'diagonal'] as const) {
      const a = transition(measure, 5, { seed: 3 });
      expect(transition(measure, 5, { seed: 3 })).toEqual(a);
      expect(transition(measure, 5, { seed: 4 }).B).not.toEqual(a.B);
    }
    const { A } = transition('diagonal', 5, { seed: 1 });
    for (let i = 0; i < 5; i++) {
      expect(at(A, i, i)).toBeLessThan(0);
      for (let j = 0; j < 5; j++) if (i !== j) expect(at(A, i, j)).toBe(0);
    }
  });

  it('rejects unknown measures, bad sizes and options the measure does not take', () => {
    expect(() => transition('legendre' as Measure, 4)).toThrow(
      /measure must be one of 'legs', 'legsd'.*got 'legendre'/,
    );
    expect(() => transition('fout', 5)).toThrow(/N must be even for measure 'fout'/);
    expect(() => transition('legs', 0)).toThrow(/N must be an integer ≥ 1/);
    expect(() => transition('legs', 2.5)).toThrow(/N must be an integer/);
    expect(() => transition('legs', 4, { beta: 2 })).toThrow(/unknown option 'beta'/);
    expect(() => transition('lagt', 4, { beta: Number.NaN })).toThrow(
      /beta must be a finite number; got NaN/,
    );
    expect(() => transition('glagt', 4, { alpha: -1 })).toThrow(/alpha must be > −1/);
    expect(() => transition('glagt', 4, { beta: 0 })).toThrow(/beta must be > 0/);
    expect(() => transition('random', 4, { seed: 0.5 })).toThrow(/seed must be an integer/);
  });
});

describe('rankCorrection', () => {
  it.each(RANK_CORRECTION_MEASURES.map((m) => [m]))(
    '%s: A + Σ P_r P_rᵀ is a multiple of I plus a skew-symmetric matrix',
    (measure) => {
      const N = 10;
      const { A } = transition(measure, N);
      const P = rankCorrection(measure, N, naturalRank(measure));
      const AP = Float64Array.from(A.data);
      for (let r = 0; r < P.shape[0]; r++) {
        for (let i = 0; i < N; i++)
          for (let j = 0; j < N; j++) AP[i * N + j] += P.data[r * N + i] * P.data[r * N + j];
      }
      for (let i = 0; i < N; i++) {
        expect(AP[i * N + i]).toBeCloseTo(AP[0], 12);
        for (let j = 0; j < i; j++) expect(AP[i * N + j] + AP[j * N + i]).toBeCloseTo(0, 12);
      }
    },
  );

  it('legs: P_n = √(n + ½); extra rows are zero', () => {
    const P = rankCorrection('legs', 4, 3);
    expect(P.shape).toEqual([3, 4]);
    expectClose(P.data.subarray(0, 4), [0.5, 1.5, 2.5, 3.5].map(Math.sqrt), 1e-15, 'P');
    expect(P.data.subarray(4).every((x) => x === 0)).toBe(true);
  });

  it('legt: two rows, odd and even entries, and rank ≥ 2 is required', () => {
    const P = rankCorrection('legt', 4, 2);
    expectClose(
      P.data,
      [0, Math.sqrt(1.5), 0, Math.sqrt(3.5), Math.sqrt(0.5), 0, Math.sqrt(2.5), 0],
      1e-15,
      'P',
    );
    expect(() => rankCorrection('legt', 4, 1)).toThrow(/rank must be an integer ≥ 2; got 1/);
    expect(() => rankCorrection('legt', 4)).toThrow(/rank must be an integer ≥ 2/);
  });

  it('rejects measures without a rank correction, listing those with one', () => {
    expect(() => rankCorrection('lmu' as never, 4)).toThrow(
      /measure 'lmu' has no rank correction; accepted: 'legs', 'legt'/,
    );
    expect(() => rankCorrection('legs', 4, 0)).toThrow(/rank must be an integer ≥ 1/);
  });
});
