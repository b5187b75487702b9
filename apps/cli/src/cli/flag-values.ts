import { UsageError } from './errors';

// Converters from a flag's string to the value a command needs. Each names the flag and what it
// accepts when the value is wrong, and returns the default when the flag is absent.

/** An integer flag within [min, max]. */
export function integerFlag(
  name: string,
  value: string | undefined,
  fallback: number,
  range: { min?: number; max?: number } = {},
): number {
  if (value === undefined) return fallback;
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = range;
  const parsed = /^[+-]?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw new UsageError(`--${name} must be an integer ${describeRange(min, max)}; got '${value}'`);
  }
  return parsed;
}

/** A finite number flag > `above` (exclusive) or ≥ `min`. */
export function numberFlag(
  name: string,
  value: string | undefined,
  fallback: number,
  range: { above?: number; min?: number; max?: number } = {},
): number {
  if (value === undefined) return fallback;
  const parsed = value.trim() === '' ? Number.NaN : Number(value);
  const { above, min, max } = range;
  const ok =
    Number.isFinite(parsed) &&
    (above === undefined || parsed > above) &&
    (min === undefined || parsed >= min) &&
    (max === undefined || parsed <= max);
  if (!ok) {
    const bounds = [
      above !== undefined ? `> ${above}` : undefined,
      min !== undefined ? `≥ ${min}` : undefined,
      max !== undefined ? `≤ ${max}` : undefined,
    ].filter(Boolean);
    throw new UsageError(
      `--${name} must be a number${bounds.length ? ` ${bounds.join(' and ')}` : ''}; got '${value}'`,
    );
  }
  return parsed;
}

/** One of a fixed list of names. */
export function choiceFlag<T extends string>(
  name: string,
  value: string | undefined,
  choices: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${choices.join(', ')}; got '${value}'`);
  }
  return value as T;
}

/** A flag without which the command cannot run. */
export function requiredFlag(name: string, value: string | undefined, what: string): string {
  if (value === undefined || value === '') throw new UsageError(`--${name} is required: ${what}`);
  return value;
}

function describeRange(min: number, max: number): string {
  if (min > Number.MIN_SAFE_INTEGER && max < Number.MAX_SAFE_INTEGER) return `from ${min} to ${max}`;
  if (min > Number.MIN_SAFE_INTEGER) return `≥ ${min}`;
  if (max < Number.MAX_SAFE_INTEGER) return `≤ ${max}`;
  return '';
}
