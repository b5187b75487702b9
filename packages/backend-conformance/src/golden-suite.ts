import { type ComplexTensor, complexTensor, type Tensor, tensor } from '@statespace/complex';
import { discretizeDiagonal } from '@statespace/discretize';
import { cTildeFromC } from '@statespace/kernels';
import {
  assertKnownFields,
  caseName,
  expectClose,
  GOLDEN_FIELDS,
  type GoldenCase,
  goldenComplex,
  goldenReal,
  loadGoldenCases,
} from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import type { BackendHandle } from './suite';

const real = (field: unknown, name: string): Tensor<Float64Array> => {
  const { data, shape } = goldenReal(field, name);
  return tensor(data, shape);
};
const cplx = (field: unknown, name: string): ComplexTensor<Float64Array> => {
  const { data, shape } = goldenComplex(field, name);
  return complexTensor(data, shape);
};
/** A tensor with a leading axis of 1 (one channel, or one batch row). */
const lead = <T extends { data: Float64Array; shape: readonly number[] }>(t: T): T => ({
  ...t,
  shape: [1, ...t.shape],
});

function dtOf(c: GoldenCase): Tensor<Float64Array> {
  const logDt = real(c.log_dt, 'log_dt');
  return tensor(logDt.data.map(Math.exp), logDt.shape);
}

/** Golden kernels.json and fftconv.json through a backend's operations. */
export function goldenSuite(handle: BackendHandle): void {
  describe('golden kernels.json', () => {
    for (const c of loadGoldenCases('kernels.json')) {
      describe(caseName(c), () => {
        it('has only documented fields', () => assertKnownFields(c, GOLDEN_FIELDS['kernels.json']));
        if (c.kind === 'dplr') dplrCase(handle, c);
        else if (c.kind === 'diag') diagCase(handle, c);
        else
          it('has a known kind', () =>
            expect.fail(`unknown kind '${String(c.kind)}' (expected 'dplr' or 'diag')`));
      });
    }
  });

  describe('golden fftconv.json', () => {
    for (const c of loadGoldenCases('fftconv.json')) {
      it(caseName(c), async () => {
        assertKnownFields(c, GOLDEN_FIELDS['fftconv.json']);
        const k = real(c.k, 'k');
        const D = real(c.D, 'D');
        const y = await handle.backend.convolve({
          u: real(c.u, 'u'),
          k: lead(k),
          D: tensor(D.data, [1, D.shape[0]]),
        });
        expectClose(y.data, real(c.y, 'y').data, handle.tolerance, 'y');
      });
    }
  });
}

function dplrCase(handle: BackendHandle, c: GoldenCase): void {
  const L = c.L as number;
  const system = { Lambda: cplx(c.Lambda, 'Lambda'), P: cplx(c.P, 'P'), B: cplx(c.B, 'B'), dt: dtOf(c) };
  // Golden C is the true C; the backend takes C̃ (converted on the CPU in float64, once per setup).
  const Ctilde = () => cTildeFromC(system, lead(cplx(c.C, 'C')), L);

  it('K from the DPLR kernel', async () => {
    const { K } = await handle.backend.dplrKernel({ ...system, C: Ctilde(), lKernel: L });
    expect(K.shape).toEqual([1, system.Lambda.shape[0], L]);
    expectClose(K.data, real(c.K, 'K').data, handle.tolerance, 'K');
    if (c.K_krylov) expectClose(K.data, real(c.K_krylov, 'K_krylov').data, handle.tolerance, 'K vs K_krylov');
  });

  if (c.y_step) {
    it('y_step: the recurrence equals the causal convolution with K', async () => {
      const u = real(c.u, 'u');
      const y = await handle.backend.convolve({ u: lead(u), k: lead(real(c.K, 'K')) });
      expectClose(y.data, real(c.y_step, 'y_step').data, handle.tolerance, 'y_step');
    });
  }
}

function diagCase(handle: BackendHandle, c: GoldenCase): void {
  const L = c.L as number;
  const Lambda = cplx(c.Lambda, 'Lambda');
  const B = cplx(c.B, 'B');
  const dt = dtOf(c);
  const disc = c.disc as 'zoh' | 'bilinear';

  it('K and K_state from the S4D kernel', async () => {
    const state = c.state0 ? lead(cplx(c.state0, 'state0')) : undefined;
    const out = await handle.backend.diagKernel({ Lambda, B, C: lead(cplx(c.C, 'C')), dt, L, disc, state });
    expectClose(out.K.data, real(c.K, 'K').data, handle.tolerance, 'K');
    if (c.K_state) {
      expect(out.K_state).toBeDefined();
      expectClose(out.K_state?.data ?? [], real(c.K_state, 'K_state').data, handle.tolerance, 'K_state');
    }
  });

  if (c.next_state) {
    it('next_state through the transposed Vandermonde product', async () => {
      // x_L = Ā^L ⊙ x₀ + Σ_l B̄·u_{L−1−l}·Ā^l, the official Diag forward_state.
      const { dA, dB } = discretizeDiagonal(Lambda, B, dt, disc);
      const u = real(c.u, 'u');
      const [H, length] = u.shape;
      const flipped = new Float64Array(u.data.length);
      for (let h = 0; h < H; h++)
        for (let l = 0; l < length; l++) flipped[h * length + l] = u.data[h * length + length - 1 - l];
      const logA = new Float64Array(dA.data.length);
      for (let i = 0; i < logA.length; i += 2) {
        logA[i] = Math.log(Math.hypot(dA.data[i], dA.data[i + 1]));
        logA[i + 1] = Math.atan2(dA.data[i + 1], dA.data[i]);
      }
      const sum = await handle.backend.vandermondeTranspose({
        u: tensor(flipped, [1, H, length]),
        v: dB as ComplexTensor,
        x: complexTensor(logA, dA.shape),
      });
      const x0 = cplx(c.state0, 'state0').data;
      const next = new Float64Array(x0.length);
      for (let i = 0; i < next.length; i += 2) {
        // Ā^L x₀ with Ā^L = exp(L·log Ā)
        const m = Math.exp(length * logA[i]);
        const ar = m * Math.cos(length * logA[i + 1]);
        const ai = m * Math.sin(length * logA[i + 1]);
        next[i] = ar * x0[i] - ai * x0[i + 1] + sum.data[i];
        next[i + 1] = ar * x0[i + 1] + ai * x0[i] + sum.data[i + 1];
      }
      expectClose(next, cplx(c.next_state, 'next_state').data, handle.tolerance, 'next_state');
    });
  }
}
