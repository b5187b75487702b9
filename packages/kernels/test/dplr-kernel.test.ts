import { type ComplexTensor, conjExpand, createRng, type Tensor } from '@statespace/complex';
import { causalConvDirect } from '@statespace/fft';
import { dplr } from '@statespace/hippo';
import { expectClose, relativeError } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { cTildeFromC, doubleCTilde } from '../src/c-tilde';
import { dplrKernel, dplrKernelLengths } from '../src/dplr-kernel';
import { type DplrSystem, denseBilinear } from '../src/dplr-system';
import { dplrForwardState } from '../src/forward-state';
import { krylovKernel } from '../src/krylov';

/** A random stable DPLR system: Re Λ < 0, so A = diag(Λ) − P P* is stable for any P. */
function randomSystem(H: number, N2: number, R: number, seed: number, perModeDt = false): DplrSystem {
  const rng = createRng(seed);
  const Lambda = new Float64Array(2 * H * N2);
  for (let i = 0; i < H * N2; i++) {
    Lambda[2 * i] = -(0.2 + rng.uniform());
    Lambda[2 * i + 1] = -(Math.PI * (i % N2) + rng.normal());
  }
  const P = Float64Array.from({ length: 2 * R * H * N2 }, () => 0.5 * rng.normal());
  const B = Float64Array.from({ length: 2 * H * N2 }, () => rng.normal());
  const dt: Tensor = perModeDt
    ? { data: Float64Array.from({ length: H * N2 }, () => 0.02 + 0.1 * rng.uniform()), shape: [H, N2] }
    : { data: Float64Array.from({ length: H }, () => 0.02 + 0.1 * rng.uniform()), shape: [H] };
  return {
    Lambda: { data: Lambda, shape: [H, N2] },
    P: { data: P, shape: [R, H, N2] },
    B: { data: B, shape: [H, N2] },
    dt,
  };
}

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

/** The true C over the full state, [channels, H, N]. */
function fullC(C: ComplexTensor): ComplexTensor {
  const [channels, H, N2] = C.shape;
  return { data: conjExpand(C.data, channels * H), shape: [channels, H, 2 * N2] };
}

/** K via the dense bilinear system and Krylov powers, the true C. */
function krylovReference(system: DplrSystem, C: ComplexTensor, L: number): Float64Array {
  const { dA, dB } = denseBilinear(system);
  return krylovKernel(dA, dB, fullC(C), L).data;
}

/** K_state[b, c, h, l] = Re(dC·Ā^{l+1}·x₀) over the full state, through Krylov with B̄ := Ā x₀. */
function stateKernelReference(
  system: DplrSystem,
  C: ComplexTensor,
  state: ComplexTensor,
  L: number,
): Float64Array {
  const { dA } = denseBilinear(system);
  const [batch, H, N2] = state.shape;
  const N = 2 * N2;
  const channels = C.shape[0];
  const out = new Float64Array(batch * channels * H * L);
  for (let b = 0; b < batch; b++) {
    const x = conjExpand(state.data.subarray(2 * b * H * N2, 2 * (b + 1) * H * N2), H);
    const ax = new Float64Array(2 * H * N);
    for (let h = 0; h < H; h++) {
      for (let i = 0; i < N; i++) {
        let re = 0;
        let im = 0;
        for (let j = 0; j < N; j++) {
          const a = 2 * ((h * N + i) * N + j);
          re += dA.data[a] * x[2 * (h * N + j)] - dA.data[a + 1] * x[2 * (h * N + j) + 1];
          im += dA.data[a] * x[2 * (h * N + j) + 1] + dA.data[a + 1] * x[2 * (h * N + j)];
        }
        ax[2 * (h * N + i)] = re;
        ax[2 * (h * N + i) + 1] = im;
      }
    }
    const k = krylovKernel(dA, { data: ax, shape: [H, N] }, fullC(C), L).data;
    out.set(k, b * channels * H * L);
  }
  return out;
}

