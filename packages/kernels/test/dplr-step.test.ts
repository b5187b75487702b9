import { type ComplexTensor, conjExpand, createRng, type Rng, type Tensor } from '@statespace/complex';
import { dplr } from '@statespace/hippo';
import { csolve } from '@statespace/linalg';
import { expectClose, relativeError, TOLERANCE } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { cTildeFromC } from '../src/c-tilde';
import { DPLR_STEP_MODES, type DplrStepMode, type DplrStepper, setupDplrStep } from '../src/dplr-step';
import type { DplrSystem } from '../src/dplr-system';
import { krylovKernel } from '../src/krylov';

// Oracle: stepping from the zero state is the causal convolution with the Krylov kernel
// K_l = Re(C Ā^l B̄) of a dense bilinear system built here independently (explicit A, LU solves).

// Random DPLR systems are well conditioned (distinct, spread eigenvalues), so even the
// eigendecomposition of `diagonal` mode keeps ~1e-12; held to 1e-7 as the eig-based mode.
const DIAGONAL_TOLERANCE = 1e-7;
const tolerance = (mode: DplrStepMode) => (mode === 'diagonal' ? DIAGONAL_TOLERANCE : TOLERANCE.float64);

function crandn(rng: Rng, n: number, scale = 1): Float64Array {
  return Float64Array.from({ length: 2 * n }, () => scale * rng.normal());
}

function randomSystem(H: number, N2: number, rank: number, seed: number): DplrSystem {
  const rng = createRng(seed);
  const Lambda = new Float64Array(2 * H * N2);
  for (let i = 0; i < H * N2; i++) {
    Lambda[2 * i] = -(0.1 + rng.uniform());
    Lambda[2 * i + 1] = -Math.PI * ((i % N2) + 0.3 * rng.uniform());
  }
  return {
    Lambda: { data: Lambda, shape: [H, N2] },
    P: { data: crandn(rng, rank * H * N2, 0.4), shape: [rank, H, N2] },
    B: { data: crandn(rng, H * N2), shape: [H, N2] },
    dt: {
      data: Float64Array.from({ length: H }, () => Math.exp(Math.log(0.01) + rng.uniform() * Math.log(10))),
      shape: [H],
    },
  };
}

function randomC(channels: number, H: number, N2: number, seed: number): ComplexTensor<Float64Array> {
  return { data: crandn(createRng(seed), channels * H * N2), shape: [channels, H, N2] };
}

function randomU(batch: number, H: number, L: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: batch * H * L }, () => rng.normal());
}

