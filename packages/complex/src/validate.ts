import type { Shape } from './tensor';

// Argument checks shared by every package, so that a bad input fails with a message that names
// the argument, what was expected and what was given.

/** Throws unless `array` holds exactly `expected` entries. */
export function assertLength(arg: string, array: ArrayLike<number>, expected: number, unit = 'values'): void {
  if (array.length !== expected) {
    throw new RangeError(`${arg} must hold ${expected} ${unit}; got ${array.length}`);
  }
}

/** Throws unless an interleaved complex array holds `expected` complex values. */
export function assertComplexLength(arg: string, array: ArrayLike<number>, expected: number): void {
  if (array.length !== 2 * expected) {
    throw new RangeError(
      `${arg} must hold ${expected} complex values (${2 * expected} interleaved numbers); got ${array.length} numbers`,
    );
  }
}

/**
 * Throws unless every entry is finite, naming the first offending index. The common case is one
 * pass of multiply-adds: x·0 is 0 for a finite x and NaN for ±∞ or NaN, so sums of them are NaN
 * exactly when some entry is not finite (four sums rather than a test per entry: about twice as
 * fast on long arrays). Only then is the index sought.
 */
export function assertFinite(arg: string, array: ArrayLike<number>): void {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const whole = array.length - (array.length % 4);
  for (let i = 0; i < whole; i += 4) {
    s0 += array[i] * 0;
    s1 += array[i + 1] * 0;
    s2 += array[i + 2] * 0;
    s3 += array[i + 3] * 0;
  }
  for (let i = whole; i < array.length; i++) s0 += array[i] * 0;
  if (!Number.isNaN(s0 + s1 + s2 + s3)) return;
  for (let i = 0; i < array.length; i++) {
    if (!Number.isFinite(array[i])) {
      throw new RangeError(`${arg} must be finite; found ${array[i]} at index ${i}`);
    }
  }
}

/** Throws unless `value` is an integer no smaller than `min`. */
export function assertInteger(arg: string, value: number, min = Number.NEGATIVE_INFINITY): void {
  if (!Number.isInteger(value) || value < min) {
    const bound = min === Number.NEGATIVE_INFINITY ? '' : ` ≥ ${min}`;
    throw new RangeError(`${arg} must be an integer${bound}; got ${value}`);
  }
}

/** Throws unless `value` is a finite number strictly greater than zero. */
export function assertPositive(arg: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new RangeError(`${arg} must be a finite number > 0; got ${value}`);
  }
}

/** Throws unless `value` is one of `accepted`, listing them. */
export function assertOneOf<T extends string>(
  arg: string,
  value: unknown,
  accepted: readonly T[],
): asserts value is T {
  if (!accepted.includes(value as T)) {
    throw new RangeError(
      `${arg} must be one of ${accepted.map((a) => `'${a}'`).join(', ')}; got '${String(value)}'`,
    );
  }
}

/** Throws unless two shapes are equal. */
export function assertShape(arg: string, actual: Shape, expected: Shape): void {
  if (actual.length !== expected.length || actual.some((d, i) => d !== expected[i])) {
    throw new RangeError(`${arg} must have shape [${expected.join(', ')}]; got [${actual.join(', ')}]`);
  }
}
