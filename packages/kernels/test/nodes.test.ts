import { describe, expect, it } from 'vitest';
import { bilinearFactor, frequencyNodes, isNyquistNode } from '../src/nodes';

/** 2(1−ω)/(1+ω) by plain complex arithmetic. */
function zFromOmega(wr: number, wi: number): [number, number] {
  const nr = 2 * (1 - wr);
  const ni = -2 * wi;
  const dr = 1 + wr;
  const di = wi;
  const den = dr * dr + di * di;
  return [(nr * dr + ni * di) / den, (ni * dr - nr * di) / den];
}

describe('frequencyNodes', () => {
  it('L = 1: the single node ω = 1, z = 0', () => {
    const f = frequencyNodes(1);
    expect(f.count).toBe(1);
    expect(f.nyquist).toBe(false);
    expect([...f.omega]).toEqual([1, 0]);
    expect([...f.z]).toEqual([0, 0]);
    expect([...f.zImag]).toEqual([0]);
  });

  it('L = 2: ω = 1, −1 exactly; the Nyquist z is the infinite marker', () => {
    const f = frequencyNodes(2);
    expect(f.count).toBe(2);
    expect(f.nyquist).toBe(true);
    expect([...f.omega]).toEqual([1, 0, -1, 0]);
    expect(f.z[2]).toBe(0);
    expect(f.z[3]).toBe(Number.POSITIVE_INFINITY);
    expect(f.zImag[1]).toBe(Number.POSITIVE_INFINITY);
    expect(isNyquistNode(f.omega, 1)).toBe(true);
    expect(isNyquistNode(f.omega, 0)).toBe(false);
  });

  it('L = 3: ω₁ = exp(−2πi/3), z₁ = 2i·tan(π/3), no Nyquist node', () => {
    const f = frequencyNodes(3);
    expect(f.count).toBe(2);
    expect(f.nyquist).toBe(false);
    expect(f.omega[2]).toBeCloseTo(-0.5, 15);
    expect(f.omega[3]).toBeCloseTo(-Math.sqrt(3) / 2, 15);
    expect(f.z[2]).toBe(0);
    expect(f.z[3]).toBeCloseTo(2 * Math.sqrt(3), 14);
  });

  it.each([4, 5, 8, 63, 64, 1000, 1001, 1024, 16384])(
    'L = %i: ω on the unit circle, z = 2(1−ω)/(1+ω) purely imaginary',
    (L) => {
      const f = frequencyNodes(L);
      expect(f.count).toBe(Math.floor(L / 2) + 1);
      expect(f.nyquist).toBe(L % 2 === 0);
      let prev = -1;
      let omegaErr = 0;
      let zErr = 0;
      let tanErr = 0;
      let monotone = true;
      for (let k = 0; k < f.count; k++) {
        const wr = f.omega[2 * k];
        const wi = f.omega[2 * k + 1];
        omegaErr = Math.max(
          omegaErr,
          Math.abs(wr - Math.cos((2 * Math.PI * k) / L)),
          Math.abs(wi + Math.sin((2 * Math.PI * k) / L)),
        );
        expect(f.z[2 * k]).toBe(0);
        expect(f.z[2 * k + 1]).toBe(f.zImag[k]);
        if (2 * k === L) {
          expect(wr).toBe(-1);
          expect(wi).toBe(0);
          expect(f.zImag[k]).toBe(Number.POSITIVE_INFINITY);
          continue;
        }
        // Strictly increasing, finite, and consistent with ω (relative to |z|).
        monotone &&= f.zImag[k] > prev && Number.isFinite(f.zImag[k]);
        prev = f.zImag[k];
        const [zr, zi] = zFromOmega(wr, wi);
        const scale = Math.max(1, Math.abs(zi));
        zErr = Math.max(zErr, Math.abs(zr) / scale, Math.abs(zi - f.zImag[k]) / scale);
        tanErr = Math.max(tanErr, Math.abs(f.zImag[k] - 2 * Math.tan((Math.PI * k) / L)) / scale);
      }
      expect(monotone).toBe(true);
      expect(omegaErr).toBeLessThan(1e-15);
      expect(zErr).toBeLessThan(2e-16 * L + 1e-15);
      // tan of the unreduced angle loses ~L·ε near Nyquist; the stored value is the accurate one.
      expect(tanErr).toBeLessThan(1e-16 * L + 1e-15);
    },
  );

  it('rejects L that is not an integer ≥ 1', () => {
    for (const L of [0, -1, 2.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => frequencyNodes(L)).toThrow(/L must be an integer ≥ 1/);
    }
  });
});

describe('bilinearFactor', () => {
  it('2/(1+ω) equals 1 + z/2 at every finite node', () => {
    for (const L of [7, 8, 1024]) {
      const f = frequencyNodes(L);
      const g = bilinearFactor(f.omega);
      for (let k = 0; k < f.count; k++) {
        if (2 * k === L) continue;
        const scale = Math.max(1, Math.abs(f.zImag[k]));
        expect(Math.abs(g[2 * k] - 1) / scale).toBeLessThan(1e-15 * L);
        expect(Math.abs(g[2 * k + 1] - f.zImag[k] / 2) / scale).toBeLessThan(1e-15 * L);
      }
    }
  });

  it('marks the Nyquist node (ω = −1) as (1, +∞)', () => {
    const g = bilinearFactor(frequencyNodes(8).omega);
    expect(g[8]).toBe(1);
    expect(g[9]).toBe(Number.POSITIVE_INFINITY);
  });

  it('handles a general ω and rejects bad input', () => {
    const g = bilinearFactor(new Float64Array([0.5, 2]));
    // 2/(1.5 + 2i) = 2(1.5 − 2i)/6.25
    expect(g[0]).toBeCloseTo(0.48, 15);
    expect(g[1]).toBeCloseTo(-0.64, 15);
    expect(() => bilinearFactor(new Float64Array(3))).toThrow(/omega must be interleaved complex/);
    expect(() => bilinearFactor(new Float64Array([Number.NaN, 0]))).toThrow(/omega must be finite/);
  });
});