/** Ā = (I − Δ/2·A)⁻¹(I + Δ/2·A), B̄ = (I − Δ/2·A)⁻¹Δb over the full state, A = diag(λ) − Σ p p*. */
function denseOracle(system: DplrSystem) {
  const [H, N2] = system.Lambda.shape;
  const rank = system.P.shape[0];
  const N = 2 * N2;
  const dA = new Float64Array(2 * H * N * N);
  const dB = new Float64Array(2 * H * N);
  for (let h = 0; h < H; h++) {
    const d = system.dt.data[h];
    const lam = conjExpand(Float64Array.from(system.Lambda.data.subarray(2 * h * N2, 2 * (h + 1) * N2)));
    const A = new Float64Array(2 * N * N);
    for (let i = 0; i < N; i++) {
      A[2 * (i * N + i)] = lam[2 * i];
      A[2 * (i * N + i) + 1] = lam[2 * i + 1];
    }
    for (let r = 0; r < rank; r++) {
      const p = conjExpand(
        Float64Array.from(system.P.data.subarray(2 * (r * H + h) * N2, 2 * (r * H + h + 1) * N2)),
      );
      for (let i = 0; i < N; i++) {
        for (let j = 0; j < N; j++) {
          // p_i · conj(p_j)
          A[2 * (i * N + j)] -= p[2 * i] * p[2 * j] + p[2 * i + 1] * p[2 * j + 1];
          A[2 * (i * N + j) + 1] -= p[2 * i + 1] * p[2 * j] - p[2 * i] * p[2 * j + 1];
        }
      }
    }
    const lhs = new Float64Array(2 * N * N);
    const rhs = new Float64Array(2 * N * (N + 1));
    const b = conjExpand(Float64Array.from(system.B.data.subarray(2 * h * N2, 2 * (h + 1) * N2)));
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) {
        const eye = i === j ? 1 : 0;
        lhs[2 * (i * N + j)] = eye - (d / 2) * A[2 * (i * N + j)];
        lhs[2 * (i * N + j) + 1] = -(d / 2) * A[2 * (i * N + j) + 1];
        rhs[2 * (i * (N + 1) + j)] = eye + (d / 2) * A[2 * (i * N + j)];
        rhs[2 * (i * (N + 1) + j) + 1] = (d / 2) * A[2 * (i * N + j) + 1];
      }
      rhs[2 * (i * (N + 1) + N)] = d * b[2 * i];
      rhs[2 * (i * (N + 1) + N) + 1] = d * b[2 * i + 1];
    }
    const x = csolve({ data: lhs, shape: [N, N] }, { data: rhs, shape: [N, N + 1] }).data;
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) {
        dA[2 * ((h * N + i) * N + j)] = x[2 * (i * (N + 1) + j)];
        dA[2 * ((h * N + i) * N + j) + 1] = x[2 * (i * (N + 1) + j) + 1];
      }
      dB[2 * (h * N + i)] = x[2 * (i * (N + 1) + N)];
      dB[2 * (h * N + i) + 1] = x[2 * (i * (N + 1) + N) + 1];
    }
  }
  return { dA: { data: dA, shape: [H, N, N] }, dB: { data: dB, shape: [H, N] } };
}

/** y[b, c, h, t] = Σ_{s ≤ t} K[c, h, s]·u[b, h, t − s]. */
function convolve(u: Float64Array, K: Float64Array, batch: number, channels: number, H: number, L: number) {
  const y = new Float64Array(batch * channels * H * L);
  for (let b = 0; b < batch; b++)
    for (let c = 0; c < channels; c++)
      for (let h = 0; h < H; h++)
        for (let t = 0; t < L; t++) {
          let s = 0;
          for (let k = 0; k <= t; k++) s += K[(c * H + h) * L + k] * u[(b * H + h) * L + t - k];
          y[((b * channels + c) * H + h) * L + t] = s;
        }
  return y;
}

/** Steps over u [batch, H, L]; returns y [batch, channels, H, L] and the final state. */
function run(stepper: DplrStepper, u: ArrayLike<number>, batch: number, L: number, inPlace = false) {
  const { H, channels } = stepper;
  let state = stepper.defaultState(batch);
  const like = state.data;
  const ut: Tensor = {
    data: like instanceof Float32Array ? new Float32Array(batch * H) : new Float64Array(batch * H),
    shape: [batch, H],
  };
  const y = new Float64Array(batch * channels * H * L);
  for (let t = 0; t < L; t++) {
    for (let i = 0; i < batch * H; i++) ut.data[i] = u[i * L + t];
    const out = inPlace ? stepper.step(ut, state, undefined, state) : stepper.step(ut, state);
    for (let i = 0; i < batch * channels; i++)
      for (let h = 0; h < H; h++) y[(i * H + h) * L + t] = out.y.data[i * H + h];
    state = out.state;
  }
  return { y, state };
}

function to32(t: { data: ArrayLike<number>; shape: readonly number[] }) {
  return { data: Float32Array.from(t.data), shape: [...t.shape] };
}

function system32(s: DplrSystem) {
  return { Lambda: to32(s.Lambda), P: to32(s.P), B: to32(s.B), dt: to32(s.dt) };
}

