import { type ComplexTensor, createRng, type Tensor } from '@statespace/complex';
import { causalConvDirect } from '@statespace/fft';
import { expectClose } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { diagKernel } from '../src/diag-kernel';
import { diagForwardState } from '../src/forward-state';

interface Z {
  re: number;
  im: number;
}
const mul = (a: Z, b: Z): Z => ({ re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re });
const div = (a: Z, b: Z): Z => {
  const d = b.re * b.re + b.im * b.im;
  return { re: (a.re * b.re + a.im * b.im) / d, im: (a.im * b.re - a.re * b.im) / d };
};
const cexp = (a: Z): Z => ({ re: Math.exp(a.re) * Math.cos(a.im), im: Math.exp(a.re) * Math.sin(a.im) });
const at = (t: ComplexTensor, i: number): Z => ({ re: t.data[2 * i], im: t.data[2 * i + 1] });

/** S4D-Lin-like diagonal with random perturbations (Re Λ < 0). */
function randomLambda(H: number, N2: number, seed: number): ComplexTensor<Float64Array> {
  const rng = createRng(seed);
  const data = new Float64Array(2 * H * N2);
  for (let i = 0; i < H * N2; i++) {
    data[2 * i] = -(0.1 + rng.uniform());
    data[2 * i + 1] = -(Math.PI * (i % N2) + 0.5 * rng.normal());
  }
  return { data, shape: [H, N2] };
}

function randomComplex(shape: number[], seed: number): ComplexTensor<Float64Array> {
  const rng = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return { data: Float64Array.from({ length: 2 * n }, () => rng.normal()), shape };
}

function randomReal(shape: number[], seed: number): Tensor<Float64Array> {
  const rng = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return { data: Float64Array.from({ length: n }, () => rng.normal()), shape };
}

function randomDt(shape: number[], seed: number): Tensor<Float64Array> {
  const rng = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return { data: Float64Array.from({ length: n }, () => 0.01 + 0.1 * rng.uniform()), shape };
}

const stepOf = (dt: Tensor, h: number, n: number, N2: number): number =>
  dt.shape.length === 2 && dt.shape[1] === N2 ? dt.data[h * N2 + n] : dt.data[h];

/** Ā and B̄ of one mode, straight from the formulas. */
function discrete(lambda: Z, b: Z, d: number, disc: 'zoh' | 'bilinear'): { a: Z; bb: Z } {
  const x = { re: lambda.re * d, im: lambda.im * d };
  if (disc === 'zoh') {
    const e = cexp(x);
    return { a: e, bb: mul(b, div({ re: e.re - 1, im: e.im }, lambda)) };
  }
  const den = { re: 1 - x.re / 2, im: -x.im / 2 };
  return { a: div({ re: 1 + x.re / 2, im: x.im / 2 }, den), bb: div({ re: b.re * d, im: b.im * d }, den) };
}

/**
 * The impulse response of the recurrence, K[c, h, l] = 2·Re Σ_n C Ā^l B̄, and with `state` the
 * state kernel K_state[b, c, h, l] = 2·Re Σ_n C Ā^{l+1} x₀, by repeated multiplication.
 */
function recurrenceKernels(
  Lambda: ComplexTensor,
  B: ComplexTensor,
  C: ComplexTensor,
  dt: Tensor,
  L: number,
  disc: 'zoh' | 'bilinear',
  state?: ComplexTensor,
): { K: Float64Array; KState: Float64Array } {
  const [H, N2] = Lambda.shape;
  const channels = C.shape[0];
  const batch = state?.shape[0] ?? 0;
  const K = new Float64Array(channels * H * L);
  const KState = new Float64Array(batch * channels * H * L);
  for (let h = 0; h < H; h++) {
    for (let n = 0; n < N2; n++) {
      const m = h * N2 + n;
      const { a, bb } = discrete(at(Lambda, m), at(B, m), stepOf(dt, h, n, N2), disc);
      for (let c = 0; c < channels; c++) {
        const cc = at(C, c * H * N2 + m);
        let x = mul(cc, bb);
        for (let l = 0; l < L; l++) {
          K[(c * H + h) * L + l] += 2 * x.re;
          x = mul(x, a);
        }
        for (let b = 0; b < batch; b++) {
          let y = mul(mul(cc, at(state as ComplexTensor, b * H * N2 + m)), a);
          for (let l = 0; l < L; l++) {
            KState[((b * channels + c) * H + h) * L + l] += 2 * y.re;
            y = mul(y, a);
          }
        }
      }
    }
  }
  return { K, KState };
}

