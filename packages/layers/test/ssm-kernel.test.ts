import { type ComplexTensor, conjExpand } from '@statespace/complex';
import { COMBINATIONS, MEASURES, RANK_CORRECTION_MEASURES } from '@statespace/hippo';
import { denseBilinear, krylovKernel } from '@statespace/kernels';
import { expectClose, relativeError } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { SSMKernel, type SsmKernelOptions } from '../src/index';

// The kernel module: the official tensor names, shapes and optimiser settings, the
// initialisations, C̃ attuned at the first forward and doubled for longer kernels, and the read-out
// options (rate, n_ssm, is_real, bandlimit, dt_tie, dt_fast, transforms).

const shapes = (k: SSMKernel) => Object.fromEntries([...k.stateDict()].map(([n, t]) => [n, [...t.shape]]));

/** The true C (not C̃) of a fresh S4 kernel, complex [channels, H, N2]. */
const plainC = (k: SSMKernel): ComplexTensor => ({
  data: Float64Array.from(k.C.data),
  shape: [k.channels, k.H, k.config.N2],
});

/** K of a DPLR kernel by powering its dense bilinear Ā with the true C. */
function krylov(k: SSMKernel, C: ComplexTensor, L: number): Float64Array {
  const { Lambda, P, B, dt } = k.params();
  const { dA, dB } = denseBilinear({ Lambda, P: P as ComplexTensor, B, dt });
  const [channels, H, N2] = C.shape;
  const dC = { data: conjExpand(Float64Array.from(C.data), channels * H), shape: [channels, H, 2 * N2] };
  return krylovKernel(dA, dB, dC, L).data;
}

describe('tensors and optimiser settings', () => {
  it('S4 has the official names and shapes', () => {
    const k = new SSMKernel({ d_model: 4, d_state: 8, channels: 2, rank: 2, init: 'legt' });
    expect(shapes(k)).toEqual({
      inv_dt: [4, 1],
      C: [2, 4, 4, 2],
      B: [1, 4, 4, 2],
      A_real: [4, 4],
      A_imag: [4, 4],
      P: [2, 4, 4, 2],
      l_kernel: [],
    });
    expect(k.stateDict().get('l_kernel')?.data).toBeInstanceOf(BigInt64Array);
  });

  it('S4D has no P and no l_kernel; is_real stores real B, C and no A_imag', () => {
    expect(shapes(new SSMKernel({ d_model: 3, d_state: 8, mode: 'diag', n_ssm: 1 }))).toEqual({
      inv_dt: [3, 1],
      C: [1, 3, 4, 2],
      B: [1, 1, 4, 2],
      A_real: [1, 4],
      A_imag: [1, 4],
    });
    expect(
      shapes(new SSMKernel({ d_model: 3, d_state: 8, mode: 's4d', init: 'diag-real', is_real: true })),
    ).toEqual({
      inv_dt: [3, 1],
      C: [1, 3, 8],
      B: [1, 3, 8],
      A_real: [3, 8],
    });
  });

  it('registers the official lr / weight decay: SSM tensors lr 1e-3 and no decay, C global', () => {
    const p = new SSMKernel({ d_model: 2, d_state: 4 }).parameters();
    for (const name of ['inv_dt', 'A_real', 'A_imag', 'B', 'P']) {
      expect(p.get(name), name).toMatchObject({ lr: 0.001, weightDecay: 0 });
    }
    expect(p.get('C')?.lr).toBeUndefined();
    expect(p.get('C')?.weightDecay).toBeUndefined();
  });

  it('a number lr applies to every tensor (C too); lr 0 freezes; dicts give per-group values', () => {
    const all = new SSMKernel({ d_model: 2, d_state: 4, lr: 0.01 }).parameters();
    expect([...all.values()].map((p) => p.lr)).toEqual([0.01, 0.01, 0.01, 0.01, 0.01, 0.01]);
    const frozen = new SSMKernel({ d_model: 2, d_state: 4, lr: { dt: 0.002, A: 0 }, wd: { B: 0.1 } });
    expect([...frozen.parameters().keys()]).toEqual(['inv_dt', 'C', 'B']);
    expect(frozen.parameters().get('inv_dt')).toMatchObject({ lr: 0.002 });
    expect(frozen.parameters().get('B')).toMatchObject({ weightDecay: 0.1 });
    expect(frozen.parameters().get('B')?.lr).toBeUndefined();
    expect([...frozen.stateDict().keys()]).toContain('A_real');
    expect(() => new SSMKernel({ d_model: 2, lr: { D: 1 } as never })).toThrow(
      /lr has an unknown option 'D'/,
    );
  });

  it('follows the model precision', () => {
    const k = new SSMKernel({ d_model: 2, d_state: 4, dtype: 'float32' });
    for (const [, t] of k.parameters()) expect(t.data).toBeInstanceOf(Float32Array);
  });
});