describe('setupDplrStep: recurrence = convolution with the Krylov kernel', () => {
  const H = 3;
  const N2 = 6;
  const channels = 2;
  const batch = 2;
  const L = 40;
  for (const rank of [1, 2, 3]) {
    const system = randomSystem(H, N2, rank, 10 + rank);
    const C = randomC(channels, H, N2, 20 + rank);
    const u = randomU(batch, H, L, 30 + rank);
    const oracle = denseOracle(system);
    const K = krylovKernel(
      oracle.dA,
      oracle.dB,
      { data: conjExpand(C.data, channels * H), shape: [channels, H, 2 * N2] },
      L,
    ).data;
    const expected = convolve(u, K, batch, channels, H, L);
    for (const mode of DPLR_STEP_MODES) {
      it(`rank ${rank}, ${mode}: plain C (lKernel 0)`, () => {
        const stepper = setupDplrStep(system, C, { lKernel: 0, mode });
        expectClose(run(stepper, u, batch, L).y, expected, tolerance(mode), `y (${mode})`);
      });
      it(`rank ${rank}, ${mode}: C̃ for lKernel 32 gives the same outputs`, () => {
        const stepper = setupDplrStep(system, cTildeFromC(system, C, 32), { lKernel: 32, mode });
        expectClose(run(stepper, u, batch, L).y, expected, tolerance(mode), `y (${mode})`);
      });
    }
    it(`rank ${rank}: dense dA, dB equal the independent bilinear discretisation`, () => {
      const stepper = setupDplrStep(system, C, { lKernel: 0, mode: 'dense' });
      expectClose(stepper.dA.data, oracle.dA.data, 1e-12, 'dA');
      expectClose(stepper.dB.data, oracle.dB.data, 1e-12, 'dB');
    });
  }

  it('a HiPPO-LegS system (rank 2), dense and linear', () => {
    const { A, P, B } = dplr('legs', 16, { H: 2, rank: 2 });
    const system: DplrSystem = { Lambda: A, P, B, dt: { data: Float64Array.of(0.01, 0.05), shape: [2] } };
    const C = randomC(1, 2, 8, 5);
    const u = randomU(1, 2, 64, 6);
    const oracle = denseOracle(system);
    const K = krylovKernel(oracle.dA, oracle.dB, { data: conjExpand(C.data, 2), shape: [1, 2, 16] }, 64).data;
    const expected = convolve(u, K, 1, 1, 2, 64);
    for (const mode of ['dense', 'linear'] as const) {
      const stepper = setupDplrStep(system, cTildeFromC(system, C, 64), { lKernel: 64, mode });
      expectClose(run(stepper, u, 1, 64).y, expected, TOLERANCE.float64, `y (${mode})`);
    }
  });
});

