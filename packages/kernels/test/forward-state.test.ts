import { type ComplexTensor, conjExpand, createRng, type Tensor } from '@statespace/complex';
import { dplrBilinear } from '@statespace/discretize';
import { expectClose } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import type { DplrSystem } from '../src/dplr-system';
import { diagForwardState, dplrForwardState } from '../src/forward-state';

function randomComplex(shape: number[], seed: number, scale = 1): ComplexTensor<Float64Array> {
  const rng = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return { data: Float64Array.from({ length: 2 * n }, () => scale * rng.normal()), shape };
}

function randomReal(shape: number[], seed: number): Tensor<Float64Array> {
  const rng = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return { data: Float64Array.from({ length: n }, () => rng.normal()), shape };
}

function randomLambda(H: number, N2: number, seed: number): ComplexTensor<Float64Array> {
  const rng = createRng(seed);
  const data = new Float64Array(2 * H * N2);
  for (let i = 0; i < H * N2; i++) {
    data[2 * i] = -(0.1 + rng.uniform());
    data[2 * i + 1] = -(Math.PI * (i % N2) + rng.normal());
  }
  return { data, shape: [H, N2] };
}

function randomDt(shape: number[], seed: number): Tensor<Float64Array> {
  const rng = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return { data: Float64Array.from({ length: n }, () => 0.01 + 0.1 * rng.uniform()), shape };
}

const f32 = <T extends { data: Float64Array | Float32Array }>(t: T): T => ({
  ...t,
  data: Float32Array.from(t.data),
});

/** Steps x ← Ā x + B̄ u_t mode by mode with Ā, B̄ written out (zoh or bilinear). */
function stepDiag(
  Lambda: ComplexTensor,
  B: ComplexTensor,
  dt: Tensor,
  disc: 'zoh' | 'bilinear',
  u: Tensor,
  state: ComplexTensor,
): Float64Array {
  const [batch, H, L] = u.shape;
  const N2 = Lambda.shape[1];
  const perMode = dt.shape.length === 2 && dt.shape[1] === N2;
  const out = Float64Array.from(state.data);
  for (let h = 0; h < H; h++) {
    for (let n = 0; n < N2; n++) {
      const m = h * N2 + n;
      const d = perMode ? dt.data[m] : dt.data[h];
      const xr = Lambda.data[2 * m] * d;
      const xi = Lambda.data[2 * m + 1] * d;
      const br = B.data[2 * m];
      const bi = B.data[2 * m + 1];
      let ar: number;
      let ai: number;
      let dbr: number;
      let dbi: number;
      if (disc === 'zoh') {
        ar = Math.exp(xr) * Math.cos(xi);
        ai = Math.exp(xr) * Math.sin(xi);
        // B·(e^x − 1)/Λ
        const lr = Lambda.data[2 * m];
        const li = Lambda.data[2 * m + 1];
        const den = lr * lr + li * li;
        const qr = ((ar - 1) * lr + ai * li) / den;
        const qi = (ai * lr - (ar - 1) * li) / den;
        dbr = br * qr - bi * qi;
        dbi = br * qi + bi * qr;
      } else {
        const dr = 1 - xr / 2;
        const di = -xi / 2;
        const den = dr * dr + di * di;
        ar = ((1 + xr / 2) * dr + (xi / 2) * di) / den;
        ai = ((xi / 2) * dr - (1 + xr / 2) * di) / den;
        dbr = (d * (br * dr + bi * di)) / den;
        dbi = (d * (bi * dr - br * di)) / den;
      }
      for (let b = 0; b < batch; b++) {
        const o = 2 * ((b * H + h) * N2 + n);
        let sr = out[o];
        let si = out[o + 1];
        for (let t = 0; t < L; t++) {
          const ut = u.data[(b * H + h) * L + t];
          const nr = ar * sr - ai * si + dbr * ut;
          si = ar * si + ai * sr + dbi * ut;
          sr = nr;
        }
        out[o] = sr;
        out[o + 1] = si;
      }
    }
  }
  return out;
}

