// Option checks shared by the module constructors: an unknown key (a typo, or a camelCase spelling
// of an official snake_case name) fails loudly, listing the accepted ones; values are validated
// with messages that name the option.

/** Throws unless every key of `options` is one of `accepted`, listing them. */
export function assertKnownOptions(arg: string, options: object, accepted: readonly string[]): void {
  if (options === null || typeof options !== 'object') throw new TypeError(`${arg} must be an object`);
  for (const key of Object.keys(options)) {
    if (!accepted.includes(key)) {
      throw new RangeError(
        `${arg} has an unknown option '${key}'; accepted: ${accepted.map((a) => `'${a}'`).join(', ')}`,
      );
    }
  }
}

/** `value` (or `fallback` when undefined), which must be a boolean. */
export function booleanOption(name: string, value: unknown, fallback: boolean): boolean {
  const v = value ?? fallback;
  if (typeof v !== 'boolean') throw new TypeError(`${name} must be a boolean; got ${String(v)}`);
  return v;
}

/** `value` (or `fallback` when undefined), which must be a finite number in [min, max]. */
export function numberOption(
  name: string,
  value: unknown,
  fallback: number,
  min = -Infinity,
  max = Infinity,
): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    const range = `${min === -Infinity ? '' : ` ≥ ${min}`}${max === Infinity ? '' : `${min === -Infinity ? '' : ' and'} ≤ ${max}`}`;
    throw new RangeError(`${name} must be a finite number${range}; got ${String(v)}`);
  }
  return v;
}

/** `value` (or `fallback` when undefined), which must be an integer ≥ `min`. */
export function integerOption(name: string, value: unknown, fallback: number, min = 1): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new RangeError(`${name} must be an integer ≥ ${min}; got ${String(v)}`);
  }
  return v;
}

/** A dropout probability in [0, 1), as torch requires. */
export function probabilityOption(name: string, value: unknown): number {
  return numberOption(name, value, 0, 0, 1 - Number.EPSILON);
}
