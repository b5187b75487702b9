import { createRng, type Tensor, tensor } from '@statespace/complex';
import {
  assertKnownFields,
  caseName,
  expectClose,
  GOLDEN_FIELDS,
  goldenReal,
  loadGoldenCases,
  TOLERANCE,
} from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { convolve } from '../src/conv';

function random(shape: number[], seed: number): Tensor<Float64Array> {
  const rng = createRng(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tensor(
    Float64Array.from({ length: size }, () => rng.normal()),
    shape,
  );
}

/** The official construction, literally: k = pad(k0, (0, L)) + pad(flip(k1), (L, 0)), circular conv of length Lk + L. */
function officialTwoSided(u: Tensor, k0: Tensor, k1: Tensor, D: Tensor): Float64Array {
  const [batch, H, L] = u.shape;
  const [C, , Lk] = k0.shape;
  const n = Lk + L;
  const y = new Float64Array(batch * C * H * L);
  for (let b = 0; b < batch; b++)
    for (let c = 0; c < C; c++)
      for (let h = 0; h < H; h++) {
        const full = new Float64Array(n);
        for (let j = 0; j < Lk; j++) full[j] += k0.data[(c * H + h) * Lk + j];
        for (let j = 0; j < Lk; j++) full[L + j] += k1.data[(c * H + h) * Lk + (Lk - 1 - j)];
        for (let t = 0; t < L; t++) {
          let s = D.data[c * H + h] * u.data[(b * H + h) * L + t];
          for (let j = 0; j < n; j++) {
            const src = (((t - j) % n) + n) % n;
            if (src < L) s += full[j] * u.data[(b * H + h) * L + src];
          }
          y[((b * C + c) * H + h) * L + t] = s;
        }
      }
  return y;
}

/** Direct causal sum with channels and D. */
function direct(u: Tensor, k: Tensor, D: Tensor): Float64Array {
  const [batch, H, L] = u.shape;
  const [C, , Lk] = k.shape;
  const y = new Float64Array(batch * C * H * L);
  for (let b = 0; b < batch; b++)
    for (let c = 0; c < C; c++)
      for (let h = 0; h < H; h++)
        for (let t = 0; t < L; t++) {
          let s = D.data[c * H + h] * u.data[(b * H + h) * L + t];
          for (let j = 0; j <= Math.min(t, Lk - 1); j++)
            s += k.data[(c * H + h) * Lk + j] * u.data[(b * H + h) * L + t - j];
          y[((b * C + c) * H + h) * L + t] = s;
        }
  return y;
}

describe('convolve: golden fftconv cases', () => {
  for (const c of loadGoldenCases('fftconv.json')) {
    it(caseName(c), () => {
      assertKnownFields(c, GOLDEN_FIELDS['fftconv.json']);
      const u = goldenReal(c.u, 'u');
      const k = goldenReal(c.k, 'k');
      const D = goldenReal(c.D, 'D');
      const y = goldenReal(c.y, 'y');
      const H = k.shape[0];
      const k3 = tensor(k.data, [1, ...k.shape]);
      const D2 = tensor(D.data, [1, H]);
      const out = convolve({ u: tensor(u.data, u.shape), k: k3, D: D2 });
      expect(out.shape).toEqual([u.shape[0], 1, H, u.shape[2]]);
      expectClose(out.data, y.data, TOLERANCE.float64, 'y (float64)');
      const out32 = convolve({
        u: tensor(Float32Array.from(u.data), u.shape),
        k: tensor(Float32Array.from(k.data), k3.shape),
        D: tensor(Float32Array.from(D.data), [1, H]),
      });
      expect(out32.data).toBeInstanceOf(Float32Array);
      expectClose(out32.data, y.data, TOLERANCE.float32, 'y (float32)');
    });
  }
});

describe('convolve: oracles', () => {
  it.each([
    [2, 3, 1, 17, 17],
    [1, 2, 2, 64, 20],
    [3, 1, 3, 33, 50],
  ])('causal, batch %i H %i channels %i L %i Lk %i', (batch, H, C, L, Lk) => {
    const u = random([batch, H, L], 1);
    const k = random([C, H, Lk], 2);
    const D = random([C, H], 3);
    const taps = Math.min(Lk, L);
    const kUsed = tensor(
      Float64Array.from({ length: C * H * taps }, (_, i) => k.data[Math.floor(i / taps) * Lk + (i % taps)]),
      [C, H, taps],
    );
    expectClose(convolve({ u, k, D }).data, direct(u, kUsed, D), 1e-12, 'y');
  });

  it.each([
    [2, 2, 1, 16, 16],
    [1, 3, 2, 31, 31],
    [2, 1, 1, 40, 12],
  ])(
    'bidirectional equals the official two-sided kernel, batch %i H %i channels %i L %i Lk %i',
    (batch, H, C, L, Lk) => {
      const u = random([batch, H, L], 4);
      const k0 = random([C, H, Lk], 5);
      const k1 = random([C, H, Lk], 6);
      const D = random([C, H], 7);
      expectClose(convolve({ u, k: k0, kReverse: k1, D }).data, officialTwoSided(u, k0, k1, D), 1e-12, 'y');
    },
  );

  it('weights the input at future offset d by kReverse[d − 1] (the official off-by-one)', () => {
    const L = 8;
    const u = tensor(
      Float64Array.from({ length: L }, (_, t) => (t === 5 ? 1 : 0)),
      [1, 1, L],
    );
    const k = tensor(new Float64Array(L), [1, 1, L]);
    const kReverse = tensor(
      Float64Array.from({ length: L }, (_, i) => i + 1),
      [1, 1, L],
    );
    const y = convolve({ u, k, kReverse }).data;
    // y[t] = kReverse[(5 − t) − 1] for t < 5: t = 4 → kReverse[0] = 1, t = 0 → kReverse[4] = 5.
    expect(Array.from(y, (v) => Math.round(v * 1e9) / 1e9)).toEqual([5, 4, 3, 2, 1, 0, 0, 0]);
  });
});

describe('convolve: bad input', () => {
  const u = random([1, 2, 8], 1);
  it.each([
    [
      { u: tensor(new Float64Array(8), [2, 4]), k: random([1, 2, 8], 2) },
      /u must have shape \[batch, H, L\]/,
    ],
    [{ u, k: random([1, 3, 8], 2) }, /k must have shape \[channels, 2, Lk\]/],
    [{ u, k: random([1, 2, 8], 2), D: random([2, 2], 3) }, /D must have shape \[1, 2\]/],
    [{ u, k: random([1, 2, 8], 2), kReverse: random([1, 2, 4], 3) }, /kReverse must have the shape of k/],
    [
      { u: tensor(Float64Array.from([0, Number.NaN, 0, 0, 0, 0, 0, 0]), [1, 1, 8]), k: random([1, 1, 8], 2) },
      /u must be finite/,
    ],
  ])('%#', (input, message) => {
    expect(() => convolve(input)).toThrow(message);
  });
});