describe('diagForwardState', () => {
  for (const disc of ['zoh', 'bilinear'] as const) {
    for (const L of [0, 1, 2, 100, 300]) {
      it(`${disc}, L = ${L}: equals stepping the recurrence`, () => {
        const H = 3;
        const N2 = 6;
        const Lambda = randomLambda(H, N2, L + 1);
        const B = randomComplex([H, N2], 2);
        const dt = randomDt([H], 3);
        const u = randomReal([2, H, L], 4);
        const state = randomComplex([2, H, N2], 5);
        const next = diagForwardState({ Lambda, B, dt, disc, u, state });
        expect(next.shape).toEqual([2, H, N2]);
        expect(next.data).toBeInstanceOf(Float64Array);
        expectClose(next.data, stepDiag(Lambda, B, dt, disc, u, state), 1e-12, 'next state');
      });
    }

    it(`${disc}: per-mode Δ, and float32 in → float32 out`, () => {
      const Lambda = randomLambda(2, 4, 11);
      const B = randomComplex([2, 4], 12);
      const dt = randomDt([2, 4], 13);
      const u = randomReal([1, 2, 50], 14);
      const state = randomComplex([1, 2, 4], 15);
      const ref = stepDiag(Lambda, B, dt, disc, u, state);
      expectClose(diagForwardState({ Lambda, B, dt, disc, u, state }).data, ref, 1e-12, 'per-mode Δ');
      const out = diagForwardState({ Lambda, B, dt, disc, u: f32(u), state: f32(state) });
      expect(out.data).toBeInstanceOf(Float32Array);
      expectClose(out.data, ref, 1e-4, 'float32');
    });
  }

  it('rejects dss, mismatched shapes and non-finite values, naming the argument', () => {
    const Lambda = randomLambda(2, 4, 21);
    const B = randomComplex([2, 4], 22);
    const dt = randomDt([2], 23);
    const u = randomReal([1, 2, 8], 24);
    const state = randomComplex([1, 2, 4], 25);
    const base = { Lambda, B, dt, disc: 'zoh' as const, u, state };
    // biome-ignore lint/suspicious/noExplicitAny: an invalid disc on purpose
    expect(() => diagForwardState({ ...base, disc: 'dss' as any })).toThrow(
      /disc must be one of 'zoh', 'bilinear'; got 'dss'/,
    );
    expect(() => diagForwardState({ ...base, u: randomReal([1, 3, 8], 1) })).toThrow(
      /u must have shape \[batch, H = 2, L\]/,
    );
    expect(() => diagForwardState({ ...base, u: randomReal([2, 8], 1) })).toThrow(/u must have shape/);
    expect(() => diagForwardState({ ...base, state: randomComplex([2, 2, 4], 1) })).toThrow(
      /state must have shape \[batch = 1, H = 2, N2 = 4\]/,
    );
    expect(() => diagForwardState({ ...base, B: randomComplex([2, 3], 1) })).toThrow(
      /B must have shape \[H = 2, N2 = 4\]/,
    );
    expect(() => diagForwardState({ ...base, dt: randomDt([4], 1) })).toThrow(/dt must have shape/);
    const badU = Float64Array.from(u.data);
    badU[5] = Number.NaN;
    expect(() => diagForwardState({ ...base, u: { data: badU, shape: u.shape } })).toThrow(
      /u must be finite; found NaN at index 5/,
    );
  });
});

function randomSystem(H: number, N2: number, R: number, seed: number, perModeDt = false): DplrSystem {
  return {
    Lambda: randomLambda(H, N2, seed),
    P: randomComplex([R, H, N2], seed + 1, 0.5),
    B: randomComplex([H, N2], seed + 2),
    dt: randomDt(perModeDt ? [H, N2] : [H], seed + 3),
  };
}

/** Steps the half state with the O(N) bilinear stepper of discretize (official `_step_state_linear`). */
function stepDplr(system: DplrSystem, u: Tensor, state: ComplexTensor): Float64Array {
  const stepper = dplrBilinear(system.Lambda, system.P, system.B, system.dt);
  const [batch, H, L] = u.shape;
  const N2 = system.Lambda.shape[1];
  const out = new Float64Array(2 * batch * H * N2);
  const ut = new Float64Array(H);
  for (let b = 0; b < batch; b++) {
    let x = Float64Array.from(state.data.subarray(2 * b * H * N2, 2 * (b + 1) * H * N2));
    for (let t = 0; t < L; t++) {
      for (let h = 0; h < H; h++) ut[h] = u.data[(b * H + h) * L + t];
      x = stepper.step(x, ut);
    }
    out.set(x, 2 * b * H * N2);
  }
  return out;
}