/** The official DSS-exp kernel, written out: Re Σ C·B·num·r(den·Λ)·exp(x·l − P_max). */
function dssReference(
  Lambda: ComplexTensor,
  B: ComplexTensor,
  C: ComplexTensor,
  dt: Tensor,
  L: number,
): Float64Array {
  const [H, N2] = Lambda.shape;
  const channels = C.shape[0];
  const K = new Float64Array(channels * H * L);
  for (let h = 0; h < H; h++) {
    for (let n = 0; n < N2; n++) {
      const m = h * N2 + n;
      const lambda = at(Lambda, m);
      const d = stepOf(dt, h, n, N2);
      const x = { re: lambda.re * d, im: lambda.im * d };
      const positive = lambda.re > 0;
      const xNeg = positive ? { re: -x.re, im: -x.im } : x;
      const e1 = cexp(xNeg);
      const eL = cexp({ re: xNeg.re * L, im: xNeg.im * L });
      const y = mul({ re: eL.re - 1, im: eL.im }, lambda);
      const yy = y.re * y.re + y.im * y.im + 1e-7;
      const r = { re: y.re / yy, im: -y.im / yy };
      const coef = mul(mul({ re: e1.re - 1, im: e1.im }, r), at(B, m));
      for (let c = 0; c < channels; c++) {
        const v = mul(coef, at(C, c * H * N2 + m));
        for (let l = 0; l < L; l++) {
          const shift = positive ? L - 1 : 0;
          const s = cexp({ re: x.re * (l - shift), im: x.im * (l - shift) });
          K[(c * H + h) * L + l] += mul(v, s).re;
        }
      }
    }
  }
  return K;
}

describe('diagKernel vs the recurrence', () => {
  for (const disc of ['zoh', 'bilinear'] as const) {
    for (const L of [1, 37, 64]) {
      it(`${disc}, L = ${L}: K is the impulse response and K_state = 2·Re(C Ā^{l+1} x₀)`, () => {
        const H = 3;
        const N2 = 5;
        const Lambda = randomLambda(H, N2, L);
        const B = randomComplex([H, N2], 2);
        const C = randomComplex([2, H, N2], 3);
        const dt = randomDt([H], 4);
        const state = randomComplex([2, H, N2], 5);
        const ref = recurrenceKernels(Lambda, B, C, dt, L, disc, state);
        const plain = diagKernel({ Lambda, B, C, dt, L, disc });
        expect(plain.K.shape).toEqual([2, H, L]);
        expect(plain.K_state).toBeUndefined();
        expectClose(plain.K.data, ref.K, 1e-12, 'K');
        const out = diagKernel({ Lambda, B, C, dt, L, disc, state });
        expect(out.K_state?.shape).toEqual([2, 2, H, L]);
        expectClose(out.K.data, ref.K, 1e-12, 'K with state');
        expectClose(out.K_state?.data ?? [], ref.KState, 1e-12, 'K_state');
      });
    }

    it(`${disc}: per-mode Δ [H, N2] and [H, 1]`, () => {
      const Lambda = randomLambda(2, 4, 11);
      const B = randomComplex([2, 4], 12);
      const C = randomComplex([1, 2, 4], 13);
      const dt = randomDt([2, 4], 14);
      const state = randomComplex([1, 2, 4], 15);
      const ref = recurrenceKernels(Lambda, B, C, dt, 50, disc, state);
      const out = diagKernel({ Lambda, B, C, dt, L: 50, disc, state });
      expectClose(out.K.data, ref.K, 1e-12, 'K per mode');
      expectClose(out.K_state?.data ?? [], ref.KState, 1e-12, 'K_state per mode');
      const tied = randomDt([2, 1], 16);
      expectClose(
        diagKernel({ Lambda, B, C, dt: tied, L: 50, disc }).K.data,
        recurrenceKernels(Lambda, B, C, tied, 50, disc).K,
        1e-12,
        'K with dt [H, 1]',
      );
    });
  }

  it('dss matches the official formula (Re part, no ×2), reflected modes included', () => {
    const H = 2;
    const N2 = 4;
    const Lambda = randomLambda(H, N2, 21);
    // Two modes with Re Λ > 0, one growing fast enough that e^{ΔΛ·L} would overflow unshifted.
    Lambda.data[2] = 0.7;
    Lambda.data[2 * 5] = 400;
    const B = randomComplex([H, N2], 22);
    const C = randomComplex([2, H, N2], 23);
    const dt = { data: Float64Array.from([0.05, 0.1]), shape: [H] };
    for (const L of [1, 20, 64]) {
      const out = diagKernel({ Lambda, B, C, dt, L, disc: 'dss' });
      expect(out.K.data.every(Number.isFinite)).toBe(true);
      expectClose(out.K.data, dssReference(Lambda, B, C, dt, L), 1e-12, `dss K (L ${L})`);
    }
  });
});

