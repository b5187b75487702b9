import { type ComplexTensor, createRng, type Tensor } from '@statespace/complex';
import { expectClose, relativeError, TOLERANCE } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import {
  DIAG_STEP_DISCS,
  type DiagStepDisc,
  type DiagStepParams,
  type DiagStepper,
  setupDiagStep,
} from '../src/diag-step';

// Oracle: stepping is the causal convolution with K_l = 2·Re Σ_n C_n B̄_n Ā_n^l (plus, from a
// start state x₀, 2·Re Σ_n C_n Ā_n^{l+1} x₀), with Ā, B̄ written out here from the formulas.

function crandn(seed: number, n: number, scale = 1): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: 2 * n }, () => scale * rng.normal());
}

function randomParams(
  H: number,
  N2: number,
  channels: number,
  disc: DiagStepDisc,
  seed: number,
  untiedDt = false,
): DiagStepParams & { Lambda: ComplexTensor<Float64Array> } {
  const rng = createRng(seed);
  const Lambda = new Float64Array(2 * H * N2);
  for (let i = 0; i < H * N2; i++) {
    Lambda[2 * i] = -(0.05 + rng.uniform());
    Lambda[2 * i + 1] = Math.PI * (i % N2) * (rng.uniform() < 0.5 ? -1 : 1);
  }
  const nDt = untiedDt ? H * N2 : H;
  return {
    Lambda: { data: Lambda, shape: [H, N2] },
    B: { data: crandn(seed + 1, H * N2), shape: [H, N2] },
    C: { data: crandn(seed + 2, channels * H * N2), shape: [channels, H, N2] },
    dt: {
      data: Float64Array.from({ length: nDt }, () =>
        Math.exp(Math.log(0.001) + rng.uniform() * Math.log(100)),
      ),
      shape: untiedDt ? [H, N2] : [H],
    },
    disc,
  };
}

/** Ā and B̄ of every mode from the formulas, float64. */
function discretize(p: DiagStepParams) {
  const [H, N2] = p.Lambda.shape;
  const dA = new Float64Array(2 * H * N2);
  const dB = new Float64Array(2 * H * N2);
  for (let i = 0; i < H * N2; i++) {
    const d = p.dt.data.length === H ? p.dt.data[Math.floor(i / N2)] : p.dt.data[i];
    const lr = p.Lambda.data[2 * i];
    const li = p.Lambda.data[2 * i + 1];
    const br = p.B.data[2 * i];
    const bi = p.B.data[2 * i + 1];
    let ar: number;
    let ai: number;
    let fr: number; // B̄ / B
    let fi: number;
    if (p.disc === 'zoh') {
      const m = Math.exp(d * lr);
      ar = m * Math.cos(d * li);
      ai = m * Math.sin(d * li);
      // (e^{ΔΛ} − 1)/Λ
      const den = lr * lr + li * li;
      fr = ((ar - 1) * lr + ai * li) / den;
      fi = (ai * lr - (ar - 1) * li) / den;
    } else {
      // (1 + x/2)/(1 − x/2) and Δ/(1 − x/2), x = ΔΛ
      const xr = d * lr;
      const xi = d * li;
      const qr = 1 - xr / 2;
      const qi = -xi / 2;
      const den = qr * qr + qi * qi;
      ar = ((1 + xr / 2) * qr + (xi / 2) * qi) / den;
      ai = ((xi / 2) * qr - (1 + xr / 2) * qi) / den;
      fr = (d * qr) / den;
      fi = (-d * qi) / den;
    }
    dA[2 * i] = ar;
    dA[2 * i + 1] = ai;
    dB[2 * i] = br * fr - bi * fi;
    dB[2 * i + 1] = br * fi + bi * fr;
  }
  return { dA, dB };
}

/**
 * y[b, c, h, t] = Σ_{s ≤ t} K[c, h, s]·u[b, h, t − s] + 2·Re Σ_n C Ā^{t+1} x₀[b, h, n],
 * with K and the state term from the formulas (powers by repeated multiplication).
 */
