import { type Tensor, tensor } from '@statespace/complex';
import { solve } from '@statespace/linalg';
import { describe, expect, it } from 'vitest';
import { BASES, type BasisMeasure, basis, type Measure, transition } from '../src/index';

/** Composite Simpson weights on `points` (odd count) equally spaced points of [a, b]. */
function simpson(a: number, b: number, points: number): { s: Float64Array; w: Float64Array } {
  const h = (b - a) / (points - 1);
  const s = new Float64Array(points);
  const w = new Float64Array(points);
  for (let i = 0; i < points; i++) {
    s[i] = a + i * h;
    w[i] = ((i === 0 || i === points - 1 ? 1 : i % 2 === 1 ? 4 : 2) * h) / 3;
  }
  return { s, w };
}

/**
 * The HiPPO state x(T) of x′ = A x + B u from x(0) = 0, by the bilinear recurrence
 * x ← (I − Δ/2·A)⁻¹((I + Δ/2·A)x + Δ·B·u(t + Δ/2)) (input at the step midpoints).
 */
function hippoState(
  measure: Measure,
  N: number,
  u: (t: number) => number,
  T: number,
  dt: number,
): Float64Array {
  const { A, B } = transition(measure, N);
  const left = new Float64Array(N * N);
  const right = new Float64Array(N * (N + 1));
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      left[i * N + j] = (i === j ? 1 : 0) - (dt / 2) * A.data[i * N + j];
      right[i * (N + 1) + j] = (i === j ? 1 : 0) + (dt / 2) * A.data[i * N + j];
    }
    right[i * (N + 1) + N] = dt * B[i];
  }
  const step = solve(tensor(left, [N, N]), tensor(right, [N, N + 1])).data; // [Ā | B̄]
  let x = new Float64Array(N);
  const steps = Math.round(T / dt);
  for (let k = 0; k < steps; k++) {
    const input = u((k + 0.5) * dt);
    const next = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      let s = step[i * (N + 1) + N] * input;
      for (let j = 0; j < N; j++) s += step[i * (N + 1) + j] * x[j];
      next[i] = s;
    }
    x = next;
  }
  return x;
}

/** Σ_n basis[i, n]·x_n for every row i. */
function reconstruct(b: Tensor<Float64Array>, x: Float64Array): Float64Array {
  const [T, N] = b.shape;
  const out = new Float64Array(T);
  for (let i = 0; i < T; i++) for (let n = 0; n < N; n++) out[i] += b.data[i * N + n] * x[n];
  return out;
}

const smooth = (t: number) => Math.sin(3 * t) + 0.5 * Math.cos(7 * t);

