import { describe, expect, it } from 'vitest';
import { legsSpectrum } from '../src/legs-spectrum';

describe('demo: LegS spectrum', () => {
  it('matches the reference eigenvalues at N = 8 and reconstructs A', () => {
    // S4_REFERENCE §3.2: W = −0.5 − [19.85741, 5.354209, 1.957794, 0.427489]i at N = 8.
    const { omega, reconstructionError } = legsSpectrum(8);
    expect(Array.from(omega, (w) => Number(w.toFixed(5)))).toEqual([-19.85741, -5.35421, -1.95779, -0.42749]);
    expect(reconstructionError).toBeLessThan(1e-12);
  });

  it('spans the documented range at N = 64 and clips 11 modes', () => {
    const { omega, clippedModes } = legsSpectrum(64);
    expect(omega[0]).toBeCloseTo(-1303.27, 1);
    expect(omega[31]).toBeCloseTo(-0.2639, 3);
    expect(clippedModes).toBe(11);
  });
});
