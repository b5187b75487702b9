import { expectClose } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { B_INITS, DPLR_INITS, type DplrInit, dplr, nplr } from '../src/index';

const re = (a: Float64Array) => Array.from({ length: a.length / 2 }, (_, i) => a[2 * i]);
const im = (a: Float64Array) => Array.from({ length: a.length / 2 }, (_, i) => a[2 * i + 1]);

describe('dplr A', () => {
  it('S4D-Inv at N=64: Im A runs from −1283.43 (n=0) to −0.3234 (n=31), Re A = −½', () => {
    const { A } = dplr('inv', 64);
    expect(A.shape).toEqual([1, 32]);
    const imag = im(A.data);
    expect(imag[0]).toBeCloseTo(-1283.43, 2);
    expect(imag[31]).toBeCloseTo(-0.3234, 4);
    expect(re(A.data).every((x) => x === -0.5)).toBe(true);
    expect(dplr('inverse', 64).A.data).toEqual(A.data);
  });

  it('S4D-Lin: Im A = −π·n; inv2 and quad follow their formulas', () => {
    const N = 16;
    expectClose(
      im(dplr('lin', N).A.data),
      Array.from({ length: 8 }, (_, n) => -Math.PI * n),
      1e-15,
      'lin',
    );
    expectClose(
      im(dplr('inv2', N).A.data),
      Array.from({ length: 8 }, (_, n) => -(N / Math.PI) * (N / (1 + n) - 1)),
      1e-15,
      'inv2',
    );
    expectClose(
      im(dplr('quad', N).A.data),
      Array.from({ length: 8 }, (_, n) => -((1 + 2 * n) ** 2) / Math.PI),
      1e-15,
      'quad',
    );
  });

  it('S4D-Real: A = −(1 + n), real', () => {
    const { A } = dplr('real', 16, { H: 2 });
    expect(A.shape).toEqual([2, 8]);
    const expected = [...Array(8).keys()].map((n) => -(1 + n));
    expect(re(A.data)).toEqual([...expected, ...expected]);
    expect(im(A.data).every((x) => x === 0)).toBe(true);
  });

  it('S4D-LegS: Im A = Im Λ of nplr legs, B and P from the same NPLR', () => {
    const legs = nplr('legs', 32);
    const { A, B, P } = dplr('legs', 32, { H: 3, B_init: 'constant' });
    const lambdaIm = im(legs.Lambda);
    expect(im(A.data)).toEqual([...lambdaIm, ...lambdaIm, ...lambdaIm]);
    expect(re(A.data).every((x) => x === -0.5)).toBe(true);
    // B_init is forced to legs: the clipped B̃ and P̃, repeated over H.
    expect(B.data.subarray(0, 32)).toEqual(legs.B);
    expect(B.data.subarray(64, 96)).toEqual(legs.B);
    expect(P.shape).toEqual([1, 3, 16]);
    expect(P.data.subarray(32, 64)).toEqual(legs.P.data);
    expect(dplr('hippo', 32, { H: 3 })).toEqual(dplr('legs', 32, { H: 3 }));
  });

  it('scales, random parts and Re A ≤ 0, Im A ≤ 0 for every init', () => {
    // inv maps n > (N−1)/2 to negative frequencies, which imag_random can reach (tested below).
    for (const init of DPLR_INITS.filter((i) => i !== 'inv' && i !== 'inverse')) {
      for (const options of [{}, { real_random: true, imag_random: true, real_scale: 2, imag_scale: 0.5 }]) {
        const { A } = dplr(init, 16, { H: 2, seed: 5, ...options });
        expect(re(A.data).every((x) => x <= 0)).toBe(true);
        expect(im(A.data).every((x) => x <= 0)).toBe(true);
      }
    }
    expectClose(re(dplr('lin', 8, { real_scale: 3 }).A.data), [-1.5, -1.5, -1.5, -1.5], 1e-15, 'real_scale');
    expectClose(
      im(dplr('lin', 8, { imag_scale: 2 }).A.data),
      [0, -2, -4, -6].map((x) => x * Math.PI),
      1e-15,
      'imag_scale',
    );
    // As officially, init 'real' overwrites the real part after real_scale.
    expect(re(dplr('real', 8, { real_scale: 3 }).A.data)).toEqual([-1, -2, -3, -4]);
    const random = re(dplr('lin', 64, { real_random: true }).A.data);
    expect(random.every((x) => x > -1 && x <= 0)).toBe(true);
    const realRandom = re(dplr('real', 64, { real_random: true }).A.data);
    expect(realRandom.every((x) => x > -32 && x <= 0)).toBe(true);
    expect(Math.min(...realRandom)).toBeLessThan(-1);
  });
});

