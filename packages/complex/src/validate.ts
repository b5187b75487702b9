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

/** Throws unless every entry is finite, naming the first offending index. */
export function assertFinite(arg: string, array: ArrayLike<number>): void {
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