describe('initialisations', () => {
  const inits = [
    ...RANK_CORRECTION_MEASURES.map((m) => ({ init: m, rank: m === 'legt' ? 2 : 1 })),
    ...['diag', 'diag-lin', 'diag-inv', 'diag-legs', 'diag-real', 'dplr', 'dplr-lin', 'dplr-rand'].map(
      (init) => ({ init, rank: 1 }),
    ),
    ...Object.keys(COMBINATIONS).map((init) => ({ init, rank: 1 })),
  ];

  it.each(inits)('init $init (rank $rank) builds a finite S4 kernel', async ({ init, rank }) => {
    const k = new SSMKernel({ d_model: 4, d_state: 8, init, rank, l_max: 16, n_ssm: 4 });
    const { K } = await k.forward();
    expect(K.shape).toEqual([1, 4, 16]);
    expect(K.data.every(Number.isFinite)).toBe(true);
  });

  it('takes a list of inits split over n_ssm', () => {
    const k = new SSMKernel({
      d_model: 4,
      d_state: 8,
      mode: 'diag',
      init: ['diag-lin', 'diag-inv'],
      n_ssm: 2,
    });
    const { Lambda } = k.params();
    // Rows 0 and 2 repeat copy 0 (S4D-Lin: Im A = −πn), rows 1 and 3 copy 1 (S4D-Inv).
    expect(Lambda.data[2 * 1 + 1]).toBeCloseTo(-Math.PI, 4);
    expect(Lambda.data.subarray(0, 8)).toEqual(Lambda.data.subarray(16, 24));
    expect(Lambda.data.subarray(8, 16)).not.toEqual(Lambda.data.subarray(0, 8));
  });

  it('rejects an unknown init, listing the accepted ones', () => {
    expect(() => new SSMKernel({ d_model: 2, init: 'legz' })).toThrow(/init must be .*legs.*got 'legz'/);
    expect(MEASURES.length).toBeGreaterThan(0);
  });

  it('rejects bad configurations clearly', () => {
    expect(() => new SSMKernel({ d_model: 2, mode: 'cuda' as never })).toThrow(/mode must be one of 'dplr'/);
    expect(() => new SSMKernel({ d_model: 4, n_ssm: 3 })).toThrow(/n_ssm \(3\) must divide d_model \(4\)/);
    expect(() => new SSMKernel({ d_model: 2, d_state: 7 })).toThrow(/d_state must be even/);
    expect(() => new SSMKernel({ d_model: 2, disc: 'zoh' })).toThrow(/disc must be 'bilinear' for the S4/);
    expect(() => new SSMKernel({ d_model: 2, is_real: true })).toThrow(/is_real needs the diagonal kernel/);
    expect(() => new SSMKernel({ d_model: 2, dt_tranform: 'exp' } as never)).toThrow(
      /unknown option 'dt_tranform'/,
    );
    expect(() => new SSMKernel({ d_model: 2, dt_transform: 'log' as never })).toThrow(
      /dt_transform must be one of/,
    );
    expect(() => new SSMKernel({ d_model: 2, backend: 'cuda' as never })).toThrow(
      /backend must be 'cpu' or a KernelBackend/,
    );
    expect(() => new SSMKernel({ d_model: 2, init: 'legt' })).toThrow(/rank/);
  });

  it('draws Δ in [dt_min, dt_max] under every dt transform, tied or per mode, and with dt_fast', () => {
    for (const dt_transform of ['exp', 'softplus', 'relu', 'none'] as const) {
      for (const options of [{}, { dt_tie: false }, { dt_fast: true }] as SsmKernelOptions[]) {
        const k = new SSMKernel({
          ...options,
          d_model: 8,
          d_state: 8,
          dt_transform,
          dt_min: 0.01,
          dt_max: 0.2,
        });
        const { dt } = k.params();
        expect(dt.shape).toEqual(options.dt_tie === false ? [8, 4] : [8, 1]);
        for (const d of dt.data) {
          expect(d).toBeGreaterThanOrEqual(0.01 * (1 - 1e-12));
          expect(d).toBeLessThanOrEqual(0.2 * (1 + 1e-12));
        }
      }
    }
  });

  it('is reproducible from its seed', () => {
    const a = new SSMKernel({ d_model: 2, seed: 7 });
    const b = new SSMKernel({ d_model: 2, seed: 7 });
    const c = new SSMKernel({ d_model: 2, seed: 8 });
    expect(a.C.data).toEqual(b.C.data);
    expect(a.C.data).not.toEqual(c.C.data);
  });
});

