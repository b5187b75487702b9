import { type ComplexTensor, createRng, type Tensor } from '@statespace/complex';
import { expectClose, relativeError, TOLERANCE } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { vandermonde, vandermondeTranspose } from '../src/vandermonde';

const rng = createRng(99);

function crandn(n: number, scale = 1): Float64Array {
  const a = new Float64Array(2 * n);
  for (let i = 0; i < a.length; i++) a[i] = scale * rng.normal();
  return a;
}

/**
 * Log-poles whose products x·l are exact in float64 for l < 2^14 (dyadic with few bits), so the
 * direct-sum oracle below has no phase rounding even at L = 16384.
 */
function dyadicPoles(n: number): Float64Array {
  const x = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    x[2 * i] = -(1 + Math.floor(rng.uniform() * 64)) / 2 ** 20; // decay down to e^{-1} at l = 16384
    x[2 * i + 1] = Math.floor((rng.uniform() - 0.5) * 4096) / 256; // phases up to ±8 rad per step
  }
  return x;
}

/** Typical S4D-style log-poles: Δ·(−½ + iπn). */
function s4dPoles(H: number, N2: number): Float64Array {
  const x = new Float64Array(2 * H * N2);
  for (let h = 0; h < H; h++) {
    const dt = 10 ** (-3 + 2 * rng.uniform());
    for (let n = 0; n < N2; n++) {
      x[2 * (h * N2 + n)] = -0.5 * dt;
      x[2 * (h * N2 + n) + 1] = Math.PI * n * dt;
    }
  }
  return x;
}

function vandermondeNaive(v: ComplexTensor, x: ComplexTensor, L: number): Float64Array {
  const [batch, H, N2] = v.shape;
  const out = new Float64Array(batch * H * L);
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < H; h++) {
      for (let l = 0; l < L; l++) {
        let s = 0;
        for (let n = 0; n < N2; n++) {
          const xr = x.data[2 * (h * N2 + n)];
          const xi = x.data[2 * (h * N2 + n) + 1];
          const m = Math.exp(xr * l);
          const er = m * Math.cos(xi * l);
          const ei = m * Math.sin(xi * l);
          s += v.data[2 * ((b * H + h) * N2 + n)] * er - v.data[2 * ((b * H + h) * N2 + n) + 1] * ei;
        }
        out[(b * H + h) * L + l] = 2 * s;
      }
    }
  }
  return out;
}

function transposeNaive(u: Tensor, v: ComplexTensor, x: ComplexTensor): Float64Array {
  const [batch, H, L] = u.shape;
  const N2 = v.shape[1];
  const out = new Float64Array(2 * batch * H * N2);
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < H; h++) {
      for (let n = 0; n < N2; n++) {
        const xr = x.data[2 * (h * N2 + n)];
        const xi = x.data[2 * (h * N2 + n) + 1];
        let sr = 0;
        let si = 0;
        for (let l = 0; l < L; l++) {
          const m = Math.exp(xr * l) * u.data[(b * H + h) * L + l];
          sr += m * Math.cos(xi * l);
          si += m * Math.sin(xi * l);
        }
        const vr = v.data[2 * (h * N2 + n)];
        const vi = v.data[2 * (h * N2 + n) + 1];
        out[2 * ((b * H + h) * N2 + n)] = vr * sr - vi * si;
        out[2 * ((b * H + h) * N2 + n) + 1] = vr * si + vi * sr;
      }
    }
  }
  return out;
}

function randn(n: number): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.normal();
  return a;
}

