import { describe, expect, it } from 'vitest';
import { binomial, lgamma } from '../src/index';

// log|Γ(x)| to 40 digits (mpmath), rounded to float64.
const LGAMMA: readonly [number, number][] = [
  [0.5, 0.5723649429247001],
  [1, 0],
  [1.5, -0.12078223763524522],
  [2, 0],
  [2.5, 0.2846828704729192],
  [0.999, 0.0005780385328913797],
  [2.001, 0.0004231067348001636],
  [9.99, 12.779315214350193],
  [10, 12.801827480081469],
  [30.25, 72.104204742008],
  [171.5, 709.1431630309282],
  [1e-8, 18.42068073818021],
  [-0.5, 1.2655121234846454],
  [-2.5, -0.056243716497674054],
  [1e4, 82099.71749644238],
];

describe('lgamma', () => {
  it.each(LGAMMA)('lgamma(%s) is within 1e-14 (relative, or absolute below 1)', (x, expected) => {
    expect(Math.abs(lgamma(x) - expected)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(expected)));
  });

  it('is log n! at the integers', () => {
    let factorial = 1;
    for (let n = 1; n <= 20; n++) {
      factorial *= n; // exact up to 20!
      const expected = Math.log(factorial);
      expect(Math.abs(lgamma(n + 1) - expected)).toBeLessThanOrEqual(1e-14 * Math.max(1, expected));
    }
  });

  it('is +∞ at the poles and NaN for NaN', () => {
    expect(lgamma(0)).toBe(Number.POSITIVE_INFINITY);
    expect(lgamma(-3)).toBe(Number.POSITIVE_INFINITY);
    expect(lgamma(Number.NaN)).toBeNaN();
  });
});

describe('binomial', () => {
  it('matches scipy binom on integer and real upper arguments', () => {
    expect(binomial(10, 4)).toBe(210);
    expect(binomial(2.5, 3)).toBeCloseTo(0.3125, 15);
    expect(binomial(-1.5, 2)).toBeCloseTo(1.875, 15);
    expect(binomial(7.25, 0)).toBe(1);
  });

  it('rejects a non-integer or negative k', () => {
    expect(() => binomial(3, 1.5)).toThrow(/k must be an integer ≥ 0/);
    expect(() => binomial(3, -1)).toThrow(/k must be an integer ≥ 0/);
  });
});
