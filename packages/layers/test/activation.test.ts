import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, erf, erfc, POINTWISE_ACTIVATIONS, parseActivation } from '../src/index';

// The official activations and the error function behind the exact GELU.

describe('erf', () => {
  it.each([
    [0, 0, 1],
    [0.5, 0.5204998778130465, 0.4795001221869535],
    [1, 0.8427007929497149, 0.15729920705028513],
    [2, 0.9953222650189527, 0.004677734981047266],
    [5, 0.9999999999984626, 1.5374597944280349e-12],
    [27, 1, 5.2370464393526e-319],
  ])('erf(%f), erfc(%f)', (x, e, c) => {
    expect(erf(x)).toBeCloseTo(e, 15);
    expect(erf(-x)).toBeCloseTo(-e, 15);
    expect(Math.abs(erfc(x) - c)).toBeLessThanOrEqual(2e-16 * Math.max(c, Number.MIN_VALUE) + 1e-323);
    expect(erfc(-x)).toBeCloseTo(2 - c, 15);
  });
});

describe('activations', () => {
  const x = [-3, -0.5, 0, 0.7, 25];
  const expected: Record<string, (v: number) => number> = {
    tanh: Math.tanh,
    relu: (v) => Math.max(v, 0),
    gelu: (v) => 0.5 * v * (1 + erf(v / Math.SQRT2)),
    elu: (v) => (v > 0 ? v : Math.exp(v) - 1),
    silu: (v) => v / (1 + Math.exp(-v)),
    sigmoid: (v) => 1 / (1 + Math.exp(-v)),
    softplus: (v) => (v > 20 ? v : Math.log(1 + Math.exp(v))),
    sqrelu: (v) => Math.max(v, 0) ** 2,
    // biome-ignore lint/suspicious/noApproximativeNumericConstant: the official constant.
    laplace: (v) => 0.5 * (1 + erf((v - 0.707107) / (0.282095 * Math.SQRT2))),
  };

  it.each(Object.entries(expected))('%s', (name, f) => {
    const y = parseActivation('a', name).apply(Float64Array.from(x), 1, x.length, 1);
    for (const [i, v] of y.entries()) expect(v).toBeCloseTo(f(x[i]), 14);
  });

  it('identities return their input', () => {
    for (const name of ['id', 'identity', 'linear', 'none', null, undefined]) {
      const a = Float64Array.from(x);
      expect(parseActivation('a', name).apply(a, 1, 5, 1)).toBe(a);
    }
  });

  it('glu and glu-<act> halve the feature axis: first half × gate(second half)', () => {
    // [outer 2, features 4, inner 3]
    const a = Float64Array.from({ length: 24 }, (_, i) => (i % 7) - 3);
    const y = parseActivation('a', 'glu').apply(a.slice(), 2, 4, 3);
    const z = parseActivation('a', 'glu-tanh').apply(a.slice(), 2, 4, 3);
    expect(y.length).toBe(12);
    for (let o = 0; o < 2; o++) {
      for (let i = 0; i < 6; i++) {
        const first = a[o * 12 + i];
        const second = a[o * 12 + 6 + i];
        expect(y[o * 6 + i]).toBeCloseTo(first / (1 + Math.exp(-second)), 15);
        expect(z[o * 6 + i]).toBeCloseTo(first * Math.tanh(second), 15);
      }
    }
  });

  it('lists every name and rejects unknown ones', () => {
    expect(ACTIVATIONS).toContain('glu');
    expect(ACTIVATIONS).toContain('glu-gelu');
    expect(POINTWISE_ACTIVATIONS).toContain('swish');
    expect(() => parseActivation('final_act', 'modrelu')).toThrow(
      /final_act must be null or one of .*got 'modrelu'/,
    );
    expect(() => parseActivation('a', 'glu-glu')).toThrow(/got 'glu-glu'/);
  });
});

it('the float32 GELU (interpolated Φ) is within 1e-10 of the exact one', () => {
  const gelu = parseActivation('a', 'gelu');
  const xs = Float32Array.from({ length: 40001 }, (_, i) => -10 + i / 2000);
  const exact = gelu.apply(Float64Array.from(xs), 1, xs.length, 1);
  const fast = gelu.apply(xs, 1, xs.length, 1);
  // Beyond the interpolation error, the result is rounded to float32 (half an ulp).
  for (let i = 0; i < xs.length; i++) {
    expect(Math.abs(fast[i] - exact[i])).toBeLessThanOrEqual(1e-10 + Math.abs(exact[i]) * 2 ** -24);
  }
});
