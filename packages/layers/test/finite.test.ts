import { describe, expect, it } from 'vitest';
import { assertFiniteValues } from '../src/finite';

describe('assertFiniteValues', () => {
  it('accepts finite values of any size, extremes included', () => {
    for (const length of [0, 1, 3, 4, 5, 1027]) {
      const data = Float64Array.from({ length }, (_, i) => (i % 2 ? -1 : 1) * 10 ** ((i % 600) - 300));
      expect(() => assertFiniteValues('x', data)).not.toThrow();
    }
    expect(() =>
      assertFiniteValues('x', Float64Array.of(Number.MAX_VALUE, -Number.MAX_VALUE, 5e-324, -0)),
    ).not.toThrow();
    expect(() => assertFiniteValues('x', Float32Array.of(3.4e38, -3.4e38, 1e-45, 0, 0))).not.toThrow();
  });

  it.each([
    [0, Number.NaN],
    [1, Number.POSITIVE_INFINITY],
    [6, Number.NEGATIVE_INFINITY],
    [9, Number.NaN], // in the tail after the groups of four
  ])('finds a non-finite value at index %i and names it', (index, value) => {
    for (const data of [new Float64Array(10).fill(2), new Float32Array(10).fill(2)]) {
      data[index] = value;
      expect(() => assertFiniteValues('u', data)).toThrow(
        new RangeError(`u must be finite; found ${value} at index ${index}`),
      );
    }
  });
});