describe('rate and bandlimit', () => {
  const H = 2;
  const N2 = 6;
  const Lambda = randomLambda(H, N2, 31);
  const B = randomComplex([H, N2], 32);
  const C = randomComplex([1, H, N2], 33);
  const dt = randomDt([H], 34);
  const dt2 = { data: dt.data.map((d) => 2 * d), shape: dt.shape };
  const state = randomComplex([1, H, N2], 35);

  for (const disc of ['zoh', 'bilinear', 'dss'] as const) {
    it(`${disc}: rate = 2 is the kernel with Δ doubled (states included)`, () => {
      const a = diagKernel({ Lambda, B, C, dt, L: 40, disc, rate: 2, state });
      const b = diagKernel({ Lambda, B, C, dt: dt2, L: 40, disc, state });
      expect(a.K.shape).toEqual([1, H, 40]);
      expectClose(a.K.data, b.K.data, 1e-14, 'K');
      expectClose(a.K_state?.data ?? [], b.K_state?.data ?? [], 1e-14, 'K_state');
    });
  }

  /** C with the modes where Δ·|Im Λ|/(2π) ≥ bandlimit/2 zeroed, for the given Δ. */
  function masked(bandlimit: number, steps: Tensor): ComplexTensor {
    const data = Float64Array.from(C.data);
    for (let h = 0; h < H; h++) {
      for (let n = 0; n < N2; n++) {
        const m = h * N2 + n;
        if ((steps.data[h] * Math.abs(Lambda.data[2 * m + 1])) / (2 * Math.PI) >= bandlimit / 2) {
          data[2 * m] = 0;
          data[2 * m + 1] = 0;
        }
      }
    }
    return { data, shape: C.shape };
  }

  it('bandlimit zeroes C on the high-frequency modes', () => {
    const bandlimit = 0.05;
    const Cm = masked(bandlimit, dt);
    expect(Cm.data.some((v) => v === 0)).toBe(true);
    expect(Cm.data.some((v) => v !== 0)).toBe(true);
    for (const disc of ['zoh', 'bilinear', 'dss'] as const) {
      const a = diagKernel({ Lambda, B, C, dt, L: 30, disc, bandlimit, state });
      const b = diagKernel({ Lambda, B, C: Cm, dt, L: 30, disc, state });
      expectClose(a.K.data, b.K.data, 0, `${disc} K`);
      expectClose(a.K_state?.data ?? [], b.K_state?.data ?? [], 0, `${disc} K_state`);
    }
  });

  it('bandlimit uses the un-rated Δ, as the official code', () => {
    // A limit that keeps mode (0, 2) at Δ but would drop it at 2Δ.
    const bandlimit = (3 * dt.data[0] * Math.abs(Lambda.data[2 * 2 + 1])) / (2 * Math.PI);
    expect(masked(bandlimit, dt).data[4]).not.toBe(0);
    expect(masked(bandlimit, dt2).data[4]).toBe(0);
    const rated = diagKernel({ Lambda, B, C, dt, L: 30, disc: 'zoh', bandlimit, rate: 2 });
    const expected = diagKernel({ Lambda, B, C: masked(bandlimit, dt), dt: dt2, L: 30, disc: 'zoh' });
    expectClose(rated.K.data, expected.K.data, 1e-14, 'rate 2 with bandlimit');
    // The rated Δ would mask more modes: a different kernel.
    const wrong = diagKernel({ Lambda, B, C: masked(bandlimit, dt2), dt: dt2, L: 30, disc: 'zoh' });
    let diff = 0;
    for (let i = 0; i < rated.K.data.length; i++)
      diff = Math.max(diff, Math.abs(rated.K.data[i] - wrong.K.data[i]));
    expect(diff).toBeGreaterThan(1e-6);
  });
});

