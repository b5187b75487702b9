import { type ComplexTensor, createRng } from '@statespace/complex';
import { nplr, transition } from '@statespace/hippo';
import { adjoint, cmatmul, csolve } from '@statespace/linalg';
import { expectClose, relativeError, TOLERANCE } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { discretizeDense, dplrBilinear, dplrBilinearDense, gbtDense } from '../src/index';
import { cmatvec, conjExpanded, dplrDenseMatrix, randomComplex, randomDt, row } from './helpers';

const rng = createRng(3);
const H = 3;
const halfN = 5;
const N = 2 * halfN;

function randomDplr(rank: number) {
  return {
    Lambda: randomComplex(rng, [H, halfN], { reScale: 1, imScale: 10, stable: true }),
    P: randomComplex(rng, [rank, H, halfN], { reScale: 0.7, imScale: 0.7 }),
    B: randomComplex(rng, [H, halfN]),
    dt: randomDt(rng, H),
  };
}

/** Row h of a [H, N, N] complex tensor. */
function matrixRow(t: ComplexTensor, h: number): Float64Array {
  return Float64Array.from(t.data.subarray(2 * h * N * N, 2 * (h + 1) * N * N));
}

describe.each([1, 2, 3])('DPLR bilinear, rank %i', (rank) => {
  const sys = randomDplr(rank);
  const stepper = dplrBilinear(sys.Lambda, sys.P, sys.B, sys.dt);
  const dense = dplrBilinearDense(stepper);

  it('materialised Ā, B̄ equal the dense bilinear discretisation of diag(Λ) − PP* (full state)', () => {
    expect(dense.dA.shape).toEqual([H, N, N]);
    expect(dense.dB.shape).toEqual([H, N]);
    for (let h = 0; h < H; h++) {
      const A = dplrDenseMatrix(sys.Lambda, sys.P, h);
      const ref = gbtDense(A, { data: conjExpanded(row(sys.B, h)), shape: [N] }, sys.dt.data[h], 0.5);
      expectClose(matrixRow(dense.dA, h), ref.dA.data, 1e-12, `Ā row ${h}`);
      expectClose(row(dense.dB, h), ref.dB.data, 1e-12, `B̄ row ${h}`);
    }
  });

  it('D, E and R are (2/Δ − Λ)⁻¹, 2/Δ + Λ and solve(I + 2·Re(QᵀDP), QD)', () => {
    for (let i = 0; i < H * halfN; i++) {
      const d = sys.dt.data[Math.floor(i / halfN)];
      const [dr, di] = [stepper.D.data[2 * i], stepper.D.data[2 * i + 1]];
      const [mr, mi] = [2 / d - sys.Lambda.data[2 * i], -sys.Lambda.data[2 * i + 1]];
      expectClose([dr * mr - di * mi, dr * mi + di * mr], [1, 0], 1e-15, 'D·(2/Δ − Λ)');
      expectClose(
        [stepper.E.data[2 * i], stepper.E.data[2 * i + 1]],
        [2 / d + sys.Lambda.data[2 * i], sys.Lambda.data[2 * i + 1]],
        1e-15,
        'E',
      );
    }
    // (I + 2·Re(QᵀDP))·R = Q·D, row h = 0, all modes.
    const h = 0;
    const at = (t: ComplexTensor, r: number, n: number) => [
      t.data[2 * ((r * H + h) * halfN + n)],
      t.data[2 * ((r * H + h) * halfN + n) + 1],
    ];
    const dAt = (n: number) => [stepper.D.data[2 * (h * halfN + n)], stepper.D.data[2 * (h * halfN + n) + 1]];
    const mul = ([a, b]: number[], [c, d]: number[]) => [a * c - b * d, a * d + b * c];
    for (let s = 0; s < rank; s++) {
      for (let n = 0; n < halfN; n++) {
        const lhs = at(stepper.R, s, n).slice();
        for (let t = 0; t < rank; t++) {
          let m = 0;
          for (let k = 0; k < halfN; k++)
            m += 2 * mul(mul(at(stepper.Q, s, k), dAt(k)), at(stepper.P, t, k))[0];
          const rt = at(stepper.R, t, n);
          lhs[0] += m * rt[0];
          lhs[1] += m * rt[1];
        }
        expectClose(lhs, mul(at(stepper.Q, s, n), dAt(n)), 1e-12, 'Woodbury R');
      }
    }
  });

  it('one step of a half state equals Ā [x, conj x] + B̄ u (first half)', () => {
    const x = randomComplex(rng, [H, halfN]).data;
    const u = Float64Array.from({ length: H }, () => rng.normal());
    const next = stepper.step(x, u);
    for (let h = 0; h < H; h++) {
      const full = cmatvec(matrixRow(dense.dA, h), conjExpanded(row({ data: x, shape: [H, halfN] }, h)), N);
      for (let m = 0; m < N; m++) {
        full[2 * m] += dense.dB.data[2 * (h * N + m)] * u[h];
        full[2 * m + 1] += dense.dB.data[2 * (h * N + m) + 1] * u[h];
      }
      expectClose(row({ data: next, shape: [H, halfN] }, h), full.subarray(0, N), 1e-12, `row ${h}`);
    }
  });

  it('one step of a full (not conjugate-symmetric) state equals Ā z + B̄ u', () => {
    const z = randomComplex(rng, [H, N]).data;
    const u = Float64Array.from({ length: H }, () => rng.normal());
    const next = stepper.step(z, u);
    for (let h = 0; h < H; h++) {
      const full = cmatvec(matrixRow(dense.dA, h), row({ data: z, shape: [H, N] }, h), N);
      for (let m = 0; m < N; m++) {
        full[2 * m] += dense.dB.data[2 * (h * N + m)] * u[h];
        full[2 * m + 1] += dense.dB.data[2 * (h * N + m) + 1] * u[h];
      }
      expectClose(row({ data: next, shape: [H, N] }, h), full, 1e-12, `row ${h}`);
    }
  });

  it('steps in place when out aliases x', () => {
    const x = randomComplex(rng, [H, halfN]).data;
    const u = Float64Array.of(0.5, -1, 2);
    const expected = stepper.step(x, u);
    const same = stepper.step(x, u, x);
    expect(same).toBe(x);
    expect(Array.from(x)).toEqual(Array.from(expected));
  });
});