describe('dplrKernel vs the Krylov kernel of the dense bilinear system', () => {
  for (const R of [1, 2, 3]) {
    for (const L of [1, 2, 7, 64, 100]) {
      it(`rank ${R}, L = ${L}`, () => {
        const H = 2;
        const N2 = 6;
        const system = randomSystem(H, N2, R, 10 * R + L);
        const C = randomComplex([2, H, N2], 100 + L);
        const out = dplrKernel({ ...system, C: cTildeFromC(system, C, L), lKernel: L });
        expect(out.K.shape).toEqual([2, H, L]);
        expect(out.K.data).toBeInstanceOf(Float64Array);
        expect(out.K_state).toBeUndefined();
        expectClose(out.K.data, krylovReference(system, C, L), 1e-10, `K (rank ${R}, L ${L})`);
      });
    }
  }

  it('per-mode Δ ([H, N2]) matches the per-mode dense bilinear system', () => {
    const system = randomSystem(2, 5, 2, 7, true);
    const C = randomComplex([1, 2, 5], 8);
    for (const L of [9, 32]) {
      const out = dplrKernel({ ...system, C: cTildeFromC(system, C, L), lKernel: L });
      expectClose(out.K.data, krylovReference(system, C, L), 1e-10, `K (per-mode Δ, L ${L})`);
    }
  });

  it('matches for a HiPPO-LegS system (N = 32, L = 256)', () => {
    const H = 3;
    const { A, P, B } = dplr('legs', 32, { H });
    const system: DplrSystem = {
      Lambda: A,
      P,
      B,
      dt: { data: Float64Array.from([0.001, 0.01, 0.1]), shape: [H] },
    };
    const C = randomComplex([1, H, 16], 4);
    const out = dplrKernel({ ...system, C: cTildeFromC(system, C, 256), lKernel: 256 });
    expectClose(out.K.data, krylovReference(system, C, 256), 1e-9, 'K (LegS)');
  });

  it('truncates to L ≤ discrete_L', () => {
    const system = randomSystem(2, 4, 1, 3);
    const C = randomComplex([1, 2, 4], 5);
    const Ct = cTildeFromC(system, C, 40);
    const full = dplrKernel({ ...system, C: Ct, lKernel: 40 });
    const short = dplrKernel({ ...system, C: Ct, lKernel: 40, L: 13 });
    expect(short.K.shape).toEqual([1, 2, 13]);
    for (let h = 0; h < 2; h++) {
      for (let l = 0; l < 13; l++) expect(short.K.data[h * 13 + l]).toBe(full.K.data[h * 40 + l]);
    }
    expectClose(short.K.data, krylovReference(system, C, 13), 1e-10, 'K truncated');
  });

  it('returns float32 for float32 inputs (within 1e-4)', () => {
    const system = randomSystem(2, 6, 2, 21);
    const C = randomComplex([1, 2, 6], 22);
    const Ct = cTildeFromC(system, C, 64);
    const f = <T extends { data: Float64Array | Float32Array }>(t: T): T => ({
      ...t,
      data: Float32Array.from(t.data),
    });
    const state = randomComplex([2, 2, 6], 23);
    const out = dplrKernel({
      Lambda: f(system.Lambda),
      P: f(system.P),
      B: f(system.B),
      dt: f(system.dt),
      C: f(Ct),
      lKernel: 64,
      state: f(state),
    });
    expect(out.K.data).toBeInstanceOf(Float32Array);
    expect(out.K_state?.data).toBeInstanceOf(Float32Array);
    expectClose(out.K.data, krylovReference(system, C, 64), 1e-4, 'K float32');
    expectClose(out.K_state?.data ?? [], stateKernelReference(system, C, state, 64), 1e-4, 'K_state float32');
  });
});