describe('setupDplrStep: modes, matrices and state', () => {
  const system = randomSystem(2, 4, 2, 1);
  const C = randomC(3, 2, 4, 2);

  it('sizes and default states per mode', () => {
    for (const mode of DPLR_STEP_MODES) {
      const stepper = setupDplrStep(system, C, { lKernel: 0, mode });
      expect(stepper.mode).toBe(mode);
      expect([stepper.H, stepper.halfN, stepper.rank, stepper.channels, stepper.lKernel]).toEqual([
        2, 4, 2, 3, 0,
      ]);
      const size = mode === 'linear' ? 4 : 8;
      expect(stepper.stateSize).toBe(size);
      const state = stepper.defaultState(5);
      expect(state.shape).toEqual([5, 2, size]);
      expect(state.data).toBeInstanceOf(Float64Array);
      expect(state.data.every((v) => v === 0)).toBe(true);
      expect(stepper.dC.shape).toEqual([3, 2, size]);
      expect(stepper.dA.shape).toEqual(mode === 'diagonal' ? [2, 8] : [2, 8, 8]);
      expect(stepper.dB.shape).toEqual([2, 8]);
    }
  });

  it('the mode defaults to dense', () => {
    expect(setupDplrStep(system, C, { lKernel: 0 }).mode).toBe('dense');
  });

  it('linear mode uses 2·C over the stored half and exposes the dense Ā, B̄', () => {
    const dense = setupDplrStep(system, C, { lKernel: 0, mode: 'dense' });
    const linear = setupDplrStep(system, C, { lKernel: 0, mode: 'linear' });
    const twice = new Float64Array(C.data.length);
    for (let row = 0; row < 6; row++)
      for (let i = 0; i < 8; i++) twice[row * 8 + i] = 2 * dense.dC.data[row * 16 + i];
    expectClose(linear.dC.data, twice, 0, 'dC');
    expectClose(linear.dA.data, dense.dA.data, 0, 'dA');
    expectClose(linear.dB.data, dense.dB.data, 0, 'dB');
    expect(linear.diagonalizationError).toBe(0);
    expect(dense.diagonalizationError).toBe(0);
  });

  it('diagonal mode: λ, V⁻¹B̄ and C·V rebuild the kernel, and the reconstruction error is reported', () => {
    const diagonal = setupDplrStep(system, C, { lKernel: 0, mode: 'diagonal' });
    expect(diagonal.diagonalizationError).toBeGreaterThan(0);
    expect(diagonal.diagonalizationError).toBeLessThan(1e-12);
    const dense = setupDplrStep(system, C, { lKernel: 0, mode: 'dense' });
    const K = krylovKernel(dense.dA, dense.dB, dense.dC, 10).data;
    // Krylov on the diagonal matrices: diag(λ) as a dense matrix.
    const N = 8;
    const lam = diagonal.dA.data;
    const D = new Float64Array(2 * 2 * N * N);
    for (let h = 0; h < 2; h++)
      for (let i = 0; i < N; i++) {
        D[2 * ((h * N + i) * N + i)] = lam[2 * (h * N + i)];
        D[2 * ((h * N + i) * N + i) + 1] = lam[2 * (h * N + i) + 1];
      }
    const Kd = krylovKernel({ data: D, shape: [2, N, N] }, diagonal.dB, diagonal.dC, 10).data;
    expectClose(Kd, K, 1e-10, 'kernel from the eigenbasis');
  });

  it('the matrices are copies: mutating them does not change the stepper', () => {
    for (const mode of DPLR_STEP_MODES) {
      const stepper = setupDplrStep(system, C, { lKernel: 0, mode });
      const u = randomU(1, 2, 6, 3);
      const before = run(stepper, u, 1, 6).y;
      stepper.dA.data.fill(0);
      stepper.dB.data.fill(0);
      stepper.dC.data.fill(0);
      expect(stepper.dA.data.some((v) => v !== 0)).toBe(true);
      expectClose(run(stepper, u, 1, 6).y, before, 0, `y after mutating copies (${mode})`);
    }
  });

  it('in-place stepping (outState = state) and reused outputs give the same results', () => {
    const u = randomU(2, 2, 12, 4);
    for (const mode of DPLR_STEP_MODES) {
      const stepper = setupDplrStep(system, C, { lKernel: 0, mode });
      const fresh = run(stepper, u, 2, 12);
      const inPlace = run(stepper, u, 2, 12, true);
      expectClose(inPlace.y, fresh.y, 0, `y in place (${mode})`);
      expectClose(inPlace.state.data, fresh.state.data, 0, `state in place (${mode})`);

      const state = stepper.defaultState(2);
      const outY = { data: new Float64Array(2 * 3 * 2), shape: [2, 3, 2] };
      const ut = { data: Float64Array.of(1, -2, 0.5, 3), shape: [2, 2] };
      const result = stepper.step(ut, state, outY, state);
      expect(result.y).toBe(outY);
      expect(result.state).toBe(state);
      expect(state.data.some((v) => v !== 0)).toBe(true);
    }
  });

  it('step does not modify its input state unless it is the output', () => {
    for (const mode of DPLR_STEP_MODES) {
      const stepper = setupDplrStep(system, C, { lKernel: 0, mode });
      const state = stepper.defaultState(1);
      state.data.fill(0.25);
      const copy = state.data.slice();
      const ut = { data: Float64Array.of(1, 2), shape: [1, 2] };
      const out = stepper.step(ut, state);
      expect(out.state).not.toBe(state);
      expect(state.data).toEqual(copy);
      expect(ut.data).toEqual(Float64Array.of(1, 2));
    }
  });

  it('batch rows are independent', () => {
    const u = randomU(3, 2, 10, 9);
    for (const mode of DPLR_STEP_MODES) {
      const stepper = setupDplrStep(system, C, { lKernel: 0, mode });
      const all = run(stepper, u, 3, 10).y;
      for (let b = 0; b < 3; b++) {
        const one = run(stepper, u.subarray(b * 20, (b + 1) * 20), 1, 10).y;
        expectClose(all.subarray(b * 60, (b + 1) * 60), one, 0, `batch row ${b} (${mode})`);
      }
    }
  });
});

