import { complexTensor } from '@statespace/complex';
import {
  cauchy,
  convolve,
  diagKernel,
  dplrKernel,
  frequencyNodes,
  vandermonde,
  vandermondeTranspose,
} from '@statespace/kernels';
import { expectClose } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { complexNormal, normal, poles, positive } from './random';
import type { BackendHandle } from './suite';

// Random problems of every operation against the float64 CPU functions, the reference.

export function referenceSuite(handle: BackendHandle): void {
  describe('float64 CPU reference', () => {
    it('cauchy at the (imaginary) S4 nodes of an odd length', async () => {
      const v = complexNormal([3, 4, 16], 1);
      const w = poles(4, 16, 2);
      const nodes = frequencyNodes(63);
      const z = complexTensor(nodes.z, [nodes.count]);
      const out = await handle.backend.cauchy({ v, w, z });
      expect(out.shape).toEqual([3, 4, nodes.count]);
      expectClose(out.data, cauchy(v, w, z).data, handle.tolerance, 'cauchy');
    });

    it('cauchy at general complex nodes', async () => {
      const v = complexNormal([2, 3, 8], 3);
      const w = poles(3, 8, 4);
      const z = complexNormal([40], 5);
      expectClose(
        (await handle.backend.cauchy({ v, w, z })).data,
        cauchy(v, w, z).data,
        handle.tolerance,
        'cauchy',
      );
    });

    it('vandermonde and its transpose', async () => {
      const v = complexNormal([2, 4, 16], 6);
      const x = poles(4, 16, 7);
      for (let i = 0; i < x.data.length; i++) x.data[i] *= 0.01; // Δ·Λ
      const K = await handle.backend.vandermonde({ v, x, L: 300 });
      expect(K.shape).toEqual([2, 4, 300]);
      expectClose(K.data, vandermonde(v, x, 300).data, handle.tolerance, 'vandermonde');
      const u = normal([3, 4, 300], 8);
      const vt = complexNormal([4, 16], 9);
      const s = await handle.backend.vandermondeTranspose({ u, v: vt, x });
      expectClose(s.data, vandermondeTranspose(u, vt, x).data, handle.tolerance, 'vandermondeTranspose');
    });

    it.each([64, 63, 100])('rfft and irfft, n = %i', async (n) => {
      const x = normal([3, 80], 10 + n);
      const X = await handle.backend.rfft(x, n);
      expect(X.shape).toEqual([3, Math.floor(n / 2) + 1]);
      // Direct DFT of the zero-padded / truncated rows.
      const expected = new Float64Array(X.data.length);
      const bins = X.shape[1];
      for (let r = 0; r < 3; r++)
        for (let k = 0; k < bins; k++)
          for (let t = 0; t < Math.min(n, 80); t++) {
            const a = (-2 * Math.PI * k * t) / n;
            expected[2 * (r * bins + k)] += x.data[r * 80 + t] * Math.cos(a);
            expected[2 * (r * bins + k) + 1] += x.data[r * 80 + t] * Math.sin(a);
          }
      expectClose(X.data, expected, handle.tolerance, 'rfft');
      const back = await handle.backend.irfft(complexTensor(Float64Array.from(expected), [3, bins]), n);
      const rows = new Float64Array(3 * n);
      for (let r = 0; r < 3; r++)
        for (let t = 0; t < Math.min(n, 80); t++) rows[r * n + t] = x.data[r * 80 + t];
      expectClose(back.data, rows, handle.tolerance, 'irfft');
    });

    it('convolve with channels, D and a bidirectional kernel', async () => {
      const input = { u: normal([2, 3, 50], 11), k: normal([2, 3, 50], 12), D: normal([2, 3], 13) };
      expectClose(
        (await handle.backend.convolve(input)).data,
        convolve(input).data,
        handle.tolerance,
        'causal',
      );
      const two = { ...input, kReverse: normal([2, 3, 50], 14) };
      expectClose(
        (await handle.backend.convolve(two)).data,
        convolve(two).data,
        handle.tolerance,
        'bidirectional',
      );
    });

    it('the DPLR kernel: rank 2, channels, states, rate', async () => {
      const H = 3;
      const N2 = 8;
      const params = {
        Lambda: poles(H, N2, 15),
        P: complexNormal([2, H, N2], 16),
        B: complexNormal([H, N2], 17),
        dt: positive(H, 18),
        C: complexNormal([2, H, N2], 19),
        lKernel: 64,
        rate: 2,
        state: complexNormal([2, H, N2], 20),
      };
      for (let i = 0; i < params.P.data.length; i++) params.P.data[i] *= 0.3;
      const out = await handle.backend.dplrKernel(params);
      const ref = dplrKernel(params);
      expect(out.K.shape).toEqual([2, H, 32]);
      expectClose(out.K.data, ref.K.data, handle.tolerance, 'K');
      expectClose(out.K_state?.data ?? [], ref.K_state?.data ?? [1], handle.tolerance, 'K_state');
    });

    it.each(['zoh', 'bilinear', 'dss'] as const)(
      'the S4D kernel (%s) with channels and states',
      async (disc) => {
        const H = 4;
        const N2 = 16;
        const params = {
          Lambda: poles(H, N2, 21),
          B: complexNormal([H, N2], 22),
          C: complexNormal([2, H, N2], 23),
          dt: positive(H, 24),
          L: 200,
          disc,
          state: complexNormal([3, H, N2], 25),
        };
        const out = await handle.backend.diagKernel(params);
        const ref = diagKernel(params);
        expectClose(out.K.data, ref.K.data, handle.tolerance, 'K');
        expectClose(out.K_state?.data ?? [], ref.K_state?.data ?? [1], handle.tolerance, 'K_state');
      },
    );
  });

  describe('bad input is rejected with a message naming the argument', () => {
    it('convolve with a kernel of the wrong H', async () => {
      await expect(
        handle.backend.convolve({ u: normal([1, 4, 16], 1), k: normal([1, 3, 16], 2) }),
      ).rejects.toThrow(/\bk\b/);
    });
    it('cauchy with poles of the wrong shape', async () => {
      await expect(
        handle.backend.cauchy({
          v: complexNormal([1, 4, 8], 1),
          w: complexNormal([4, 7], 2),
          z: complexNormal([5], 3),
        }),
      ).rejects.toThrow(/\bw\b/);
    });
    it('a DPLR kernel longer than its discrete length', async () => {
      const H = 2;
      const params = {
        Lambda: poles(H, 4, 1),
        P: complexNormal([1, H, 4], 2),
        B: complexNormal([H, 4], 3),
        dt: positive(H, 4),
        C: complexNormal([1, H, 4], 5),
        lKernel: 16,
        L: 17,
      };
      await expect(handle.backend.dplrKernel(params)).rejects.toThrow(/\bL\b/);
    });
  });
}
