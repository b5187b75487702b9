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