function oracle(p: DiagStepParams, u: Float64Array, batch: number, L: number, x0?: Float64Array) {
  const [H, N2] = p.Lambda.shape;
  const channels = p.C.shape[0];
  const { dA, dB } = discretize(p);
  const K = new Float64Array(channels * H * L);
  const Ks = new Float64Array(batch * channels * H * L);
  for (let c = 0; c < channels; c++)
    for (let h = 0; h < H; h++)
      for (let n = 0; n < N2; n++) {
        const i = h * N2 + n;
        const cr = p.C.data[2 * ((c * H + h) * N2 + n)];
        const ci = p.C.data[2 * ((c * H + h) * N2 + n) + 1];
        // v = C·B̄·Ā^l
        let vr = cr * dB[2 * i] - ci * dB[2 * i + 1];
        let vi = cr * dB[2 * i + 1] + ci * dB[2 * i];
        for (let l = 0; l < L; l++) {
          K[(c * H + h) * L + l] += 2 * vr;
          const t = vr * dA[2 * i] - vi * dA[2 * i + 1];
          vi = vr * dA[2 * i + 1] + vi * dA[2 * i];
          vr = t;
        }
        if (x0 === undefined) continue;
        for (let b = 0; b < batch; b++) {
          const xr = x0[2 * ((b * H + h) * N2 + n)];
          const xi = x0[2 * ((b * H + h) * N2 + n) + 1];
          // w = C·Ā^{l+1}·x₀
          let wr = cr * xr - ci * xi;
          let wi = cr * xi + ci * xr;
          for (let l = 0; l < L; l++) {
            const t = wr * dA[2 * i] - wi * dA[2 * i + 1];
            wi = wr * dA[2 * i + 1] + wi * dA[2 * i];
            wr = t;
            Ks[((b * channels + c) * H + h) * L + l] += 2 * wr;
          }
        }
      }
  const y = new Float64Array(batch * channels * H * L);
  for (let b = 0; b < batch; b++)
    for (let c = 0; c < channels; c++)
      for (let h = 0; h < H; h++)
        for (let t = 0; t < L; t++) {
          let s = Ks[((b * channels + c) * H + h) * L + t];
          for (let k = 0; k <= t; k++) s += K[(c * H + h) * L + k] * u[(b * H + h) * L + t - k];
          y[((b * channels + c) * H + h) * L + t] = s;
        }
  return y;
}

function randomU(batch: number, H: number, L: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: batch * H * L }, () => rng.normal());
}