describe('dplrKernel into given arrays (out)', () => {
  it('writes K and K_state where told, equal to the allocated result, in the given precision', () => {
    const H = 2;
    const N2 = 4;
    const L = 16;
    const system = randomSystem(H, N2, 1, 81);
    const C = cTildeFromC(system, randomComplex([2, H, N2], 82), L);
    const state = randomComplex([3, H, N2], 83);
    const params = { ...system, C, lKernel: L, state };
    const ref = dplrKernel(params);
    const out = { K: new Float64Array(2 * H * L), K_state: new Float32Array(3 * 2 * H * L) };
    const got = dplrKernel(params, out);
    expect(got.K.data).toBe(out.K);
    expect(got.K_state?.data).toBe(out.K_state);
    expect(relativeError(out.K, ref.K.data)).toBe(0);
    expect(relativeError(out.K_state, Float32Array.from(ref.K_state?.data ?? []))).toBe(0);
    expect(() => dplrKernel(params, { K: new Float64Array(3) })).toThrow(
      /out\.K must hold 64 numbers; got 3/,
    );
  });
});

describe('length doubling and the sampling rate', () => {
  const system = randomSystem(2, 6, 2, 31);
  const C = randomComplex([2, 2, 6], 32);

  it('lKernel = 2L after doubleCTilde equals the direct 2L kernel', () => {
    for (const L of [7, 32]) {
      const doubled = doubleCTilde(system, cTildeFromC(system, C, L), L);
      const a = dplrKernel({ ...system, C: doubled, lKernel: 2 * L });
      const b = dplrKernel({ ...system, C: cTildeFromC(system, C, 2 * L), lKernel: 2 * L });
      expect(a.K.shape).toEqual([2, 2, 2 * L]);
      expectClose(a.K.data, b.K.data, 1e-10, `doubled vs direct (L ${L})`);
      expectClose(a.K.data, krylovReference(system, C, 2 * L), 1e-10, `doubled vs Krylov (L ${L})`);
    }
  });

  it('rate = 2 is the kernel with Δ doubled at discrete length round(lKernel/2)', () => {
    const Ct = cTildeFromC(system, C, 64);
    const fast = dplrKernel({ ...system, C: Ct, lKernel: 64, rate: 2 });
    const dt2 = { data: system.dt.data.map((d) => 2 * d), shape: system.dt.shape };
    const doubledDt = dplrKernel({ ...system, dt: dt2, C: Ct, lKernel: 32 });
    expect(fast.K.shape).toEqual([2, 2, 32]);
    expectClose(fast.K.data, doubledDt.K.data, 1e-14, 'rate 2 vs 2Δ');
    // With states too (the un-bilinear rows use the rated Δ).
    const state = randomComplex([1, 2, 6], 33);
    const a = dplrKernel({ ...system, C: Ct, lKernel: 64, rate: 2, state });
    const b = dplrKernel({ ...system, dt: dt2, C: Ct, lKernel: 32, state });
    expectClose(a.K_state?.data ?? [], b.K_state?.data ?? [], 1e-14, 'K_state rate 2 vs 2Δ');
  });

  it('rate = 0.5 is the kernel with Δ halved at discrete length 2·lKernel', () => {
    const Ct = cTildeFromC(system, C, 16);
    const slow = dplrKernel({ ...system, C: Ct, lKernel: 16, rate: 0.5 });
    const half = dplrKernel({
      ...system,
      dt: { data: system.dt.data.map((d) => d / 2), shape: system.dt.shape },
      C: Ct,
      lKernel: 32,
    });
    expect(slow.K.shape).toEqual([2, 2, 32]);
    expectClose(slow.K.data, half.K.data, 1e-14, 'rate 0.5 vs Δ/2');
  });

  it('rounds round(lKernel/rate) half to even, as Python', () => {
    // 10/4 = 2.5 → 2 (Math.round would give 3); 5/2 = 2.5 → 2; 9/2 = 4.5 → 4.
    expect(dplrKernelLengths(10, 4)).toEqual({ discreteL: 2, L: 2, rate: 4 });
    expect(dplrKernelLengths(5, 2).discreteL).toBe(2);
    expect(dplrKernelLengths(9, 2).discreteL).toBe(4);
    expect(dplrKernelLengths(64)).toEqual({ discreteL: 64, L: 64, rate: 1 });
    const out = dplrKernel({ ...system, C, lKernel: 10, rate: 4 });
    expect(out.K.shape).toEqual([2, 2, 2]);
    const equivalent = dplrKernel({
      ...system,
      dt: { data: system.dt.data.map((d) => 4 * d), shape: system.dt.shape },
      C,
      lKernel: 2,
    });
    expectClose(out.K.data, equivalent.K.data, 1e-14, 'rate 4, lKernel 10');
  });

  it('refuses where the official forward would double C̃ first, or where L > discrete_L', () => {
    // 7/2 = 3.5 → 4 and round(2·4) = 8 > 7: the official code doubles C̃ in place here.
    expect(() => dplrKernelLengths(7, 2)).toThrow(/needs C̃ attuned to round\(rate·L\) = 8 > lKernel = 7/);
    expect(() => dplrKernel({ ...system, C, lKernel: 7, rate: 2 })).toThrow(/doubleCTilde/);
    // 3/2 = 1.5 → 2 and round(2·2) = 4 > 3.
    expect(() => dplrKernelLengths(3, 2)).toThrow(/round\(rate·L\) = 4 > lKernel = 3/);
    expect(() => dplrKernel({ ...system, C, lKernel: 16, L: 17 })).toThrow(
      /L must be ≤ round\(lKernel\/rate\) = 16/,
    );
    expect(() => dplrKernelLengths(4, 0.5, 9)).toThrow(/L must be ≤ round\(lKernel\/rate\) = 8/);
    expect(() => dplrKernelLengths(2, 5)).toThrow(/rate must leave a discrete length/);
  });
});