describe('dplrForwardState', () => {
  for (const R of [1, 2, 3]) {
    for (const L of [0, 1, 2, 37, 128]) {
      it(`rank ${R}, L = ${L}: equals stepping the recurrence (half state)`, () => {
        const H = 2;
        const N2 = 5;
        const system = randomSystem(H, N2, R, 10 * R + L);
        const u = randomReal([2, H, L], 7);
        const state = randomComplex([2, H, N2], 8);
        const next = dplrForwardState({ system, u, state });
        expect(next.shape).toEqual([2, H, N2]);
        expect(next.data).toBeInstanceOf(Float64Array);
        expectClose(next.data, stepDplr(system, u, state), 1e-11, 'next half state');
      });
    }
  }

  it('a full state in gives the full state out (its first half is the half-state result)', () => {
    const H = 2;
    const N2 = 4;
    const system = randomSystem(H, N2, 2, 41);
    const u = randomReal([1, H, 20], 42);
    const half = randomComplex([1, H, N2], 43);
    const full: ComplexTensor = { data: conjExpand(half.data, H), shape: [1, H, 2 * N2] };
    const next = dplrForwardState({ system, u, state: full });
    expect(next.shape).toEqual([1, H, 2 * N2]);
    const expectedHalf = stepDplr(system, u, half);
    expectClose(next.data, conjExpand(expectedHalf, H), 1e-11, 'full state');
  });

  it('per-mode Δ, and float32 in → float32 out', () => {
    const system = randomSystem(2, 4, 1, 51, true);
    const u = randomReal([2, 2, 30], 52);
    const state = randomComplex([2, 2, 4], 53);
    const ref = stepDplr(system, u, state);
    expectClose(dplrForwardState({ system, u, state }).data, ref, 1e-11, 'per-mode Δ');
    const out = dplrForwardState({ system, u: f32(u), state: f32(state) });
    expect(out.data).toBeInstanceOf(Float32Array);
    expectClose(out.data, ref, 1e-4, 'float32');
  });

  it('rejects mismatched shapes and non-finite values, naming the argument', () => {
    const system = randomSystem(2, 4, 2, 61);
    const u = randomReal([1, 2, 8], 62);
    const state = randomComplex([1, 2, 4], 63);
    expect(() => dplrForwardState({ system, u: randomReal([1, 3, 8], 1), state })).toThrow(
      /u must have shape \[batch, H = 2, L\]/,
    );
    expect(() => dplrForwardState({ system, u, state: randomComplex([1, 2, 5], 1) })).toThrow(
      /state must have shape \[batch = 1, H = 2, N2 = 4\] \(half state\) or \[1, 2, 8\] \(full state\)/,
    );
    expect(() => dplrForwardState({ system, u, state: randomComplex([2, 2, 4], 1) })).toThrow(
      /state must have shape \[batch = 1, H = 2, N2 = 4\]/,
    );
    expect(() =>
      dplrForwardState({ system: { ...system, P: randomComplex([2, 2, 3], 1) }, u, state }),
    ).toThrow(/system\.P must have shape \[rank, H = 2, N2 = 4\]/);
    expect(() => dplrForwardState({ system: { ...system, B: randomComplex([3, 4], 1) }, u, state })).toThrow(
      /system\.B must have shape \[H = 2, N2 = 4\]/,
    );
    expect(() =>
      dplrForwardState({
        system: { ...system, dt: { data: Float64Array.from([0.1, -1]), shape: [2] } },
        u,
        state,
      }),
    ).toThrow(/system\.dt must be finite and > 0/);
    const bad = Float64Array.from(state.data);
    bad[0] = Number.POSITIVE_INFINITY;
    expect(() => dplrForwardState({ system, u, state: { data: bad, shape: state.shape } })).toThrow(
      /state must be finite; found Infinity at index 0/,
    );
  });
});
