import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Golden files hold outputs of the official PyTorch S4 (see fixtures/golden/README.md).
// Tests read the directory named by STATESPACE_GOLDEN and iterate every case of every file.

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The golden directory: `$STATESPACE_GOLDEN`, or the repository's `fixtures/golden`. */
export function goldenDir(): string {
  return process.env.STATESPACE_GOLDEN
    ? resolve(process.env.STATESPACE_GOLDEN)
    : join(repositoryRoot, 'fixtures/golden');
}

/** A real tensor as stored in a golden file. */
export interface GoldenReal {
  shape: number[];
  data: number[];
}

/** A complex tensor as stored in a golden file (separate parts). */
export interface GoldenComplex {
  shape: number[];
  re: number[];
  im: number[];
}

export type GoldenCase = Record<string, unknown>;

/** Reads `<goldenDir>/<file>` and returns its `cases`. */
export function loadGoldenCases(file: string): GoldenCase[] {
  const path = join(goldenDir(), file);
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { cases?: GoldenCase[] };
  if (!Array.isArray(parsed.cases)) throw new Error(`${path} has no cases array`);
  return parsed.cases;
}

/** A display name for a case: its `name`, else `measure-N…`. */
export function caseName(c: GoldenCase): string {
  if (typeof c.name === 'string') return c.name;
  const parts = [
    c.measure,
    c.N !== undefined ? `N${c.N}` : undefined,
    c.rank !== undefined ? `r${c.rank}` : undefined,
  ];
  return parts.filter((p) => p !== undefined).join('-');
}

/**
 * Fails on any field of `c` outside `known`: a conformance test must understand every field
 * of the format rather than silently ignore one.
 */
export function assertKnownFields(c: GoldenCase, known: readonly string[]): void {
  const unknown = Object.keys(c).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    throw new Error(
      `golden case ${caseName(c)} has fields this test does not understand: ${unknown.join(', ')}`,
    );
  }
}

/** A golden real tensor as a Float64Array with its shape. */
export function goldenReal(field: unknown, name = 'field'): { data: Float64Array; shape: number[] } {
  const t = field as GoldenReal;
  if (!t || !Array.isArray(t.shape) || !Array.isArray(t.data))
    throw new Error(`${name} is not a real golden tensor`);
  return { data: Float64Array.from(t.data), shape: t.shape };
}

/** A golden complex tensor as an interleaved Float64Array with its shape. */
export function goldenComplex(field: unknown, name = 'field'): { data: Float64Array; shape: number[] } {
  const t = field as GoldenComplex;
  if (!t || !Array.isArray(t.shape) || !Array.isArray(t.re) || !Array.isArray(t.im)) {
    throw new Error(`${name} is not a complex golden tensor`);
  }
  const data = new Float64Array(2 * t.re.length);
  for (let i = 0; i < t.re.length; i++) {
    data[2 * i] = t.re[i];
    data[2 * i + 1] = t.im[i];
  }
  return { data, shape: t.shape };
}