describe('dplr B and P', () => {
  it('constant, alternating, unit-cw and unit-ccw', () => {
    expect(dplr('lin', 8).B.data).toEqual(Float64Array.from([1, 0, 1, 0, 1, 0, 1, 0]));
    expect(re(dplr('lin', 8, { B_init: 'alternating' }).B.data)).toEqual([1, -1, 1, -1]);
    const cw = dplr('lin', 8, { B_init: 'unit-cw' }).B.data;
    const ccw = dplr('lin', 8, { B_init: 'unit-ccw' }).B.data;
    for (let n = 0; n < 4; n++) {
      expect(cw[2 * n]).toBeCloseTo(Math.cos((2 * Math.PI * n) / 8), 15);
      expect(cw[2 * n + 1]).toBeCloseTo(-Math.sin((2 * Math.PI * n) / 8), 15);
      expect(ccw[2 * n + 1]).toBeCloseTo(Math.sin((2 * Math.PI * n) / 8), 15);
    }
  });

  it('B_init legs uses the HiPPO B̃ and P̃ for any init; B_scale multiplies B', () => {
    const legs = nplr('legs', 16);
    const { B, P } = dplr('lin', 16, { B_init: 'legs', B_scale: 2 });
    expectClose(
      B.data,
      legs.B.map((b) => 2 * b),
      1e-15,
      'B',
    );
    expect(P.data).toEqual(legs.P.data);
    const hippo = dplr('lin', 16, { B_init: 'hippo', B_scale: 2 });
    expect(hippo.B.data).toEqual(B.data);
  });

  it('random B and P are complex normals with variance 1, P scaled by P_scale', () => {
    const { B, P } = dplr('lin', 4000, { B_init: 'random', rank: 2, P_scale: 3, seed: 1 });
    expect(P.shape).toEqual([2, 1, 2000]);
    const variance = (a: Float64Array) => a.reduce((s, x) => s + x * x, 0) / (a.length / 2);
    expect(variance(B.data)).toBeCloseTo(1, 1);
    expect(variance(P.data)).toBeCloseTo(9, 0);
    expect(dplr('lin', 8, { P_scale: 0 }).P.data.every((x) => x === 0)).toBe(true);
  });

  it('normalize divides B by √(2Σ|B/A|²) per copy', () => {
    const { A, B } = dplr('lin', 16, { normalize: true, H: 2 });
    for (let h = 0; h < 2; h++) {
      let zeta = 0;
      for (let n = 0; n < 8; n++) {
        const i = 2 * (h * 8 + n);
        zeta += (B.data[i] ** 2 + B.data[i + 1] ** 2) / (A.data[i] ** 2 + A.data[i + 1] ** 2);
      }
      expect(2 * zeta).toBeCloseTo(1, 14);
    }
  });

  it('every random draw is reproducible from the seed, and seeds differ', () => {
    const options = { H: 3, rank: 2, real_random: true, imag_random: true, B_init: 'random' as const };
    for (const init of ['rand', 'lin', 'real'] as const) {
      const a = dplr(init, 16, { ...options, seed: 11 });
      expect(dplr(init, 16, { ...options, seed: 11 })).toEqual(a);
      const b = dplr(init, 16, { ...options, seed: 12 });
      expect(b.A.data).not.toEqual(a.A.data);
      expect(b.B.data).not.toEqual(a.B.data);
      expect(b.P.data).not.toEqual(a.P.data);
    }
  });
});

describe('dplr bad input', () => {
  it('rejects unknown init and B_init names, listing the accepted ones', () => {
    expect(() => dplr('legt' as DplrInit, 8)).toThrow(
      /init must be one of 'legs', 'hippo', 'lin'.*got 'legt'/,
    );
    expect(() => dplr('lin', 8, { B_init: 'ones' as never })).toThrow(
      new RegExp(`B_init must be one of ${B_INITS.map((b) => `'${b}'`).join(', ')}; got 'ones'`),
    );
  });

  it('rejects odd N, NaN or negative options, unknown keys and alternating with N % 4 ≠ 0', () => {
    expect(() => dplr('lin', 7)).toThrow(/N must be even/);
    expect(() => dplr('lin', 8, { real_scale: Number.NaN })).toThrow(
      /real_scale must be a finite number; got NaN/,
    );
    expect(() => dplr('lin', 8, { B_scale: Number.NaN })).toThrow(/B_scale must be a finite number/);
    expect(() => dplr('lin', 8, { imag_scale: -1 })).toThrow(
      /init 'lin' gave A\[0, 1\].*Im A ≤ 0 are required/,
    );
    expect(() => dplr('lin', 8, { real_scale: -1 })).toThrow(/Re A < 1e-4/);
    expect(() => dplr('inv', 64, { imag_random: true, H: 4 })).toThrow(/init 'inv' gave/);
    expect(re(dplr('real', 8, { real_scale: -1 }).A.data)).toEqual([-1, -2, -3, -4]);
    expect(() => dplr('lin', 8, { H: 0 })).toThrow(/H must be an integer ≥ 1/);
    expect(() => dplr('lin', 8, { rank: 1.5 })).toThrow(/rank must be an integer ≥ 1/);
    expect(() => dplr('lin', 8, { seed: Number.NaN })).toThrow(/seed must be an integer/);
    expect(() => dplr('lin', 8, { real_random: 1 as never })).toThrow(/real_random must be a boolean/);
    expect(() => dplr('lin', 8, { realRandom: true } as never)).toThrow(
      /unknown option 'realRandom'; accepted: 'rank', 'H', 'real_random'/,
    );
    expect(() => dplr('lin', 6, { B_init: 'alternating' })).toThrow(/N must be divisible by 4; got 6/);
  });
});