describe('vandermonde', () => {
  it.each([1, 7, 64, 65, 1000])('L = %i, random log-poles: matches the direct sum (float64)', (L) => {
    const batch = 2;
    const H = 3;
    const N2 = 5;
    const v = { data: crandn(batch * H * N2), shape: [batch, H, N2] };
    const xd = crandn(H * N2, 0.3);
    for (let i = 0; i < H * N2; i++) xd[2 * i] = -Math.abs(xd[2 * i]) * 0.05;
    const x = { data: xd, shape: [H, N2] };
    const K = vandermonde(v, x, L);
    expect(K.shape).toEqual([batch, H, L]);
    expect(K.data).toBeInstanceOf(Float64Array);
    expect(relativeError(K.data, vandermondeNaive(v, x, L))).toBeLessThan(1e-12);
  });

  it('L = 16384 with large phases (|x·l| up to 1.3e5): no error growth along the sequence', () => {
    const H = 2;
    const N2 = 8;
    const v = { data: crandn(H * N2), shape: [1, H, N2] };
    const x = { data: dyadicPoles(H * N2), shape: [H, N2] };
    const L = 16384;
    const K = vandermonde(v, x, L);
    const ref = vandermondeNaive(v, x, L);
    expect(relativeError(K.data, ref)).toBeLessThan(1e-12);
    // Also relative to the local magnitude at the end of the sequence, where the kernel is smallest.
    expect(relativeError(K.data.subarray(L - 512, L), ref.subarray(L - 512, L))).toBeLessThan(1e-12);
  });

  it('S4D-style poles, H = 4, N2 = 32, L = 4096', () => {
    const H = 4;
    const N2 = 32;
    const v = { data: crandn(H * N2), shape: [1, H, N2] };
    const x = { data: s4dPoles(H, N2), shape: [H, N2] };
    const K = vandermonde(v, x, 4096);
    expect(relativeError(K.data, vandermondeNaive(v, x, 4096))).toBeLessThan(1e-12);
  });

  it('float32 inputs give a float32 result within 1e-4', () => {
    const H = 3;
    const N2 = 16;
    const v = { data: crandn(2 * H * N2), shape: [2, H, N2] };
    const x = { data: s4dPoles(H, N2), shape: [H, N2] };
    const K32 = vandermonde(
      { data: new Float32Array(v.data), shape: v.shape },
      { data: new Float32Array(x.data), shape: x.shape },
      2048,
    );
    expect(K32.data).toBeInstanceOf(Float32Array);
    expectClose(K32.data, vandermondeNaive(v, x, 2048), TOLERANCE.float32, 'float32 vandermonde');
  });

  it('rejects bad input, naming the argument', () => {
    const v = { data: crandn(6), shape: [1, 2, 3] };
    const x = { data: crandn(6), shape: [2, 3] };
    for (const L of [0, -3, 2.5]) expect(() => vandermonde(v, x, L)).toThrow(/L must be an integer ≥ 1/);
    expect(() => vandermonde(v, { data: crandn(6), shape: [3, 2] }, 4)).toThrow(
      /x must have shape \[H, N2\] = \[2, 3\]; got \[3, 2\]/,
    );
    expect(() => vandermonde({ data: v.data, shape: [2, 3] }, x, 4)).toThrow(
      /v must have shape \[batch, H, N2\]; got \[2, 3\]/,
    );
    const bad = x.data.slice();
    bad[3] = Number.POSITIVE_INFINITY;
    expect(() => vandermonde(v, { data: bad, shape: [2, 3] }, 4)).toThrow(
      /x must be finite; found Infinity at index 3/,
    );
    expect(() => vandermonde({ data: v.data.slice(1), shape: v.shape }, x, 4)).toThrow(
      /v\.data must hold 6 complex values/,
    );
  });
});

