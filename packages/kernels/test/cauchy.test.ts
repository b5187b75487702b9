import { type ComplexTensor, createRng } from '@statespace/complex';
import { expectClose, relativeError, TOLERANCE } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { cauchy, cauchyLimit } from '../src/cauchy';
import { frequencyNodes } from '../src/nodes';

const rng = createRng(20240611);

function crandn(n: number, scale = 1): Float64Array {
  const a = new Float64Array(2 * n);
  for (let i = 0; i < a.length; i++) a[i] = scale * rng.normal();
  return a;
}

/** Stable poles: Re w < 0. */
function poles(n: number): Float64Array {
  const w = crandn(n);
  for (let i = 0; i < n; i++) {
    w[2 * i] = -0.05 - Math.abs(w[2 * i]);
    w[2 * i + 1] *= 5;
  }
  return w;
}

/** Direct complex-arithmetic double loop: Σ_n v/(z−w) + v̄/(z−w̄). */
function cauchyNaive(v: ComplexTensor, w: ComplexTensor, z: ComplexTensor): Float64Array {
  const [batch, H, N2] = v.shape;
  const Lz = z.shape[0];
  const out = new Float64Array(2 * batch * H * Lz);
  const div = (ar: number, ai: number, br: number, bi: number): [number, number] => {
    const d = br * br + bi * bi;
    return [(ar * br + ai * bi) / d, (ai * br - ar * bi) / d];
  };
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < H; h++) {
      for (let l = 0; l < Lz; l++) {
        let re = 0;
        let im = 0;
        const zr = z.data[2 * l];
        const zi = z.data[2 * l + 1];
        for (let n = 0; n < N2; n++) {
          const vr = v.data[2 * ((b * H + h) * N2 + n)];
          const vi = v.data[2 * ((b * H + h) * N2 + n) + 1];
          const wr = w.data[2 * (h * N2 + n)];
          const wi = w.data[2 * (h * N2 + n) + 1];
          const [ar, ai] = div(vr, vi, zr - wr, zi - wi);
          const [br, bi] = div(vr, -vi, zr - wr, zi + wi);
          re += ar + br;
          im += ai + bi;
        }
        out[2 * ((b * H + h) * Lz + l)] = re;
        out[2 * ((b * H + h) * Lz + l) + 1] = im;
      }
    }
  }
  return out;
}

function randomProblem(batch: number, H: number, N2: number) {
  const v: ComplexTensor<Float64Array> = { data: crandn(batch * H * N2), shape: [batch, H, N2] };
  const w: ComplexTensor<Float64Array> = { data: poles(H * N2), shape: [H, N2] };
  return { v, w };
}

/** The S4 nodes without the Nyquist one. */
function finiteNodes(L: number): ComplexTensor<Float64Array> {
  const f = frequencyNodes(L);
  const count = f.nyquist ? f.count - 1 : f.count;
  return { data: f.z.slice(0, 2 * count), shape: [count] };
}

describe('cauchy', () => {
  it.each([
    [1, 1, 1, 1],
    [3, 2, 5, 64],
    [2, 3, 70, 33], // N2 > one mode block
    [4, 2, 32, 1024],
  ])(
    'batch %i, H %i, N2 %i, S4 nodes of L = %i: matches the direct double loop (float64)',
    (batch, H, N2, L) => {
      const { v, w } = randomProblem(batch, H, N2);
      const z = finiteNodes(L);
      const r = cauchy(v, w, z);
      expect(r.shape).toEqual([batch, H, z.shape[0]]);
      expect(r.data).toBeInstanceOf(Float64Array);
      expect(relativeError(r.data, cauchyNaive(v, w, z))).toBeLessThan(1e-12);
    },
  );

  it('general complex z (the non-imaginary path), mixed with imaginary nodes', () => {
    const { v, w } = randomProblem(3, 4, 9);
    const zd = crandn(40, 3);
    for (let i = 0; i < 10; i++) zd[2 * i] = 0; // a few purely imaginary nodes in between
    const z = { data: zd, shape: [40] };
    const r = cauchy(v, w, z);
    expect(relativeError(r.data, cauchyNaive(v, w, z))).toBeLessThan(1e-12);
  });

  it('rows of the batch are independent and share the poles', () => {
    const { v, w } = randomProblem(3, 2, 6);
    const z = finiteNodes(20);
    const full = cauchy(v, w, z);
    const rowSize = 2 * 2 * 6;
    const outSize = 2 * 2 * z.shape[0];
    for (let b = 0; b < 3; b++) {
      const one = cauchy({ data: v.data.slice(b * rowSize, (b + 1) * rowSize), shape: [1, 2, 6] }, w, z);
      expect(relativeError(full.data.slice(b * outSize, (b + 1) * outSize), one.data)).toBe(0);
    }
  });

  it('float32 inputs give a float32 result within 1e-4 of float64', () => {
    const { v, w } = randomProblem(2, 3, 16);
    const z = finiteNodes(128);
    const r32 = cauchy(
      { data: new Float32Array(v.data), shape: v.shape },
      { data: new Float32Array(w.data), shape: w.shape },
      z,
    );
    expect(r32.data).toBeInstanceOf(Float32Array);
    expectClose(r32.data, cauchyNaive(v, w, z), TOLERANCE.float32, 'float32 cauchy');
    // One float32 input is enough to select float32.
    const mixed = cauchy(v, { data: new Float32Array(w.data), shape: w.shape }, z);
    expect(mixed.data).toBeInstanceOf(Float32Array);
  });

  it('an infinite node (the S4 Nyquist marker) gives exactly 0 and leaves the others untouched', () => {
    const { v, w } = randomProblem(2, 2, 8);
    const f = frequencyNodes(16);
    const z = { data: f.z, shape: [f.count] };
    const r = cauchy(v, w, z);
    expect(r.data.every(Number.isFinite)).toBe(true);
    const last = f.count - 1;
    for (let row = 0; row < 4; row++) {
      expect(r.data[2 * (row * f.count + last)]).toBe(0);
      expect(r.data[2 * (row * f.count + last) + 1]).toBe(0);
    }
    const fin = finiteNodes(16);
    const rf = cauchy(v, w, fin);
    for (let row = 0; row < 4; row++) {
      const a = r.data.slice(2 * row * f.count, 2 * (row * f.count + last));
      const b = rf.data.slice(2 * row * last, 2 * (row + 1) * last);
      expect(relativeError(a, b)).toBe(0);
    }
  });

  it('supports empty dimensions', () => {
    const r = cauchy(
      { data: new Float64Array(0), shape: [0, 2, 3] },
      { data: poles(6), shape: [2, 3] },
      finiteNodes(8),
    );
    expect(r.shape).toEqual([0, 2, 4]);
    expect(r.data.length).toBe(0);
  });
});