describe('K_state (initial states)', () => {
  for (const [R, L] of [
    [1, 7],
    [2, 64],
    [3, 33],
  ]) {
    it(`equals 2·Re(C Ā^{l+1} x₀) for the true C (rank ${R}, L = ${L})`, () => {
      const H = 2;
      const N2 = 5;
      const system = randomSystem(H, N2, R, 40 + R);
      const C = randomComplex([2, H, N2], 50 + R);
      const state = randomComplex([3, H, N2], 60 + R);
      const out = dplrKernel({ ...system, C: cTildeFromC(system, C, L), lKernel: L, state });
      expect(out.K_state?.shape).toEqual([3, 2, H, L]);
      expectClose(out.K.data, krylovReference(system, C, L), 1e-10, 'K with states');
      expectClose(out.K_state?.data ?? [], stateKernelReference(system, C, state, L), 1e-10, 'K_state');
    });
  }

  it('per-mode Δ', () => {
    const system = randomSystem(2, 4, 1, 71, true);
    const C = randomComplex([1, 2, 4], 72);
    const state = randomComplex([2, 2, 4], 73);
    const out = dplrKernel({ ...system, C: cTildeFromC(system, C, 20), lKernel: 20, state });
    expectClose(
      out.K_state?.data ?? [],
      stateKernelReference(system, C, state, 20),
      1e-10,
      'K_state per-mode Δ',
    );
  });
});