describe('setupDplrStep: precision and purity', () => {
  const system = randomSystem(3, 5, 2, 7);
  const C = randomC(2, 3, 5, 8);
  const Ctilde = cTildeFromC(system, C, 16);
  const u = randomU(2, 3, 30, 9);

  for (const mode of DPLR_STEP_MODES) {
    it(`${mode}: float32 parameters step in float32 within 1e-4 of float64`, () => {
      const s32 = setupDplrStep(system32(system), to32(Ctilde), { lKernel: 16, mode });
      const s64 = setupDplrStep(system, Ctilde, { lKernel: 16, mode });
      expect(s32.defaultState(1).data).toBeInstanceOf(Float32Array);
      expect(s32.dA.data).toBeInstanceOf(Float32Array);
      expect(s32.dC.data).toBeInstanceOf(Float32Array);
      const state = s32.defaultState(2);
      const out = s32.step({ data: new Float32Array(6).fill(1), shape: [2, 3] }, state);
      expect(out.y.data).toBeInstanceOf(Float32Array);
      expect(out.state.data).toBeInstanceOf(Float32Array);
      const y32 = run(s32, u, 2, 30).y;
      const y64 = run(s64, u, 2, 30).y;
      const err = relativeError(y32, y64);
      expect(err).toBeGreaterThan(0);
      expectClose(y32, y64, TOLERANCE.float32, `y float32 (${mode})`);
    });

    it(`${mode}: repeated setup gives identical results and leaves its inputs untouched`, () => {
      const snapshot = [system.Lambda, system.P, system.B, system.dt, Ctilde].map((t) => t.data.slice());
      const first = run(setupDplrStep(system, Ctilde, { lKernel: 16, mode }), u, 2, 30);
      const second = run(setupDplrStep(system, Ctilde, { lKernel: 16, mode }), u, 2, 30);
      expect(second.y).toEqual(first.y);
      expect(second.state.data).toEqual(first.state.data);
      [system.Lambda, system.P, system.B, system.dt, Ctilde].forEach((t, i) => {
        expect(t.data).toEqual(snapshot[i]);
      });
    });
  }
});