describe('cauchyLimit', () => {
  it('equals lim z·r(z) = 2·Re Σ v (checked at |z| = 1e8, real and imaginary directions)', () => {
    const { v, w } = randomProblem(3, 2, 7);
    const lim = cauchyLimit(v);
    expect(lim.shape).toEqual([3, 2]);
    for (const [zr, zi] of [
      [0, 1e8],
      [0, -1e8],
      [1e8, 0],
      [-7e7, 7e7],
    ]) {
      const r = cauchy(v, w, { data: new Float64Array([zr, zi]), shape: [1] });
      const scaled = new Float64Array(6);
      for (let i = 0; i < 6; i++) {
        const re = r.data[2 * i] * zr - r.data[2 * i + 1] * zi;
        const im = r.data[2 * i] * zi + r.data[2 * i + 1] * zr;
        scaled[i] = re;
        expect(Math.abs(im)).toBeLessThan(1e-6 * Math.max(1, Math.abs(lim.data[i])));
      }
      expectClose(scaled, lim.data, 1e-6, `z·r(z) at z = ${zr} + ${zi}i`);
    }
    // and explicitly 2·Re Σ_n v.
    for (let row = 0; row < 6; row++) {
      let s = 0;
      for (let n = 0; n < 7; n++) s += v.data[2 * (row * 7 + n)];
      expect(lim.data[row]).toBeCloseTo(2 * s, 12);
    }
  });

  it('keeps float32', () => {
    const lim = cauchyLimit({ data: new Float32Array([1, 2, 3, 4]), shape: [1, 1, 2] });
    expect(lim.data).toBeInstanceOf(Float32Array);
    expect([...lim.data]).toEqual([8]);
  });
});

describe('cauchy: bad input', () => {
  const { v, w } = randomProblem(2, 3, 4);
  const z = finiteNodes(10);
  it.each([
    [
      'v of the wrong rank',
      () => cauchy({ data: v.data, shape: [6, 4] }, w, z),
      /v must have shape \[batch, H, N2\]; got \[6, 4\]/,
    ],
    [
      'w with another H or N2',
      () => cauchy(v, { data: poles(12), shape: [4, 3] }, z),
      /w must have shape \[H, N2\] = \[3, 4\]; got \[4, 3\]/,
    ],
    [
      'z of the wrong rank',
      () => cauchy(v, w, { data: z.data, shape: [1, z.shape[0]] }),
      /z must have shape \[Lz\]/,
    ],
    [
      'v data too short',
      () => cauchy({ data: v.data.slice(2), shape: v.shape }, w, z),
      /v\.data must hold 24 complex values/,
    ],
    [
      'non-finite v',
      () => {
        const bad = v.data.slice();
        bad[5] = Number.POSITIVE_INFINITY;
        return cauchy({ data: bad, shape: v.shape }, w, z);
      },
      /v must be finite; found Infinity at index 5/,
    ],
    [
      'non-finite w',
      () => {
        const bad = w.data.slice();
        bad[0] = Number.NaN;
        return cauchy(v, { data: bad, shape: w.shape }, z);
      },
      /w must be finite; found NaN at index 0/,
    ],
    [
      'NaN in z',
      () => cauchy(v, w, { data: new Float64Array([0, Number.NaN]), shape: [1] }),
      /z must not hold NaN/,
    ],
    [
      'z on a pole',
      () => cauchy(v, w, { data: new Float64Array([w.data[2], w.data[3]]), shape: [1] }),
      /z\[0\] coincides with a pole w\[0, 1\]/,
    ],
    [
      'cauchyLimit of a 2-D v',
      () => cauchyLimit({ data: v.data, shape: [6, 4] }),
      /v must have shape \[batch, H, N2\]/,
    ],
  ])('%s', (_name, fn, message) => {
    expect(fn).toThrow(RangeError);
    expect(fn).toThrow(message);
  });
});