describe('chunked processing', () => {
  /** y[b, h] = conv(u[b, h], K[0, h]) + K_state[b, 0, h]. */
  function chunkOutput(u: Tensor<Float64Array>, K: Tensor, KState: Tensor): Float64Array {
    const [, H, L] = u.shape;
    const y = causalConvDirect(u, { data: K.data as Float64Array, shape: [H, L] }).data;
    for (let i = 0; i < y.length; i++) y[i] += KState.data[i];
    return y;
  }

  for (const [R, total, split] of [
    [1, 64, 40],
    [2, 50, 17],
  ]) {
    it(`two chunks with the state forwarded equal the whole sequence (rank ${R}, ${split} + ${total - split})`, () => {
      const H = 2;
      const N2 = 6;
      const batch = 2;
      const system = randomSystem(H, N2, R, 80 + R);
      const C = randomComplex([1, H, N2], 81);
      const Ct = cTildeFromC(system, C, total);
      const x0 = randomComplex([batch, H, N2], 82);
      const u = randomReal([batch, H, total], 83);
      const whole = dplrKernel({ ...system, C: Ct, lKernel: total, state: x0 });
      const yWhole = chunkOutput(u, whole.K, whole.K_state as Tensor);

      const slice = (from: number, to: number): Tensor<Float64Array> => {
        const out = new Float64Array(batch * H * (to - from));
        for (let r = 0; r < batch * H; r++)
          out.set(u.data.subarray(r * total + from, r * total + to), r * (to - from));
        return { data: out, shape: [batch, H, to - from] };
      };
      const u1 = slice(0, split);
      const u2 = slice(split, total);
      const k1 = dplrKernel({ ...system, C: Ct, lKernel: total, L: split, state: x0 });
      const y1 = chunkOutput(u1, k1.K, k1.K_state as Tensor);
      const x1 = dplrForwardState({ system, u: u1, state: x0 });
      const k2 = dplrKernel({ ...system, C: Ct, lKernel: total, L: total - split, state: x1 });
      const y2 = chunkOutput(u2, k2.K, k2.K_state as Tensor);

      const yChunks = new Float64Array(batch * H * total);
      for (let r = 0; r < batch * H; r++) {
        yChunks.set(y1.subarray(r * split, (r + 1) * split), r * total);
        yChunks.set(y2.subarray(r * (total - split), (r + 1) * (total - split)), r * total + split);
      }
      expectClose(yChunks, yWhole, 1e-10, 'chunked vs whole');

      // And both equal stepping the dense recurrence y_t = Re(dC·x_t) from x₀.
      const { dA, dB } = denseBilinear(system);
      const dC = fullC(C).data;
      const N = 2 * N2;
      const yStep = new Float64Array(batch * H * total);
      for (let b = 0; b < batch; b++) {
        for (let h = 0; h < H; h++) {
          let x = conjExpand(x0.data.subarray(2 * (b * H + h) * N2, 2 * (b * H + h + 1) * N2));
          for (let t = 0; t < total; t++) {
            const next = new Float64Array(2 * N);
            const ut = u.data[(b * H + h) * total + t];
            for (let i = 0; i < N; i++) {
              let re = dB.data[2 * (h * N + i)] * ut;
              let im = dB.data[2 * (h * N + i) + 1] * ut;
              for (let j = 0; j < N; j++) {
                const a = 2 * ((h * N + i) * N + j);
                re += dA.data[a] * x[2 * j] - dA.data[a + 1] * x[2 * j + 1];
                im += dA.data[a] * x[2 * j + 1] + dA.data[a + 1] * x[2 * j];
              }
              next[2 * i] = re;
              next[2 * i + 1] = im;
            }
            x = next;
            let y = 0;
            for (let i = 0; i < N; i++)
              y += dC[2 * (h * N + i)] * x[2 * i] - dC[2 * (h * N + i) + 1] * x[2 * i + 1];
            yStep[(b * H + h) * total + t] = y;
          }
        }
      }
      expect(relativeError(yWhole, yStep)).toBeLessThan(1e-10);
    });
  }
});

