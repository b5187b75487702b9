import {
  assertKnownFields,
  caseName,
  expectClose,
  GOLDEN_FIELDS,
  goldenComplex,
  goldenReal,
  loadGoldenCases,
  TOLERANCE,
} from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { type Measure, type NplrMeasure, nplr, rankCorrection, transition } from '../src/index';

// Conformance with the official PyTorch code: every case of measures.json and hippo.json in
// $STATESPACE_GOLDEN (default fixtures/golden). Eigenvector phases are arbitrary, so the NPLR
// cases compare only the phase-free quantities the golden files carry.

const tol = TOLERANCE.float64;

describe('measures.json', () => {
  it.each(loadGoldenCases('measures.json').map((c) => [caseName(c), c] as const))('%s', (_name, c) => {
    assertKnownFields(c, GOLDEN_FIELDS['measures.json']);
    const measure = c.measure as Measure;
    const N = c.N as number;
    const { A, B } = transition(measure, N);
    const goldenA = goldenReal(c.A, 'A');
    expect(A.shape).toEqual(goldenA.shape);
    expectClose(A.data, goldenA.data, tol, `${measure} A`);
    expectClose(B, goldenReal(c.B, 'B').data, tol, `${measure} B`);
    if (c.P !== undefined) {
      const goldenP = goldenReal(c.P, 'P');
      const P = rankCorrection(measure as NplrMeasure, N, goldenP.shape[0]);
      expect(P.shape).toEqual(goldenP.shape);
      expectClose(P.data, goldenP.data, tol, `${measure} P`);
    }
  });
});

describe('hippo.json', () => {
  it.each(loadGoldenCases('hippo.json').map((c) => [caseName(c), c] as const))('%s', (_name, c) => {
    assertKnownFields(c, GOLDEN_FIELDS['hippo.json']);
    const measure = c.measure as NplrMeasure;
    const N = c.N as number;
    const rank = c.rank as number;
    const { A, B } = transition(measure, N);
    expectClose(A.data, goldenReal(c.A, 'A').data, tol, 'A');
    expectClose(B, goldenReal(c.B, 'B').data, tol, 'B');
    expectClose(rankCorrection(measure, N, rank).data, goldenReal(c.P, 'P').data, tol, 'P');

    // The golden B̃ is unclipped.
    const result = nplr(measure, N, { rank, bClip: null });
    const M = N / 2;
    const Lambda = goldenComplex(c.Lambda, 'Lambda');
    expect(Lambda.shape).toEqual([M]);
    expectClose(result.Lambda, Lambda.data, tol, 'Lambda');

    const Bt = result.B;
    const Pt = result.P.data;
    const absB2 = new Float64Array(M);
    for (let m = 0; m < M; m++) absB2[m] = Bt[2 * m] ** 2 + Bt[2 * m + 1] ** 2;
    expectClose(absB2, goldenReal(c.absB2, 'absB2').data, tol, 'absB2');

    // (V*P_r)·conj(V*B) and |V*P_r|², rank × N/2.
    const PconjB = new Float64Array(2 * rank * M);
    const absP2 = new Float64Array(rank * M);
    for (let r = 0; r < rank; r++) {
      for (let m = 0; m < M; m++) {
        const p = 2 * (r * M + m);
        const [pr, pi, br, bi] = [Pt[p], Pt[p + 1], Bt[2 * m], Bt[2 * m + 1]];
        PconjB[p] = pr * br + pi * bi;
        PconjB[p + 1] = pi * br - pr * bi;
        absP2[r * M + m] = pr * pr + pi * pi;
      }
    }
    const goldenPconjB = goldenComplex(c.PconjB, 'PconjB');
    expect(goldenPconjB.shape).toEqual([rank, M]);
    expectClose(PconjB, goldenPconjB.data, tol, 'PconjB');
    expectClose(absP2, goldenReal(c.absP2, 'absP2').data, tol, 'absP2');
  });
});
