import { createRng } from '@statespace/complex';
import { expectGradients } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { fft, fftVjp, ifft, ifftVjp } from '../src/index';

const rng = createRng(9);
const randn = (n: number) => Float64Array.from({ length: n }, () => rng.normal());

// [input length, n], complex values: equal, zero-padding, truncation; a Bluestein length (11).
const SIZES = [
  [8, 8],
  [6, 6],
  [5, 8],
  [12, 8],
  [11, 11],
  [1, 1],
] as const;

describe.each([
  ['fft', fft, fftVjp],
  ['ifft', ifft, ifftVjp],
] as const)('%sVjp', (_, forward, vjp) => {
  it.each(SIZES)('matches central differences for %i values, n = %i', (m, n) => {
    const x = randn(2 * m);
    const g = randn(2 * n);
    expectGradients((a) => forward(a.x, n), { x }, g, { x: vjp(g, m) });
  });

  it('keeps float32 and checks grad', () => {
    expect(vjp(new Float32Array(8))).toBeInstanceOf(Float32Array);
    expect(() => vjp(new Float64Array(3))).toThrow(/grad must hold interleaved complex values/);
  });
});