describe('S4 C̃ and lengths', () => {
  it('attunes C̃ to l_max at the first forward (in place) and equals the Krylov kernel of the plain C', async () => {
    const k = new SSMKernel({ d_model: 3, d_state: 8, l_max: 32, channels: 2 });
    const C = plainC(k);
    expect(k.l_kernel).toBe(0);
    const { K } = await k.forward();
    expect(k.l_kernel).toBe(32);
    expect(relativeError(k.C.data, C.data)).toBeGreaterThan(1e-6);
    expectClose(K.data, krylov(k, C, 32), 1e-10, 'K');
  });

  it('doubles the length of C̃ when a longer kernel is asked for', async () => {
    const k = new SSMKernel({ d_model: 2, d_state: 8, l_max: 16 });
    const C = plainC(k);
    await k.forward();
    const { K } = await k.forward({ L: 50 });
    expect(k.l_kernel).toBe(64);
    expect(K.shape).toEqual([1, 2, 50]);
    expectClose(K.data, krylov(k, C, 50), 1e-10, 'K after doubling');
  });

  it('without l_max, attunes to the first requested length', async () => {
    const k = new SSMKernel({ d_model: 2, d_state: 4 });
    await expect(k.forward()).rejects.toThrow(/L is required/);
    const C = plainC(k);
    const { K } = await k.forward({ L: 20 });
    expect(k.l_kernel).toBe(20);
    expectClose(K.data, krylov(k, C, 20), 1e-10, 'K');
  });

  it('a rate halves the kernel length and doubles Δ', async () => {
    const k = new SSMKernel({ d_model: 2, d_state: 4, l_max: 64 });
    const { K } = await k.forward({ rate: 2 });
    expect(K.shape).toEqual([1, 2, 32]);
  });
});

describe('S4D read-out options', () => {
  const options: SsmKernelOptions = { d_model: 3, d_state: 8, mode: 'diag', init: 'diag-lin', l_max: 24 };

  it('a rate equals Δ·rate', async () => {
    const k = new SSMKernel(options);
    const fast = await k.forward({ rate: 2 });
    const slow = new SSMKernel(options);
    const dt = slow.inv_dt.data;
    for (let i = 0; i < dt.length; i++) dt[i] += Math.log(2);
    expectClose(fast.K.data, (await slow.forward()).K.data, 1e-12, 'K at rate 2');
  });

  it('is_real equals the complex kernel with zero imaginary parts', async () => {
    const real = new SSMKernel({ ...options, init: 'diag-real', is_real: true, d_state: 4 });
    const { Lambda, B, C, dt } = real.params();
    const complex = new SSMKernel({ ...options, init: 'diag-real', d_state: 8 });
    complex.inv_dt.data.set(real.inv_dt.data);
    for (let i = 0; i < 3 * 4; i++) {
      complex.A_real.data[i] = Math.log(-Lambda.data[2 * i]);
      (complex.A_imag as { data: Float64Array }).data[i] = 0;
      complex.C.data[2 * i] = C.data[2 * i];
      complex.C.data[2 * i + 1] = 0;
      complex.B.data[2 * i] = B.data[2 * i];
      complex.B.data[2 * i + 1] = 0;
    }
    expect(dt.shape).toEqual([3, 1]);
    expectClose((await real.forward()).K.data, (await complex.forward()).K.data, 1e-12, 'K');
  });

  it('bandlimit zeroes C where Δ·|Im A|/(2π) ≥ bandlimit/2', async () => {
    const limited = new SSMKernel({ ...options, dt_min: 0.05, bandlimit: 0.1 });
    const { C, Lambda, dt } = limited.params();
    const plain = new SSMKernel({ ...options, dt_min: 0.05 });
    let zeroed = 0;
    for (let h = 0; h < 3; h++) {
      for (let n = 0; n < 4; n++) {
        const cut = (dt.data[h] * Math.abs(Lambda.data[2 * (h * 4 + n) + 1])) / (2 * Math.PI) >= 0.05;
        if (cut) {
          zeroed++;
          plain.C.data[2 * (h * 4 + n)] = 0;
          plain.C.data[2 * (h * 4 + n) + 1] = 0;
        } else expect(C.data[2 * (h * 4 + n)]).not.toBe(0);
      }
    }
    expect(zeroed).toBeGreaterThan(0);
    expectClose((await limited.forward()).K.data, (await plain.forward()).K.data, 1e-12, 'K');
  });
});
