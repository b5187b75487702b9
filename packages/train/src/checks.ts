// Argument checks of this package's options that @statespace/complex does not provide.

/** `value`, which must be a finite number ≥ 0 (learning rates, decays, thresholds). */
export function nonNegative(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number ≥ 0; got ${String(value)}`);
  }
  return value;
}

/** `value`, which must be an integer ≥ `min` (counts of steps, epochs, workers). */
export function integerAtLeast(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer ≥ ${min}; got ${String(value)}`);
  }
  return value;
}

/** Throws unless every key of `options` is in `accepted`, listing them. */
export function assertKnownKeys(what: string, options: object, accepted: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!accepted.includes(key)) {
      throw new RangeError(
        `${what} has no option '${key}'; accepted: ${accepted.map((a) => `'${a}'`).join(', ')}`,
      );
    }
  }
}