describe('DPLR bilinear with per-mode Δ (dt_tie=false)', () => {
  it('equals (diag(2/Δ) − A)⁻¹[(diag(2/Δ) + A), 2B] over the full state', () => {
    const sys = randomDplr(1);
    const dt = {
      data: Float64Array.from({ length: H * halfN }, () => 0.001 + 0.1 * rng.uniform()),
      shape: [H, halfN],
    };
    const dense = dplrBilinearDense(dplrBilinear(sys.Lambda, sys.P, sys.B, dt));
    for (let h = 0; h < H; h++) {
      const A = dplrDenseMatrix(sys.Lambda, sys.P, h).data;
      // 2/Δ per full-state index: the per-mode Δ expanded to [Δ, Δ].
      const stepSizesFull = Array.from({ length: N }, (_, m) => 2 / dt.data[h * halfN + (m % halfN)]);
      const M = A.map((v) => -v);
      const rhs = new Float64Array(2 * N * (N + 1));
      const Bf = conjExpanded(row(sys.B, h));
      for (let m = 0; m < N; m++) {
        M[2 * (m * N + m)] += stepSizesFull[m];
        for (let n = 0; n < N; n++) {
          rhs[2 * (m * (N + 1) + n)] = A[2 * (m * N + n)] + (m === n ? stepSizesFull[m] : 0);
          rhs[2 * (m * (N + 1) + n) + 1] = A[2 * (m * N + n) + 1];
        }
        rhs[2 * (m * (N + 1) + N)] = 2 * Bf[2 * m];
        rhs[2 * (m * (N + 1) + N) + 1] = 2 * Bf[2 * m + 1];
      }
      const X = csolve({ data: M, shape: [N, N] }, { data: rhs, shape: [N, N + 1] }).data;
      const dA = new Float64Array(2 * N * N);
      const dB = new Float64Array(2 * N);
      for (let m = 0; m < N; m++) {
        dA.set(X.subarray(2 * m * (N + 1), 2 * (m * (N + 1) + N)), 2 * m * N);
        dB.set(X.subarray(2 * (m * (N + 1) + N), 2 * (m * (N + 1) + N + 1)), 2 * m);
      }
      expectClose(matrixRow(dense.dA, h), dA, 1e-12, `Ā row ${h}`);
      expectClose(row(dense.dB, h), dB, 1e-12, `B̄ row ${h}`);
    }
  });
});

