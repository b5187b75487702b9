import { describe, expect, it } from 'vitest';
import { COMBINATIONS, combination, dplr, nplr, ssm } from '../src/index';

describe('ssm', () => {
  it('diag-<init> is dplr with P = 0; dplr-<init> keeps the random P', () => {
    const diag = ssm('diag-lin', 16, 1, 2);
    expect(diag).toEqual(dplr('lin', 16, { H: 2, P_scale: 0 }));
    expect(diag.P.data.every((x) => x === 0)).toBe(true);
    const full = ssm('dplr-inv', 16, 2, 3, { seed: 4 });
    expect(full).toEqual(dplr('inv', 16, { rank: 2, H: 3, seed: 4 }));
    expect(full.P.data.some((x) => x !== 0)).toBe(true);
  });

  it('diag and dplr alone mean the S4D-LegS init', () => {
    expect(ssm('diag', 8, 1, 1)).toEqual(dplr('hippo', 8, { P_scale: 0 }));
    expect(ssm('dplr', 8, 1, 1)).toEqual(dplr('hippo', 8));
  });

  it('a HiPPO measure is its NPLR repeated over H copies', () => {
    const one = nplr('fout', 8);
    const { A, P, B } = ssm('fout', 8, 1, 3);
    expect(A.shape).toEqual([3, 4]);
    expect(P.shape).toEqual([1, 3, 4]);
    expect(B.shape).toEqual([3, 4]);
    for (let h = 0; h < 3; h++) {
      expect(A.data.subarray(8 * h, 8 * h + 8)).toEqual(one.Lambda);
      expect(B.data.subarray(8 * h, 8 * h + 8)).toEqual(one.B);
      expect(P.data.subarray(8 * h, 8 * h + 8)).toEqual(one.P.data);
    }
    const legt = ssm('legt', 8, 2, 2, { bClip: null });
    expect(legt.P.shape).toEqual([2, 2, 4]);
    expect(legt.B.data.subarray(0, 8)).toEqual(nplr('legt', 8, { rank: 2, bClip: null }).B);
  });

  it('rejects names it cannot parse, and bad options on either route', () => {
    const accepted =
      /init must be 'diag' or 'dplr' optionally followed by '-<init>' with <init> one of legs, hippo/;
    expect(() => ssm('diag-foo', 8, 1, 1)).toThrow(accepted);
    expect(() => ssm('diagonal', 8, 1, 1)).toThrow(accepted);
    expect(() => ssm('diag-lin-2', 8, 1, 1)).toThrow(accepted);
    expect(() => ssm('lmu', 8, 1, 1)).toThrow(/or a HiPPO measure: legs, legt.*got 'lmu'/);
    expect(() => ssm('legs', 8, 1, 1, { real_scale: Number.NaN })).toThrow(
      /real_scale must be a finite number/,
    );
    expect(() => ssm('diag-lin', 8, 1, 1, { imagScale: 2 } as never)).toThrow(/unknown option 'imagScale'/);
    expect(() => ssm('legs', 8, 1, 0)).toThrow(/H must be an integer ≥ 1/);
    expect(() => ssm('legt', 8, 1, 1)).toThrow(/rank must be an integer ≥ 2/);
  });
});

describe('combination', () => {
  it('names the official combinations', () => {
    expect(COMBINATIONS).toEqual({
      hippo: ['legs', 'fourier'],
      diag: ['diag-inv', 'diag-lin'],
      all: ['legs', 'fourier', 'diag-inv', 'diag-lin'],
    });
  });

  it("'all' over S = 8 gives 2 consecutive copies of each init", () => {
    const N = 16;
    const { A, P, B } = combination('all', N, 1, 8, { bClip: null });
    expect(A.shape).toEqual([8, 8]);
    expect(P.shape).toEqual([1, 8, 8]);
    expect(B.shape).toEqual([8, 8]);
    const row = (data: Float64Array, s: number) => data.subarray(16 * s, 16 * (s + 1));
    const legs = nplr('legs', N, { bClip: null });
    const fourier = nplr('fourier', N, { bClip: null });
    expect(row(A.data, 1)).toEqual(legs.Lambda);
    expect(row(A.data, 2)).toEqual(fourier.Lambda);
    expect(row(B.data, 3)).toEqual(fourier.B);
    expect(row(A.data, 4)).toEqual(dplr('inv', N).A.data);
    expect(row(A.data, 7)).toEqual(dplr('lin', N).A.data);
    expect(row(P.data, 0)).toEqual(legs.P.data);
    expect(row(P.data, 5).every((x) => x === 0)).toBe(true);
  });

  it('a single init or a list works, and repeated random inits draw different copies', () => {
    expect(combination('diag-lin', 8, 1, 2)).toEqual(ssm('diag-lin', 8, 1, 2));
    expect(combination(['diag-inv', 'diag-lin'], 8, 1, 4)).toEqual(combination('diag', 8, 1, 4));
    const twice = combination(['dplr-rand', 'dplr-rand'], 8, 1, 2, { seed: 3 });
    expect(twice.A.data.subarray(0, 8)).not.toEqual(twice.A.data.subarray(8, 16));
    expect(combination(['dplr-rand', 'dplr-rand'], 8, 1, 2, { seed: 3 })).toEqual(twice);
  });

  it('rank > 1 places P rows per init', () => {
    const { P } = combination(['diag-lin', 'dplr-lin'], 8, 2, 2, { seed: 1 });
    expect(P.shape).toEqual([2, 2, 4]);
    const second = ssm('dplr-lin', 8, 2, 1, { seed: 2 });
    expect(P.data.subarray(8, 16)).toEqual(second.P.data.subarray(0, 8));
    expect(P.data.subarray(24, 32)).toEqual(second.P.data.subarray(8, 16));
    expect(P.data.subarray(0, 8).every((x) => x === 0)).toBe(true);
  });

  it('rejects S not divisible by the number of inits, and an empty list', () => {
    expect(() => combination('all', 8, 1, 6)).toThrow(
      /S \(6 independent SSM copies\) must be a multiple of the number of inits \(4: legs, fourier, diag-inv, diag-lin\)/,
    );
    expect(() => combination([], 8, 1, 2)).toThrow(/at least one init/);
    expect(() => combination('hippo', 8, 1, 0)).toThrow(/S must be an integer ≥ 1/);
  });
});