describe('dplrKernel input validation', () => {
  const system = randomSystem(2, 4, 2, 90);
  const C = randomComplex([1, 2, 4], 91);
  const base = { ...system, C, lKernel: 16 };

  it('rejects mismatched shapes, naming the argument', () => {
    expect(() => dplrKernel({ ...base, B: randomComplex([2, 5], 1) })).toThrow(
      /B must have shape \[H = 2, N2 = 4\]/,
    );
    expect(() => dplrKernel({ ...base, Lambda: randomComplex([2, 4, 1], 1) })).toThrow(
      /Lambda must have shape \[H, N2\]/,
    );
    expect(() => dplrKernel({ ...base, P: randomComplex([2, 3, 4], 1) })).toThrow(
      /P must have shape \[rank, H = 2, N2 = 4\]/,
    );
    expect(() => dplrKernel({ ...base, P: randomComplex([2, 4], 1) })).toThrow(/P must have shape/);
    expect(() => dplrKernel({ ...base, P: randomComplex([0, 2, 4], 1) })).toThrow(/P must have rank ≥ 1/);
    expect(() => dplrKernel({ ...base, C: randomComplex([1, 2, 3], 1) })).toThrow(
      /C must have shape \[channels, H = 2, N2 = 4\]/,
    );
    expect(() => dplrKernel({ ...base, C: randomComplex([2, 4], 1) })).toThrow(/C must have shape/);
    expect(() => dplrKernel({ ...base, state: randomComplex([1, 3, 4], 1) })).toThrow(
      /state must have shape \[batch, H = 2, N2 = 4\]/,
    );
    expect(() => dplrKernel({ ...base, dt: { data: new Float64Array(3), shape: [3] } })).toThrow(
      /dt must have shape \[2\], \[2, 1\] or \[2, 4\]/,
    );
    expect(() => dplrKernel({ ...base, B: { data: new Float64Array(7), shape: [2, 4] } })).toThrow(
      /B\.data must hold 16 numbers/,
    );
  });

  it('rejects bad lengths and rates', () => {
    expect(() => dplrKernel({ ...base, L: 0 })).toThrow(/L must be an integer ≥ 1; got 0/);
    expect(() => dplrKernel({ ...base, L: -3 })).toThrow(/L must be an integer ≥ 1/);
    expect(() => dplrKernel({ ...base, L: 2.5 })).toThrow(/L must be an integer/);
    expect(() => dplrKernel({ ...base, L: 17 })).toThrow(/L must be ≤ round\(lKernel\/rate\) = 16/);
    expect(() => dplrKernel({ ...base, lKernel: 0 })).toThrow(/lKernel must be an integer ≥ 1/);
    expect(() => dplrKernel({ ...base, rate: 0 })).toThrow(/rate must be a finite number > 0/);
    expect(() => dplrKernel({ ...base, rate: Number.NaN })).toThrow(/rate must be a finite number > 0/);
  });

  it('rejects non-finite parameters and Δ ≤ 0', () => {
    const bad = (t: ComplexTensor, at = 3): ComplexTensor => {
      const data = Float64Array.from(t.data);
      data[at] = Number.NaN;
      return { data, shape: t.shape };
    };
    expect(() => dplrKernel({ ...base, Lambda: bad(system.Lambda) })).toThrow(
      /Lambda must be finite; found NaN at index 3/,
    );
    expect(() => dplrKernel({ ...base, P: bad(system.P) })).toThrow(/P must be finite/);
    expect(() => dplrKernel({ ...base, B: bad(system.B) })).toThrow(/B must be finite/);
    expect(() => dplrKernel({ ...base, C: bad(C) })).toThrow(/C must be finite/);
    expect(() => dplrKernel({ ...base, state: bad(randomComplex([1, 2, 4], 1)) })).toThrow(
      /state must be finite/,
    );
    expect(() =>
      dplrKernel({ ...base, dt: { data: Float64Array.from([0.1, Number.POSITIVE_INFINITY]), shape: [2] } }),
    ).toThrow(/dt must be finite and > 0; found Infinity at index 1/);
    expect(() => dplrKernel({ ...base, dt: { data: Float64Array.from([0.1, 0]), shape: [2] } })).toThrow(
      /dt must be finite and > 0; found 0/,
    );
  });
});
