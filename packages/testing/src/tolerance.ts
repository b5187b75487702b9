import { expect } from 'vitest';

/** The project's tolerances: float64 vs golden, float32 anywhere. */
export const TOLERANCE = { float64: 1e-9, float32: 1e-4 } as const;

/**
 * Relative error ‖actual − expected‖∞ / ‖expected‖∞ (max-norm relative, the measure every
 * tolerance in this project refers to). Returns the absolute error if `expected` is all zeros.
 */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) {
    throw new RangeError(`length mismatch: actual ${actual.length}, expected ${expected.length}`);
  }
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    if (!(d <= maxDiff)) maxDiff = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
    maxRef = Math.max(maxRef, Math.abs(expected[i]));
  }
  return maxRef === 0 ? maxDiff : maxDiff / maxRef;
}

/** Asserts `relativeError(actual, expected) ≤ tolerance`, naming the quantity on failure. */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: number,
  what = 'value',
): void {
  const err = relativeError(actual, expected);
  expect(err, `${what}: relative error ${err.toExponential(3)} exceeds ${tolerance}`).toBeLessThanOrEqual(
    tolerance,
  );
}