describe('basis', () => {
  // Orthonormal on the support; legs with weight e^(−s). The infinite supports are cut where the
  // integrands are below 1e-15.
  // legs varies fastest near s = 0, so it takes the finest grid.
  const grids: Record<BasisMeasure, [number, number, (s: number) => number, number]> = {
    legt: [0, 1, () => 1, 20001],
    fourier: [0, 1, () => 1, 20001],
    legs: [0, 40, (s) => Math.exp(-s), 200001],
    lagt: [0, 120, () => 1, 60001],
  };

  it.each(BASES.map((m) => [m]))('%s is orthonormal on its support', (measure) => {
    const N = 8;
    const [a, b, weight, points] = grids[measure];
    const { s, w } = simpson(a, b, points);
    const phi = basis(measure, N, s).data;
    // The fourier layout keeps the slot of sin(0·s), which is identically zero.
    const empty = (n: number) => measure === 'fourier' && n === 1;
    for (let n = 0; n < N; n++) {
      for (let m = 0; m <= n; m++) {
        let integral = 0;
        for (let i = 0; i < s.length; i++) integral += w[i] * weight(s[i]) * phi[i * N + n] * phi[i * N + m];
        expect(integral).toBeCloseTo(n === m && !empty(n) ? 1 : 0, 8);
      }
    }
  });

  it('legt reconstructs a smooth input over the window of transition("legt") (length 2)', () => {
    const N = 32;
    const T = 3;
    const x = hippoState('legt', N, smooth, T, 1e-3);
    const s = Float64Array.from({ length: 201 }, (_, i) => i / 100); // s ∈ [0, 2]
    const approx = reconstruct(
      basis(
        'legt',
        N,
        s.map((v) => v / 2),
      ),
      x,
    );
    let worst = 0;
    for (let i = 0; i < s.length; i++) worst = Math.max(worst, Math.abs(approx[i] - smooth(T - s[i])));
    // LegT approximates u(t − 2) by its own reconstruction, so the error peaks at the far end.
    expect(worst).toBeLessThan(5e-4);
  });

  it('fourier reconstructs inside the window of transition("fourier2") (length 1)', () => {
    const N = 64;
    const T = 2;
    const x = hippoState('fourier2', N, smooth, T, 1e-3);
    const s = Float64Array.from({ length: 81 }, (_, i) => 0.1 + i / 100); // away from the window's ends
    const approx = reconstruct(basis('fourier', N, s), x);
    let worst = 0;
    for (let i = 0; i < s.length; i++) worst = Math.max(worst, Math.abs(approx[i] - smooth(T - s[i])));
    expect(worst).toBeLessThan(0.05);
  });

  // For legs (measure e^(−s)) and lagt the state is exactly the projection of the past input:
  // x_n(T) = ∫₀^T u(T − s)·φ_n(s)·w(s) ds. This pins the orientation of s (time before now).
  it.each([
    ['legs', (s: number) => Math.exp(-s)],
    ['lagt', () => 1],
  ] as const)('%s: the state is the projection of the past input on the basis', (measure, weight) => {
    const N = 8;
    const T = 3;
    const x = hippoState(measure, N, smooth, T, 1e-3);
    const { s, w } = simpson(0, T, 6001);
    const phi = basis(measure, N, s).data;
    for (let n = 0; n < N; n++) {
      let projection = 0;
      for (let i = 0; i < s.length; i++)
        projection += w[i] * smooth(T - s[i]) * weight(s[i]) * phi[i * N + n];
      expect(x[n]).toBeCloseTo(projection, 5);
    }
  });

  it('zeroes rows outside the support unless asked not to, and applies the tilt e^(−c·s)', () => {
    const vals = [-0.5, 0, 0.5, 1, 1.5];
    const legt = basis('legt', 4, vals);
    expect(legt.shape).toEqual([5, 4]);
    expect(Array.from(legt.data.subarray(0, 4))).toEqual([0, 0, 0, 0]);
    expect(Array.from(legt.data.subarray(16, 20))).toEqual([0, 0, 0, 0]);
    expect(legt.data[4]).toBe(1);
    // P_n(1) = 1: at s = 1 the legt row is √(2n+1)·(−1)ⁿ.
    expect(Array.from(legt.data.subarray(12, 16))).toEqual([1, -Math.sqrt(3), Math.sqrt(5), -Math.sqrt(7)]);
    expect(basis('legt', 4, vals, { truncateMeasure: false }).data[0]).toBe(1);
    expect(basis('lagt', 3, [-1]).data.every((v) => v === 0)).toBe(true);
    const tilted = basis('legs', 3, [2], { c: 0.5 }).data;
    const plain = basis('legs', 3, [2]).data;
    for (let n = 0; n < 3; n++) expect(tilted[n]).toBeCloseTo(plain[n] * Math.exp(-1), 15);
  });

  it('fourier rows are 1, 0, √2·cos, √2·sin, …', () => {
    const row = basis('fourier', 6, [0.125]).data;
    const c = Math.SQRT2 * Math.cos(Math.PI / 4);
    expect(Array.from(row)).toEqual([
      1,
      0,
      c,
      Math.SQRT2 * Math.sin(Math.PI / 4),
      Math.SQRT2 * Math.cos(Math.PI / 2),
      Math.SQRT2,
    ]);
  });

  it('rejects unknown measures, odd N for fourier and non-finite input', () => {
    expect(() => basis('fout' as BasisMeasure, 4, [0])).toThrow(
      /measure must be one of 'legs', 'legt', 'lagt', 'fourier'; got 'fout'/,
    );
    expect(() => basis('fourier', 5, [0])).toThrow(/N must be even/);
    expect(() => basis('legs', 4, [0, Number.NaN])).toThrow(/vals must be finite; found NaN at index 1/);
    expect(() => basis('legs', 4, [0], { c: Number.POSITIVE_INFINITY })).toThrow(/c must be a finite number/);
  });
});