describe('setupDplrStep: bad input', () => {
  const system = randomSystem(2, 4, 1, 3);
  const C = randomC(1, 2, 4, 4);
  const dense = setupDplrStep(system, C, { lKernel: 0 });
  const linear = setupDplrStep(system, C, { lKernel: 0, mode: 'linear' });

  it('rejects an unknown mode, listing the accepted ones', () => {
    expect(() => setupDplrStep(system, C, { lKernel: 0, mode: 'fast' as DplrStepMode })).toThrow(
      /mode must be one of 'dense', 'linear', 'diagonal'; got 'fast'/,
    );
  });

  it('rejects lKernel < 0, non-integers and a missing lKernel', () => {
    expect(() => setupDplrStep(system, C, { lKernel: -1 })).toThrow(/lKernel must be an integer ≥ 0; got -1/);
    expect(() => setupDplrStep(system, C, { lKernel: 2.5 })).toThrow(/lKernel must be an integer ≥ 0/);
    expect(() => setupDplrStep(system, C, {} as { lKernel: number })).toThrow(/lKernel must be an integer/);
  });

  it('rejects a C̃ of the wrong shape or with non-finite values', () => {
    expect(() => setupDplrStep(system, randomC(1, 3, 4, 1), { lKernel: 0 })).toThrow(
      /Ctilde must be a ComplexTensor of shape \[channels, 2, 4\]/,
    );
    expect(() =>
      setupDplrStep(system, { data: new Float64Array(16), shape: [2, 4] }, { lKernel: 0 }),
    ).toThrow(/Ctilde must be a ComplexTensor of shape \[channels, 2, 4\]/);
    const bad = randomC(1, 2, 4, 1);
    bad.data[3] = Number.NaN;
    expect(() => setupDplrStep(system, bad, { lKernel: 0 })).toThrow(
      /Ctilde must be finite; found NaN at index 3/,
    );
  });

  it('rejects non-finite or mis-shaped parameters, naming them', () => {
    const withField = (field: keyof DplrSystem, index: number, value: number) => {
      const copy = { ...system, [field]: { data: system[field].data.slice(), shape: system[field].shape } };
      copy[field].data[index] = value;
      return copy;
    };
    expect(() => setupDplrStep(withField('Lambda', 1, Number.NaN), C, { lKernel: 0 })).toThrow(
      /Lambda must be finite/,
    );
    expect(() => setupDplrStep(withField('P', 0, Number.POSITIVE_INFINITY), C, { lKernel: 0 })).toThrow(
      /P must be finite/,
    );
    expect(() => setupDplrStep(withField('B', 2, Number.NaN), C, { lKernel: 0 })).toThrow(/B must be finite/);
    expect(() => setupDplrStep(withField('dt', 0, Number.NaN), C, { lKernel: 0 })).toThrow(
      /dt must be finite and > 0/,
    );
    expect(() => setupDplrStep(withField('dt', 1, 0), C, { lKernel: 0 })).toThrow(
      /dt must be finite and > 0/,
    );
    expect(() => setupDplrStep({ ...system, B: randomC(1, 2, 3, 1) }, C, { lKernel: 0 })).toThrow(
      /B must be a ComplexTensor of shape \[H, N\/2\]/,
    );
  });

  it('rejects inputs, states and outputs of the wrong shape, and a non-finite input', () => {
    const state = dense.defaultState(1);
    const u = { data: new Float64Array(2), shape: [1, 2] };
    expect(() => dense.step({ data: new Float64Array(3), shape: [1, 3] }, state)).toThrow(
      /u must be a Tensor of shape \[batch, 2\]/,
    );
    expect(() => dense.step({ data: new Float64Array(2), shape: [2] }, state)).toThrow(
      /u must be a Tensor of shape \[batch, 2\]/,
    );
    expect(() => dense.step({ data: Float64Array.of(0, Number.NaN), shape: [1, 2] }, state)).toThrow(
      /u must be finite; found NaN at index 1/,
    );
    // A half state in a full-state mode, and the other way round.
    expect(() => dense.step(u, linear.defaultState(1))).toThrow(
      /state must be a ComplexTensor of shape \[1, 2, 8\]/,
    );
    expect(() => linear.step(u, dense.defaultState(1))).toThrow(
      /state must be a ComplexTensor of shape \[1, 2, 4\]/,
    );
    // Batch of the state differs from u's.
    expect(() => dense.step(u, dense.defaultState(2))).toThrow(
      /state must be a ComplexTensor of shape \[1, 2, 8\]/,
    );
    expect(() => dense.step(u, state, { data: new Float64Array(3), shape: [1, 1, 3] })).toThrow(
      /outY must be a Tensor of shape \[1, 1, 2\]/,
    );
    expect(() => dense.step(u, state, undefined, linear.defaultState(1))).toThrow(
      /outState must be a ComplexTensor of shape \[1, 2, 8\]/,
    );
    expect(() => dense.defaultState(0)).toThrow(/batch must be an integer ≥ 1/);
  });
});
