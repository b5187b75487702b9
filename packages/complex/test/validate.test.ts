import { describe, expect, it } from 'vitest';
import {
  assertComplexLength,
  assertFinite,
  assertInteger,
  assertLength,
  assertOneOf,
  assertPositive,
  assertShape,
} from '../src/index';

describe('argument validation names the argument and the accepted values', () => {
  it.each([
    [() => assertLength('B', [1, 2], 3), /B must hold 3 values; got 2/],
    [() => assertComplexLength('Lambda', [1, 2], 2), /Lambda must hold 2 complex values/],
    [() => assertFinite('log_dt', [0, Number.NaN]), /log_dt must be finite; found NaN at index 1/],
    [() => assertInteger('L', 2.5, 1), /L must be an integer ≥ 1; got 2.5/],
    [() => assertPositive('dt', 0), /dt must be a finite number > 0; got 0/],
    [
      () => assertOneOf('disc', 'foo', ['zoh', 'bilinear']),
      /disc must be one of 'zoh', 'bilinear'; got 'foo'/,
    ],
    [() => assertShape('C', [2, 3], [2, 4]), /C must have shape \[2, 4\]; got \[2, 3\]/],
  ])('%#', (fn, message) => {
    expect(fn).toThrow(message);
  });

  it('accepts valid input', () => {
    expect(() => {
      assertLength('B', [1, 2], 2);
      assertFinite('x', new Float32Array(3));
      assertInteger('n', 4, 1);
      assertPositive('dt', 1e-3);
      assertOneOf('disc', 'zoh', ['zoh']);
      assertShape('C', [2], [2]);
    }).not.toThrow();
  });
});

describe('assertFinite on long arrays (the multiply-add pass)', () => {
  it('accepts finite values of any size, extremes included', () => {
    for (const length of [0, 1, 3, 4, 5, 1027]) {
      const data = Float64Array.from({ length }, (_, i) => (i % 2 ? -1 : 1) * 10 ** ((i % 600) - 300));
      expect(() => assertFinite('x', data)).not.toThrow();
    }
    expect(() =>
      assertFinite('x', Float64Array.of(Number.MAX_VALUE, -Number.MAX_VALUE, 5e-324, -0)),
    ).not.toThrow();
    expect(() => assertFinite('x', Float32Array.of(3.4e38, -3.4e38, 1e-45, 0, 0))).not.toThrow();
  });

  it.each([
    [0, Number.NaN],
    [1, Number.POSITIVE_INFINITY],
    [6, Number.NEGATIVE_INFINITY],
    [9, Number.NaN], // in the tail after the groups of four
  ])('finds a non-finite value at index %i and names it', (index, value) => {
    for (const data of [new Float64Array(10).fill(2), new Float32Array(10).fill(2)]) {
      data[index] = value;
      expect(() => assertFinite('u', data)).toThrow(
        new RangeError(`u must be finite; found ${value} at index ${index}`),
      );
    }
  });
});
