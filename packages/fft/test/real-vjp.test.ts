import { createRng } from '@statespace/complex';
import { expectClose, expectGradients } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { irfft, irfftVjp, rfft, rfftVjp } from '../src/index';

const rng = createRng(8);
const randn = (n: number) => Float64Array.from({ length: n }, () => rng.normal());

// [input length, n]: n equal, larger (zero-padding) and smaller (truncation), even and odd.
const SIZES = [
  [8, 8],
  [7, 7],
  [5, 8],
  [5, 9],
  [12, 8],
  [12, 7],
  [1, 1],
  [2, 2],
] as const;

describe('rfftVjp', () => {
  it.each(SIZES)('matches central differences for %i samples, n = %i', (m, n) => {
    const x = randn(m);
    const g = randn(2 * ((n >> 1) + 1));
    expectGradients((a) => rfft(a.x, n), { x }, g, { x: rfftVjp(g, n, m) });
  });

  it('keeps float32 and checks grad', () => {
    expect(rfftVjp(new Float32Array(10), 8)).toBeInstanceOf(Float32Array);
    expect(() => rfftVjp(new Float64Array(8), 8)).toThrow(/grad must hold 5 complex values/);
    expect(() => rfftVjp(new Float64Array(10), 8, 0)).toThrow(/inputLength must be an integer ≥ 1/);
  });
});

describe('irfftVjp', () => {
  // [input bins, n]: bins 0 and n/2 (even n) are where the adjoint differs from a plain rfft.
  const BINS = [
    [5, 8],
    [4, 7],
    [3, 8],
    [7, 8],
    [6, 9],
    [1, 1],
    [2, 2],
  ] as const;

  it.each(BINS)('matches central differences for %i bins, n = %i', (bins, n) => {
    const X = randn(2 * bins);
    const g = randn(n);
    expectGradients((a) => irfft(a.X, n), { X }, g, { X: irfftVjp(g, bins) });
  });

  it('gives 0 for the ignored imaginary parts of bins 0 and n/2', () => {
    const grad = irfftVjp(randn(8));
    expect(grad[1]).toBe(0);
    expect(grad[9]).toBe(0);
  });

  it('is the adjoint of irfft: ⟨g, irfft(X)⟩ = ⟨irfftVjp(g), X⟩', () => {
    const X = randn(10);
    const g = randn(8);
    const y = irfft(X, 8);
    const gx = irfftVjp(g, 5);
    const lhs = y.reduce((s, v, i) => s + v * g[i], 0);
    const rhs = X.reduce((s, v, i) => s + v * gx[i], 0);
    expectClose([lhs], [rhs], 1e-12, 'pairing');
  });
});
