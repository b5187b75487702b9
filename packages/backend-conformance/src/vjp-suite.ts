import type { RealArray, Tensor } from '@statespace/complex';
import {
  type ConvolveInput,
  convolveVjp,
  type DiagKernelParams,
  type DplrKernelParams,
  diagKernelVjp,
  dplrKernelVjp,
} from '@statespace/kernels';
import { expectClose } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { complexNormal, normal, poles, positive } from './random';
import type { BackendHandle } from './suite';

// The backward operations against the float64 CPU functions (themselves checked against central
// differences in @statespace/kernels), each gradient within the backend's tolerance (max-norm
// relative, per tensor), in the backend's precision. A backend computes in its precision from its
// inputs rounded to it, so the reference is the float64 function of the rounded inputs: what is
// checked is the backend's arithmetic, not the conditioning of Δ's gradient, which float32 inputs
// alone move by ~1e-4 at L = 16384 (measured, S4D zoh).

/** `value` with every tensor's data rounded to the backend's precision (other fields as they are). */
function rounded<T extends object>(handle: BackendHandle, value: T): T {
  if (handle.backend.dtype === 'float64') return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [key, field] of Object.entries(out)) {
    const t = field as Tensor | undefined;
    if (t?.data instanceof Float64Array)
      out[key] = { data: Float64Array.from(Float32Array.from(t.data)), shape: t.shape };
  }
  return out as T;
}

/** Expects every named gradient close to the reference's and of the backend's precision. */
function expectGrads(
  handle: BackendHandle,
  actual: Record<string, Tensor | undefined>,
  expected: Record<string, Tensor | undefined>,
): void {
  expect(
    Object.keys(actual)
      .filter((k) => actual[k])
      .sort(),
  ).toEqual(
    Object.keys(expected)
      .filter((k) => expected[k])
      .sort(),
  );
  const bytes = handle.backend.dtype === 'float64' ? 8 : 4;
  for (const [name, ref] of Object.entries(expected)) {
    if (!ref) continue;
    const got = actual[name] as Tensor;
    expect(got.shape, name).toEqual(ref.shape);
    expect((got.data as RealArray).BYTES_PER_ELEMENT, `${name} precision`).toBe(bytes);
    expectClose(got.data, ref.data, handle.tolerance, `∂/∂${name}`);
  }
}

function convolveProblem(Lk: number, bidirectional: boolean): ConvolveInput {
  return {
    u: normal([2, 3, 50], 31),
    k: normal([2, 3, Lk], 32),
    D: normal([2, 3], 33),
    ...(bidirectional ? { kReverse: normal([2, 3, Lk], 34) } : {}),
  };
}

function diagProblem(disc: DiagKernelParams['disc'], perMode: boolean): DiagKernelParams {
  const H = 4;
  const N2 = 16;
  return {
    Lambda: poles(H, N2, 41),
    B: complexNormal([H, N2], 42),
    C: complexNormal([2, H, N2], 43),
    dt: perMode ? positiveModes(H, N2) : positive(H, 44),
    L: 200,
    disc,
    ...(perMode ? { rate: 0.5, bandlimit: 0.5 } : {}),
  };
}

function positiveModes(H: number, N2: number): Tensor<Float64Array> {
  const dt = positive(H * N2, 45);
  return { data: dt.data, shape: [H, N2] };
}

function dplrProblem(lKernel: number, rank: number, rate: number): DplrKernelParams {
  const H = 3;
  const N2 = 8;
  const P = complexNormal([rank, H, N2], 52);
  for (let i = 0; i < P.data.length; i++) P.data[i] *= 0.3;
  return {
    Lambda: poles(H, N2, 51),
    P,
    B: complexNormal([H, N2], 53),
    dt: positive(H, 54),
    C: complexNormal([2, H, N2], 55),
    lKernel,
    rate,
  };
}

export function vjpSuite(handle: BackendHandle): void {
  describe('backward operations against the float64 CPU VJPs', () => {
    it.each([
      ['causal, kernel shorter than L', 40, false],
      ['causal, kernel longer than L', 60, false],
      ['bidirectional', 50, true],
    ] as const)('convolveVjp: %s', async (_, Lk, bidirectional) => {
      const input = rounded(handle, convolveProblem(Lk, bidirectional));
      const grad = rounded(handle, { grad: normal([2, 2, 3, 50], 35) }).grad;
      const got = await handle.backend.convolveVjp(input, grad);
      expectGrads(handle, { ...got }, { ...convolveVjp(input, grad) });
    });

    it.each([
      ['zoh', false],
      ['bilinear', false],
      ['dss', false],
      ['zoh', true],
    ] as const)('diagKernelVjp: %s, per-mode Δ, rate and band limit %s', async (disc, perMode) => {
      const params = rounded(handle, diagProblem(disc, perMode));
      const grad = rounded(handle, { grad: normal([2, 4, 200], 46) }).grad;
      const got = await handle.backend.diagKernelVjp(params, grad);
      expectGrads(handle, { ...got }, { ...diagKernelVjp(params, grad) });
    });

    it.each([
      [64, 2, 2, 30],
      [63, 1, 1, 63],
      [128, 1, 1, 100],
    ] as const)('dplrKernelVjp: lKernel %i, rank %i, rate %i, L %i', async (lKernel, rank, rate, L) => {
      const params = rounded(handle, { ...dplrProblem(lKernel, rank, rate), L });
      const grad = rounded(handle, { grad: normal([2, 3, L], 56) }).grad;
      const got = await handle.backend.dplrKernelVjp(params, grad);
      expectGrads(handle, { ...got }, { ...dplrKernelVjp(params, grad) });
    });
  });

  describe('backward operations reject bad input, naming the argument', () => {
    it('convolveVjp with a gradient of the wrong shape', async () => {
      await expect(
        handle.backend.convolveVjp(convolveProblem(50, false), normal([2, 3, 50], 1)),
      ).rejects.toThrow(/grad must have shape \[batch, C, H, L\]/);
    });
    it('diagKernelVjp with a gradient of the wrong length', async () => {
      await expect(
        handle.backend.diagKernelVjp(diagProblem('zoh', false), normal([2, 4, 199], 1)),
      ).rejects.toThrow(/grad must have shape \[channels, H, L\]/);
    });
    it('dplrKernelVjp with states', async () => {
      const params = { ...dplrProblem(64, 1, 1), state: complexNormal([1, 3, 8], 2) };
      await expect(handle.backend.dplrKernelVjp(params, normal([2, 3, 64], 1))).rejects.toThrow(/\bstate\b/);
    });
  });
}
