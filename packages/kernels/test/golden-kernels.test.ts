import { type ComplexTensor, conjExpand, type Tensor } from '@statespace/complex';
import { causalConvDirect } from '@statespace/fft';
import {
  assertKnownFields,
  caseName,
  expectClose,
  GOLDEN_FIELDS,
  type GoldenCase,
  goldenComplex,
  goldenReal,
  loadGoldenCases,
  TOLERANCE,
} from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { cTildeFromC } from '../src/c-tilde';
import { diagKernel } from '../src/diag-kernel';
import { dplrKernel } from '../src/dplr-kernel';
import { type DplrSystem, denseBilinear } from '../src/dplr-system';
import { diagForwardState } from '../src/forward-state';
import { krylovKernel } from '../src/krylov';

// Conformance with the official S4 kernels (kernels.json, see the golden README): every case of
// the file, each test named after the case. `y_step` and the step-mode `dA`/`dB` are checked by
// the recurrent-step tests (golden-steps.test.ts); here dA/dB feed the Krylov reference and y_step
// is only compared with the causal convolution of u with our K.

const cases = loadGoldenCases('kernels.json');

function complexField(c: GoldenCase, key: string, shape?: number[]): ComplexTensor<Float64Array> {
  const t = goldenComplex(c[key], key);
  return { data: t.data, shape: shape ?? t.shape };
}

function realField(c: GoldenCase, key: string, shape?: number[]): Tensor<Float64Array> {
  const t = goldenReal(c[key], key);
  return { data: t.data, shape: shape ?? t.shape };
}

function stepSizes(c: GoldenCase): Tensor<Float64Array> {
  const logDt = realField(c, 'log_dt');
  return { data: logDt.data.map(Math.exp), shape: logDt.shape };
}

function toF32<T extends { data: Float64Array | Float32Array; shape: readonly number[] }>(t: T): T {
  return { ...t, data: Float32Array.from(t.data) };
}

describe('golden kernels.json', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(0));

  for (const c of cases) {
    describe(caseName(c), () => {
      it('has only fields this test understands', () => assertKnownFields(c, GOLDEN_FIELDS['kernels.json']));

      const H = c.H as number;
      const N2 = (c.N as number) / 2;
      const L = c.L as number;

      if (c.kind === 'dplr') {
        const system: DplrSystem = {
          Lambda: complexField(c, 'Lambda'),
          P: complexField(c, 'P'),
          B: complexField(c, 'B'),
          dt: stepSizes(c),
        };
        const C = complexField(c, 'C', [1, H, N2]);
        const K = realField(c, 'K');

        it('is a bilinear case with the documented shapes', () => {
          expect(c.disc).toBe('bilinear');
          expect(system.P.shape).toEqual([c.rank, H, N2]);
          expect(K.shape).toEqual([H, L]);
        });

        it('K from C̃ = cTildeFromC(C, L) matches (float64)', () => {
          const Ctilde = cTildeFromC(system, C, L);
          const out = dplrKernel({ ...system, C: Ctilde, lKernel: L });
          expect(out.K.shape).toEqual([1, H, L]);
          expect(out.K.data).toBeInstanceOf(Float64Array);
          expectClose(out.K.data, K.data, TOLERANCE.float64, 'K');
        });

        it('K matches with float32 inputs (float32 output)', () => {
          const Ctilde = cTildeFromC(system, C, L);
          const out = dplrKernel({
            Lambda: toF32(system.Lambda),
            P: toF32(system.P),
            B: toF32(system.B),
            dt: toF32(system.dt),
            C: toF32(Ctilde),
            lKernel: L,
          });
          expect(out.K.data).toBeInstanceOf(Float32Array);
          expectClose(out.K.data, K.data, TOLERANCE.float32, 'K (float32)');
        });

        if (c.K_krylov !== undefined) {
          const Kk = realField(c, 'K_krylov');
          const dC: ComplexTensor = { data: conjExpand(C.data, H), shape: [1, H, 2 * N2] };

          it('K_krylov from the golden dA, dB and C matches, and equals K', () => {
            const dA = complexField(c, 'dA');
            const dB = complexField(c, 'dB');
            const Kr = krylovKernel(dA, dB, dC, L);
            expectClose(Kr.data, Kk.data, TOLERANCE.float64, 'K_krylov (golden dA, dB)');
            expectClose(Kk.data, K.data, TOLERANCE.float64, 'golden K_krylov vs golden K');
          });

          it('K_krylov from denseBilinear matches, and the Cauchy kernel equals it', () => {
            const { dA, dB } = denseBilinear(system);
            const Kr = krylovKernel(dA, dB, dC, L);
            expectClose(Kr.data, Kk.data, TOLERANCE.float64, 'K_krylov (denseBilinear)');
            const out = dplrKernel({ ...system, C: cTildeFromC(system, C, L), lKernel: L });
            expectClose(out.K.data, Kk.data, TOLERANCE.float64, 'K vs K_krylov');
          });
        }

        if (c.u !== undefined && c.y_step !== undefined) {
          it('y_step is the causal convolution of u with our K', () => {
            const out = dplrKernel({ ...system, C: cTildeFromC(system, C, L), lKernel: L });
            const u = realField(c, 'u', [1, H, L]);
            const y = causalConvDirect(u, { data: out.K.data as Float64Array, shape: [H, L] });
            expectClose(y.data, realField(c, 'y_step').data, TOLERANCE.float64, 'conv(u, K) vs y_step');
          });
        }
      } else if (c.kind === 'diag') {
        const Lambda = complexField(c, 'Lambda');
        const B = complexField(c, 'B');
        const C = complexField(c, 'C', [1, H, N2]);
        const dt = stepSizes(c);
        const disc = c.disc as 'zoh' | 'bilinear';
        const K = realField(c, 'K');

        it('K matches (float64 and float32)', () => {
          const out = diagKernel({ Lambda, B, C, dt, L, disc });
          expect(out.K.shape).toEqual([1, H, L]);
          expect(out.K_state).toBeUndefined();
          expectClose(out.K.data, K.data, TOLERANCE.float64, 'K');
          const out32 = diagKernel({
            Lambda: toF32(Lambda),
            B: toF32(B),
            C: toF32(C),
            dt: toF32(dt),
            L,
            disc,
          });
          expect(out32.K.data).toBeInstanceOf(Float32Array);
          expectClose(out32.K.data, K.data, TOLERANCE.float32, 'K (float32)');
        });

        if (c.state0 !== undefined) {
          const state = complexField(c, 'state0', [1, H, N2]);

          it('K_state from state0 matches', () => {
            const out = diagKernel({ Lambda, B, C, dt, L, disc, state });
            expect(out.K_state?.shape).toEqual([1, 1, H, L]);
            expectClose(out.K.data, K.data, TOLERANCE.float64, 'K (with state)');
            expectClose(out.K_state?.data ?? [], realField(c, 'K_state').data, TOLERANCE.float64, 'K_state');
          });

          if (c.u !== undefined && c.next_state !== undefined) {
            it('next_state from state0 and u matches', () => {
              const uL = (c.u as { shape: number[] }).shape[1];
              const u = realField(c, 'u', [1, H, uL]);
              const next = diagForwardState({ Lambda, B, dt, disc, u, state });
              expect(next.shape).toEqual([1, H, N2]);
              expectClose(next.data, complexField(c, 'next_state').data, TOLERANCE.float64, 'next_state');
            });
          }
        }
      } else {
        it('has a known kind', () => {
          throw new Error(`unknown kind ${String(c.kind)} in golden case ${caseName(c)}`);
        });
      }
    });
  }
});