describe('chunked processing', () => {
  for (const disc of ['zoh', 'bilinear'] as const) {
    it(`${disc}: two chunks with the state forwarded equal the whole sequence`, () => {
      const H = 3;
      const N2 = 8;
      const batch = 2;
      const total = 100;
      const split = 37;
      const Lambda = randomLambda(H, N2, 41);
      const B = randomComplex([H, N2], 42);
      const C = randomComplex([1, H, N2], 43);
      const dt = randomDt([H], 44);
      const x0 = randomComplex([batch, H, N2], 45);
      const u = randomReal([batch, H, total], 46);
      const output = (uc: Tensor<Float64Array>, state: ComplexTensor): Float64Array => {
        const len = uc.shape[2];
        const k = diagKernel({ Lambda, B, C, dt, L: len, disc, state });
        const y = causalConvDirect(uc, { data: k.K.data as Float64Array, shape: [H, len] }).data;
        for (let i = 0; i < y.length; i++) y[i] += (k.K_state as Tensor).data[i];
        return y;
      };
      const slice = (from: number, to: number): Tensor<Float64Array> => {
        const out = new Float64Array(batch * H * (to - from));
        for (let r = 0; r < batch * H; r++)
          out.set(u.data.subarray(r * total + from, r * total + to), r * (to - from));
        return { data: out, shape: [batch, H, to - from] };
      };
      const whole = output(u, x0);
      const u1 = slice(0, split);
      const u2 = slice(split, total);
      const y1 = output(u1, x0);
      const x1 = diagForwardState({ Lambda, B, dt, disc, u: u1, state: x0 });
      const y2 = output(u2, x1);
      const chunks = new Float64Array(batch * H * total);
      for (let r = 0; r < batch * H; r++) {
        chunks.set(y1.subarray(r * split, (r + 1) * split), r * total);
        chunks.set(y2.subarray(r * (total - split), (r + 1) * (total - split)), r * total + split);
      }
      expectClose(chunks, whole, 1e-12, 'chunked vs whole');
    });
  }
});

describe('diagKernel precision', () => {
  it('returns float32 for float32 inputs, float64 otherwise', () => {
    const Lambda = randomLambda(2, 4, 51);
    const B = randomComplex([2, 4], 52);
    const C = randomComplex([1, 2, 4], 53);
    const dt = randomDt([2], 54);
    const state = randomComplex([1, 2, 4], 55);
    const ref = diagKernel({ Lambda, B, C, dt, L: 64, disc: 'zoh', state });
    const f = <T extends { data: Float64Array | Float32Array }>(t: T): T => ({
      ...t,
      data: Float32Array.from(t.data),
    });
    const out = diagKernel({
      Lambda: f(Lambda),
      B: f(B),
      C: f(C),
      dt: f(dt),
      L: 64,
      disc: 'zoh',
      state: f(state),
    });
    expect(ref.K.data).toBeInstanceOf(Float64Array);
    expect(out.K.data).toBeInstanceOf(Float32Array);
    expect(out.K_state?.data).toBeInstanceOf(Float32Array);
    expectClose(out.K.data, ref.K.data, 1e-4, 'K float32');
    expectClose(out.K_state?.data ?? [], ref.K_state?.data ?? [], 1e-4, 'K_state float32');
    // One float32 input is enough for a float32 result.
    expect(diagKernel({ Lambda, B, C: f(C), dt, L: 8, disc: 'bilinear' }).K.data).toBeInstanceOf(
      Float32Array,
    );
  });
});

