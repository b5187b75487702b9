import { tensor } from '@statespace/complex';
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
import { causalConv, causalConvDirect } from '../src/index';
import { randomArray } from './reference';

describe('fftconv.json', () => {
  const cases = loadGoldenCases('fftconv.json');

  it('has cases', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases.map((c) => [caseName(c), c] as const))('%s', (_, c) => {
    assertKnownFields(c, GOLDEN_FIELDS['fftconv.json']);
    const u = goldenReal(c.u, 'u');
    const k = goldenReal(c.k, 'k');
    const D = goldenReal(c.D, 'D');
    const y = goldenReal(c.y, 'y');
    expect(u.shape).toEqual([c.B, c.H, c.L]);
    expect(k.shape[0]).toBe(c.H);

    const out = causalConv(tensor(u.data, u.shape), tensor(k.data, k.shape), { D: D.data, method: 'fft' });
    expect(out.shape).toEqual(y.shape);
    expectClose(out.data, y.data, TOLERANCE.float64, `${caseName(c)} float64`);
    const direct = causalConvDirect(tensor(u.data, u.shape), tensor(k.data, k.shape), { D: D.data });
    expectClose(direct.data, y.data, TOLERANCE.float64, `${caseName(c)} direct`);

    const out32 = causalConv(
      tensor(Float32Array.from(u.data), u.shape),
      tensor(Float32Array.from(k.data), k.shape),
      { D: Float32Array.from(D.data) },
    );
    expect(out32.data).toBeInstanceOf(Float32Array);
    expectClose(out32.data, y.data, TOLERANCE.float32, `${caseName(c)} float32`);
  });
});

describe('causalConv against causalConvDirect', () => {
  const shapes = [
    [2, 3, 1, 1],
    [2, 3, 2, 2],
    [1, 2, 7, 7],
    [2, 3, 64, 64],
    [2, 3, 100, 17],
    [3, 2, 257, 257],
    [1, 4, 257, 5],
    [2, 2, 99, 120],
    [1, 1, 1000, 1000],
    [1, 2, 4097, 300],
  ] as const;

  it.each(shapes)('B=%i H=%i L=%i Lk=%i', (B, H, L, Lk) => {
    const seed = B * 1000 + H * 100 + L + Lk;
    const u = tensor(randomArray(B * H * L, seed), [B, H, L]);
    const k = tensor(randomArray(H * Lk, seed + 1), [H, Lk]);
    const D = randomArray(H, seed + 2);
    for (const options of [{ D }, {}]) {
      const expected = causalConvDirect(u, k, options);
      expectClose(causalConv(u, k, { ...options, method: 'fft' }).data, expected.data, 1e-12, 'fft');
      expectClose(causalConv(u, k, options).data, expected.data, 1e-12, 'auto');
    }
    const u32 = tensor(Float32Array.from(u.data), u.shape);
    const k32 = tensor(Float32Array.from(k.data), k.shape);
    const D32 = Float32Array.from(D);
    const expected32 = causalConvDirect(
      tensor(Float64Array.from(u32.data), u.shape),
      tensor(Float64Array.from(k32.data), k.shape),
      {
        D: Float64Array.from(D32),
      },
    );
    const out32 = causalConv(u32, k32, { D: D32, method: 'fft' });
    expect(out32.data).toBeInstanceOf(Float32Array);
    expectClose(out32.data, expected32.data, TOLERANCE.float32, 'float32');
  });

  it('matches the definition on a small case', () => {
    // y[t] = Σ_{s≤t} k[s]·u[t−s] + D·u[t]
    const u = tensor(Float64Array.from([1, 2, 3, 4]), [1, 1, 4]);
    const k = tensor(Float64Array.from([1, 10]), [1, 2]);
    const expected = [1 + 0.5, 2 + 10 + 1, 3 + 20 + 1.5, 4 + 30 + 2];
    const D = Float64Array.from([0.5]);
    expect(Array.from(causalConvDirect(u, k, { D }).data)).toEqual(expected);
    expectClose(causalConv(u, k, { D, method: 'fft' }).data, expected, 1e-15, 'fft');
  });

  it('uses only the first L taps of a longer kernel', () => {
    const u = tensor(randomArray(2 * 3 * 50, 1), [2, 3, 50]);
    const k = randomArray(3 * 80, 2);
    const cut = Float64Array.from({ length: 3 * 50 }, (_, i) => k[80 * Math.floor(i / 50) + (i % 50)]);
    const expected = causalConvDirect(u, tensor(cut, [3, 50]));
    expectClose(causalConv(u, tensor(k, [3, 80]), { method: 'fft' }).data, expected.data, 1e-12, 'fft');
    expectClose(causalConvDirect(u, tensor(k, [3, 80])).data, expected.data, 0, 'direct');
  });

  it('accepts an empty batch', () => {
    const out = causalConv(tensor(new Float32Array(0), [0, 2, 8]), tensor(new Float32Array(6), [2, 3]));
    expect(out.shape).toEqual([0, 2, 8]);
    expect(out.data).toBeInstanceOf(Float32Array);
  });
});