/** Steps over u [batch, H, L]; returns y [batch, channels, H, L] and the final state. */
function run(
  stepper: DiagStepper,
  u: ArrayLike<number>,
  batch: number,
  L: number,
  state0?: ComplexTensor,
  inPlace = false,
) {
  const { H, channels } = stepper;
  let state = state0 ?? stepper.defaultState(batch);
  const ut: Tensor = { data: new Float64Array(batch * H), shape: [batch, H] };
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

describe('setupDiagStep: recurrence = convolution with the S4D kernel', () => {
  const H = 3;
  const N2 = 5;
  const batch = 2;
  const channels = 2;
  const L = 50;
  for (const disc of DIAG_STEP_DISCS) {
    it(`${disc}: from zero, y = conv(u, K) (channels 2, batch 2)`, () => {
      const p = randomParams(H, N2, channels, disc, 1);
      const u = randomU(batch, H, L, 2);
      expectClose(run(setupDiagStep(p), u, batch, L).y, oracle(p, u, batch, L), TOLERANCE.float64, 'y');
    });

    it(`${disc}: per-mode dt [H, N2]`, () => {
      const p = randomParams(H, N2, channels, disc, 3, true);
      const u = randomU(batch, H, L, 4);
      expectClose(run(setupDiagStep(p), u, batch, L).y, oracle(p, u, batch, L), TOLERANCE.float64, 'y');
    });

    it(`${disc}: from a start state, y = conv(u, K) + K_state`, () => {
      const p = randomParams(H, N2, channels, disc, 5);
      const u = randomU(batch, H, L, 6);
      const x0 = crandn(7, batch * H * N2);
      const state0 = { data: x0.slice(), shape: [batch, H, N2] };
      const { y } = run(setupDiagStep(p), u, batch, L, state0);
      expectClose(y, oracle(p, u, batch, L, x0), TOLERANCE.float64, 'y');
      expect(state0.data).toEqual(x0);
    });

    it(`${disc}: dA, dB, dC are the discretisation, as copies`, () => {
      const p = randomParams(H, N2, channels, disc, 8);
      const stepper = setupDiagStep(p);
      const { dA, dB } = discretize(p);
      expect(stepper.dA.shape).toEqual([H, N2]);
      expect(stepper.dB.shape).toEqual([H, N2]);
      expect(stepper.dC.shape).toEqual([channels, H, N2]);
      expectClose(stepper.dA.data, dA, 1e-14, 'dA');
      expectClose(stepper.dB.data, dB, 1e-13, 'dB');
      expectClose(stepper.dC.data, p.C.data, 0, 'dC');
      stepper.dA.data.fill(0);
      stepper.dC.data.fill(0);
      expectClose(stepper.dA.data, dA, 1e-14, 'dA after mutating a copy');
      expect([stepper.disc, stepper.H, stepper.halfN, stepper.channels, stepper.stateSize]).toEqual([
        disc,
        H,
        N2,
        channels,
        N2,
      ]);
    });

    it(`${disc}: float32 parameters step in float32 within 1e-4 of float64`, () => {
      const p = randomParams(H, N2, channels, disc, 9);
      const p32 = { Lambda: to32(p.Lambda), B: to32(p.B), C: to32(p.C), dt: to32(p.dt), disc };
      const s32 = setupDiagStep(p32);
      expect(s32.defaultState(1).data).toBeInstanceOf(Float32Array);
      expect(s32.dA.data).toBeInstanceOf(Float32Array);
      const out = s32.step({ data: new Float64Array(H).fill(1), shape: [1, H] }, s32.defaultState(1));
      expect(out.y.data).toBeInstanceOf(Float32Array);
      expect(out.state.data).toBeInstanceOf(Float32Array);
      const u = randomU(batch, H, L, 10);
      const y32 = run(s32, u, batch, L).y;
      const y64 = run(setupDiagStep(p), u, batch, L).y;
      expect(relativeError(y32, y64)).toBeGreaterThan(0);
      expectClose(y32, y64, TOLERANCE.float32, 'y float32');
    });

    it(`${disc}: repeated setup gives identical results and leaves its inputs untouched`, () => {
      const p = randomParams(H, N2, channels, disc, 11);
      const snapshot = [p.Lambda, p.B, p.C, p.dt].map((t) => t.data.slice());
      const u = randomU(batch, H, L, 12);
      const first = run(setupDiagStep(p), u, batch, L);
      const second = run(setupDiagStep(p), u, batch, L);
      expect(second.y).toEqual(first.y);
      expect(second.state.data).toEqual(first.state.data);
      [p.Lambda, p.B, p.C, p.dt].forEach((t, i) => {
        expect(t.data).toEqual(snapshot[i]);
      });
    });

    it(`${disc}: in place (outState = state) equals out of place; given outputs are returned`, () => {
      const p = randomParams(H, N2, channels, disc, 13);
      const stepper = setupDiagStep(p);
      const u = randomU(batch, H, L, 14);
      const fresh = run(stepper, u, batch, L);
      const inPlace = run(stepper, u, batch, L, undefined, true);
      expect(inPlace.y).toEqual(fresh.y);
      expect(inPlace.state.data).toEqual(fresh.state.data);
      const state = stepper.defaultState(batch);
      const outY = { data: new Float64Array(batch * channels * H), shape: [batch, channels, H] };
      const result = stepper.step(
        { data: new Float64Array(batch * H).fill(1), shape: [batch, H] },
        state,
        outY,
        state,
      );
      expect(result.y).toBe(outY);
      expect(result.state).toBe(state);
    });

    it(`${disc}: batch rows are independent`, () => {
      const p = randomParams(H, N2, channels, disc, 15);
      const stepper = setupDiagStep(p);
      const u = randomU(3, H, 20, 16);
      const all = run(stepper, u, 3, 20).y;
      for (let b = 0; b < 3; b++) {
        const one = run(stepper, u.subarray(b * H * 20, (b + 1) * H * 20), 1, 20).y;
        expectClose(all.subarray(b * channels * H * 20, (b + 1) * channels * H * 20), one, 0, `row ${b}`);
      }
    });
  }
});

describe('setupDiagStep: bad input', () => {
  const p = randomParams(2, 3, 1, 'zoh', 20);
  const stepper = setupDiagStep(p);

  it('rejects an unknown discretisation, listing the accepted ones', () => {
    expect(() => setupDiagStep({ ...p, disc: 'dss' as DiagStepDisc })).toThrow(
      /disc must be one of 'zoh', 'bilinear'; got 'dss'/,
    );
  });

  it('rejects mis-shaped parameters, naming them', () => {
    expect(() => setupDiagStep({ ...p, C: { data: new Float64Array(12), shape: [2, 3] } })).toThrow(
      /C must be a ComplexTensor of shape \[channels, 2, 3\]/,
    );
    expect(() => setupDiagStep({ ...p, C: { data: new Float64Array(16), shape: [1, 2, 4] } })).toThrow(
      /C must be a ComplexTensor of shape \[channels, 2, 3\]/,
    );
    expect(() => setupDiagStep({ ...p, B: { data: new Float64Array(8), shape: [2, 2] } })).toThrow(
      /B must end in shape \[2, 3\]/,
    );
    expect(() => setupDiagStep({ ...p, Lambda: { data: new Float64Array(6), shape: [3] } })).toThrow(
      /Lambda must be a ComplexTensor/,
    );
    expect(() => setupDiagStep({ ...p, dt: { data: new Float64Array(3).fill(0.1), shape: [3] } })).toThrow(
      /dt must be a Tensor of shape \[2\]/,
    );
  });

  it('rejects non-finite parameters and dt ≤ 0, naming them', () => {
    const set = (
      t: { data: Float64Array | Float32Array; shape: readonly number[] },
      i: number,
      v: number,
    ) => {
      const data = t.data.slice();
      data[i] = v;
      return { data, shape: t.shape };
    };
    expect(() => setupDiagStep({ ...p, Lambda: set(p.Lambda, 2, Number.NaN) })).toThrow(
      /Lambda must be finite/,
    );
    expect(() => setupDiagStep({ ...p, B: set(p.B, 0, Number.POSITIVE_INFINITY) })).toThrow(
      /B must be finite/,
    );
    expect(() => setupDiagStep({ ...p, C: set(p.C, 5, Number.NaN) })).toThrow(
      /C must be finite; found NaN at index 5/,
    );
    expect(() => setupDiagStep({ ...p, dt: set(p.dt, 1, Number.NaN) })).toThrow(/dt must be finite and > 0/);
    expect(() => setupDiagStep({ ...p, dt: set(p.dt, 0, -0.1) })).toThrow(/dt must be finite and > 0/);
  });

  it('rejects inputs, states and outputs of the wrong shape, and a non-finite input', () => {
    const state = stepper.defaultState(1);
    const u = { data: new Float64Array(2), shape: [1, 2] };
    expect(() => stepper.step({ data: new Float64Array(3), shape: [1, 3] }, state)).toThrow(
      /u must be a Tensor of shape \[batch, 2\]/,
    );
    expect(() => stepper.step({ data: new Float64Array(2), shape: [2] }, state)).toThrow(
      /u must be a Tensor of shape \[batch, 2\]/,
    );
    expect(() => stepper.step({ data: Float64Array.of(Number.NaN, 0), shape: [1, 2] }, state)).toThrow(
      /u must be finite; found NaN at index 0/,
    );
    expect(() => stepper.step(u, { data: new Float64Array(12), shape: [1, 2, 6] })).toThrow(
      /state must be a ComplexTensor of shape \[1, 2, 3\]/,
    );
    expect(() => stepper.step(u, stepper.defaultState(2))).toThrow(
      /state must be a ComplexTensor of shape \[1, 2, 3\]/,
    );
    expect(() => stepper.step(u, state, { data: new Float64Array(2), shape: [1, 2] })).toThrow(
      /outY must be a Tensor of shape \[1, 1, 2\]/,
    );
    expect(() => stepper.step(u, state, undefined, stepper.defaultState(2))).toThrow(
      /outState must be a ComplexTensor of shape \[1, 2, 3\]/,
    );
    expect(() => stepper.defaultState(1.5)).toThrow(/batch must be an integer ≥ 1/);
  });
});