describe('HiPPO LegS round trip (NPLR from @statespace/hippo)', () => {
  const n = 16;
  const decomposition = nplr('legs', n, { bClip: null });
  const legs = transition('legs', n);
  const V = decomposition.V;
  // V_f = [V, conj V], N×N.
  const Vf = new Float64Array(2 * n * n);
  for (let i = 0; i < n; i++) {
    for (let m = 0; m < n / 2; m++) {
      const [re, im] = [V.data[2 * (i * (n / 2) + m)], V.data[2 * (i * (n / 2) + m) + 1]];
      Vf.set([re, im], 2 * (i * n + m));
      Vf.set([re, -im], 2 * (i * n + n / 2 + m));
    }
  }
  const vf = { data: Vf, shape: [n, n] };

  it.each([0.001, 0.01, 0.1])(
    'Δ = %f: V_f·Ā·V_f* and V_f·B̄ equal the dense bilinear discretisation of LegS',
    (d) => {
      const stepper = dplrBilinear(
        { data: decomposition.Lambda, shape: [1, n / 2] },
        { data: decomposition.P.data, shape: [decomposition.P.shape[0], 1, n / 2] },
        { data: decomposition.B, shape: [1, n / 2] },
        { data: Float64Array.of(d), shape: [1] },
      );
      const { dA, dB } = dplrBilinearDense(stepper);
      const back = cmatmul(cmatmul(vf, { data: dA.data, shape: [n, n] }), adjoint(vf)).data;
      const backB = cmatvec(Vf, dB.data, n);
      const ref = discretizeDense(legs.A, { data: legs.B, shape: [n] }, d, 'bilinear');
      expect(ref.complex).toBe(false);
      const re = (a: Float64Array) => a.filter((_, i) => i % 2 === 0);
      const im = (a: Float64Array) => a.filter((_, i) => i % 2 === 1);
      expect(relativeError(re(back), ref.dA.data)).toBeLessThanOrEqual(TOLERANCE.float64);
      expect(Math.max(...im(back).map(Math.abs))).toBeLessThan(1e-12);
      expect(relativeError(re(backB), ref.dB.data)).toBeLessThanOrEqual(TOLERANCE.float64);
      expect(Math.max(...im(backB).map(Math.abs))).toBeLessThan(1e-12);
    },
  );
});

describe('precision', () => {
  it('a float32 system gives a float32 stepper and dense system close to float64', () => {
    const sys = randomDplr(1);
    const to32 = (t: ComplexTensor) => ({ data: Float32Array.from(t.data), shape: t.shape });
    const to64 = (t: ComplexTensor) => ({ data: Float64Array.from(to32(t).data), shape: t.shape });
    const s32 = dplrBilinear(to32(sys.Lambda), to32(sys.P), to32(sys.B), sys.dt);
    const s64 = dplrBilinear(to64(sys.Lambda), to64(sys.P), to64(sys.B), sys.dt);
    expect(s32.D.data).toBeInstanceOf(Float32Array);
    expect(s32.R.data).toBeInstanceOf(Float32Array);
    const d32 = dplrBilinearDense(s32);
    expect(d32.dA.data).toBeInstanceOf(Float32Array);
    const d64 = dplrBilinearDense(s64);
    expectClose(d32.dA.data, d64.dA.data, TOLERANCE.float32, 'Ā');
    expectClose(d32.dB.data, d64.dB.data, TOLERANCE.float32, 'B̄');
    const x = new Float32Array(2 * H * halfN).fill(0.5);
    const next = s32.step(x, Float32Array.of(1, 2, 3));
    expect(next).toBeInstanceOf(Float32Array);
    expectClose(next, s64.step(Float64Array.from(x), Float64Array.of(1, 2, 3)), TOLERANCE.float32, 'step');
  });
});
