// Option checks shared by the public functions: an unknown key (a typo, or a camelCase spelling
// of an official snake_case name) or a NaN must fail loudly, never be ignored.

/** Throws unless every key of `options` is one of `accepted`, listing them. */
export function assertKnownOptions(arg: string, options: object, accepted: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!accepted.includes(key)) {
      throw new RangeError(
        `${arg} has an unknown option '${key}'; accepted: ${accepted.map((a) => `'${a}'`).join(', ')}`,
      );
    }
  }
}

/** Returns `value`, or `fallback` when it is undefined, throwing unless the result is finite. */
export function finiteOption(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new RangeError(`${name} must be a finite number; got ${String(v)}`);
  }
  return v;
}

/** Returns `value`, or `fallback` when it is undefined, throwing unless the result is a boolean. */
export function booleanOption(name: string, value: boolean | undefined, fallback: boolean): boolean {
  const v = value ?? fallback;
  if (typeof v !== 'boolean') throw new TypeError(`${name} must be a boolean; got ${String(v)}`);
  return v;
}