describe('diagKernel into given arrays (out)', () => {
  it('writes K and K_state where told, equal to the allocated result, in the given precision', () => {
    const params = {
      Lambda: randomLambda(2, 4, 91),
      B: randomComplex([2, 4], 92),
      C: randomComplex([1, 2, 4], 93),
      dt: randomDt([2], 94),
      L: 32,
      disc: 'zoh' as const,
      state: randomComplex([2, 2, 4], 95),
    };
    const ref = diagKernel(params);
    const out = { K: new Float32Array(2 * 32), K_state: new Float64Array(2 * 2 * 32) };
    const got = diagKernel(params, out);
    expect(got.K.data).toBe(out.K);
    expect(got.K_state?.data).toBe(out.K_state);
    expect([...out.K]).toEqual([...Float32Array.from(ref.K.data)]);
    expect([...out.K_state]).toEqual([...(ref.K_state?.data ?? [])]);
    expect(() => diagKernel(params, { K: new Float64Array(64), K_state: new Float64Array(1) })).toThrow(
      /out\.K_state must hold 128 numbers; got 1/,
    );
  });
});

describe('diagKernel input validation', () => {
  const Lambda = randomLambda(2, 4, 61);
  const B = randomComplex([2, 4], 62);
  const C = randomComplex([1, 2, 4], 63);
  const dt = randomDt([2], 64);
  const base = { Lambda, B, C, dt, L: 16, disc: 'zoh' as const };

  it('rejects mismatched shapes, naming the argument', () => {
    expect(() => diagKernel({ ...base, B: randomComplex([2, 5], 1) })).toThrow(
      /B must have shape \[H = 2, N2 = 4\]/,
    );
    expect(() => diagKernel({ ...base, C: randomComplex([1, 3, 4], 1) })).toThrow(
      /C must have shape \[channels, H = 2, N2 = 4\]/,
    );
    expect(() => diagKernel({ ...base, C: randomComplex([2, 4], 1) })).toThrow(/C must have shape/);
    expect(() => diagKernel({ ...base, Lambda: randomComplex([8], 1) })).toThrow(
      /Lambda must have shape \[H, N2\]/,
    );
    expect(() => diagKernel({ ...base, state: randomComplex([2, 2, 3], 1) })).toThrow(
      /state must have shape \[batch, H = 2, N2 = 4\]/,
    );
    expect(() => diagKernel({ ...base, dt: randomDt([3], 1) })).toThrow(
      /dt must have shape \[2\], \[2, 1\] or \[2, 4\]/,
    );
    expect(() => diagKernel({ ...base, dt: randomDt([2, 3], 1) })).toThrow(/dt must have shape/);
  });

  it('rejects L ≤ 0, unknown disc, bad rate and bandlimit', () => {
    expect(() => diagKernel({ ...base, L: 0 })).toThrow(/L must be an integer ≥ 1; got 0/);
    expect(() => diagKernel({ ...base, L: 3.5 })).toThrow(/L must be an integer/);
    // biome-ignore lint/suspicious/noExplicitAny: an invalid disc on purpose
    expect(() => diagKernel({ ...base, disc: 'euler' as any })).toThrow(
      /disc must be one of 'zoh', 'bilinear', 'dss'; got 'euler'/,
    );
    expect(() => diagKernel({ ...base, rate: -1 })).toThrow(/rate must be a finite number > 0/);
    expect(() => diagKernel({ ...base, bandlimit: -0.1 })).toThrow(/bandlimit must be a finite number ≥ 0/);
    expect(() => diagKernel({ ...base, bandlimit: Number.NaN })).toThrow(
      /bandlimit must be a finite number ≥ 0/,
    );
  });

  it('rejects non-finite parameters and Δ ≤ 0', () => {
    const bad = (t: ComplexTensor): ComplexTensor => {
      const data = Float64Array.from(t.data);
      data[1] = Number.POSITIVE_INFINITY;
      return { data, shape: t.shape };
    };
    expect(() => diagKernel({ ...base, Lambda: bad(Lambda) })).toThrow(
      /Lambda must be finite; found Infinity at index 1/,
    );
    expect(() => diagKernel({ ...base, B: bad(B) })).toThrow(/B must be finite/);
    expect(() => diagKernel({ ...base, C: bad(C) })).toThrow(/C must be finite/);
    expect(() => diagKernel({ ...base, state: bad(randomComplex([1, 2, 4], 1)) })).toThrow(
      /state must be finite/,
    );
    expect(() => diagKernel({ ...base, dt: { data: Float64Array.from([0.1, -0.1]), shape: [2] } })).toThrow(
      /dt must be finite and > 0; found -0.1 at index 1/,
    );
  });
});