describe('vandermondeTranspose', () => {
  it.each([1, 7, 100, 1000])('L = %i: matches the direct sum (float64)', (L) => {
    const batch = 3;
    const H = 2;
    const N2 = 6;
    const u = { data: randn(batch * H * L), shape: [batch, H, L] };
    const v = { data: crandn(H * N2), shape: [H, N2] };
    const xd = crandn(H * N2, 0.3);
    for (let i = 0; i < H * N2; i++) xd[2 * i] = -Math.abs(xd[2 * i]) * 0.05;
    const x = { data: xd, shape: [H, N2] };
    const s = vandermondeTranspose(u, v, x);
    expect(s.shape).toEqual([batch, H, N2]);
    expect(relativeError(s.data, transposeNaive(u, v, x))).toBeLessThan(1e-12);
  });

  it('L = 16384 with large phases', () => {
    const H = 2;
    const N2 = 4;
    const L = 16384;
    const u = { data: randn(H * L), shape: [1, H, L] };
    const v = { data: crandn(H * N2), shape: [H, N2] };
    const x = { data: dyadicPoles(H * N2), shape: [H, N2] };
    expect(relativeError(vandermondeTranspose(u, v, x).data, transposeNaive(u, v, x))).toBeLessThan(1e-11);
  });

  it('is the adjoint of vandermonde: Σ_l u_l·K_l = 2·Re Σ_n (Vᵀu)_n', () => {
    const H = 3;
    const N2 = 7;
    const L = 300;
    const vd = crandn(H * N2);
    const x = { data: s4dPoles(H, N2), shape: [H, N2] };
    const K = vandermonde({ data: vd, shape: [1, H, N2] }, x, L);
    const u = { data: randn(H * L), shape: [1, H, L] };
    const s = vandermondeTranspose(u, { data: vd, shape: [H, N2] }, x);
    for (let h = 0; h < H; h++) {
      let lhs = 0;
      for (let l = 0; l < L; l++) lhs += u.data[h * L + l] * K.data[h * L + l];
      let rhs = 0;
      for (let n = 0; n < N2; n++) rhs += 2 * s.data[2 * (h * N2 + n)];
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-11 * Math.max(1, Math.abs(lhs)));
    }
  });

  it('float32 in gives float32 out; an empty sequence gives zeros', () => {
    const u = { data: new Float32Array(randn(2 * 50)), shape: [1, 2, 50] };
    const v = { data: crandn(2 * 3), shape: [2, 3] };
    const x = { data: s4dPoles(2, 3), shape: [2, 3] };
    const s32 = vandermondeTranspose(u, v, x);
    expect(s32.data).toBeInstanceOf(Float32Array);
    expectClose(s32.data, transposeNaive(u, v, x), TOLERANCE.float32, 'float32 transpose');
    const empty = vandermondeTranspose({ data: new Float64Array(0), shape: [2, 2, 0] }, v, x);
    expect(empty.shape).toEqual([2, 2, 3]);
    expect(empty.data.length).toBe(24);
    expect(empty.data.every((value) => value === 0)).toBe(true);
  });

  it('rejects bad input, naming the argument', () => {
    const u = { data: randn(2 * 5), shape: [1, 2, 5] };
    const v = { data: crandn(6), shape: [2, 3] };
    const x = { data: crandn(6), shape: [2, 3] };
    expect(() => vandermondeTranspose({ data: u.data, shape: [2, 5] }, v, x)).toThrow(
      /u must have shape \[batch, H, L\]; got \[2, 5\]/,
    );
    expect(() => vandermondeTranspose(u, { data: crandn(6), shape: [3, 2] }, x)).toThrow(
      /v must have shape \[H, N2\] with H = 2; got \[3, 2\]/,
    );
    expect(() => vandermondeTranspose(u, v, { data: crandn(4), shape: [2, 2] })).toThrow(
      /x must have shape \[H, N2\] = \[2, 3\]; got \[2, 2\]/,
    );
    expect(() => vandermondeTranspose({ data: u.data.slice(1), shape: u.shape }, v, x)).toThrow(
      /u\.data must hold 10 values; got 9/,
    );
    const bad = u.data.slice();
    bad[4] = Number.NaN;
    expect(() => vandermondeTranspose({ data: bad, shape: u.shape }, v, x)).toThrow(
      /u must be finite; found NaN at index 4/,
    );
  });
});
