import { type ComplexTensor, complexTensor, createRng, type Tensor, tensor } from '@statespace/complex';
import { cTildeFromC, type DplrKernelParams, dplrKernel } from '@statespace/kernels';
import {
  caseName,
  expectClose,
  goldenComplex,
  goldenReal,
  loadGoldenCases,
  TOLERANCE,
} from '@statespace/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { GpuContext } from '../src/gpu-context';
import { dplrKernelOp } from '../src/ops/dplr-kernel';
import { acquireGpu } from './gpu';

const gpu = await acquireGpu();
const ctx = gpu ? new GpuContext(gpu) : undefined;
afterAll(() => ctx?.dispose());

/** The same tensor with float32 data (what the backend hands the op). */
function toF32<T extends { data: Float64Array | Float32Array; shape: readonly number[] }>(t: T): T {
  return { ...t, data: Float32Array.from(t.data) };
}

/** The float32-rounded values in float64: the CPU reference sees exactly the GPU's inputs. */
function rounded<T extends { data: Float64Array | Float32Array; shape: readonly number[] }>(t: T): T {
  return { ...t, data: Float64Array.from(Float32Array.from(t.data)) };
}

interface Problem {
  H: number;
  N2: number;
  rank: number;
  channels?: number;
  batch?: number;
  lKernel: number;
  L?: number;
  rate?: number;
  perModeDt?: boolean;
}

/** A random stable DPLR system (Re Λ < 0), C̃ and optional states, as the CPU tests draw them. */
function randomParams(p: Problem, seed: number): DplrKernelParams {
  const { H, N2, rank } = p;
  const rng = createRng(seed);
  const normal = (n: number, scale = 1) => Float64Array.from({ length: n }, () => scale * rng.normal());
  const Lambda = new Float64Array(2 * H * N2);
  for (let i = 0; i < H * N2; i++) {
    Lambda[2 * i] = -(0.2 + rng.uniform());
    Lambda[2 * i + 1] = -(Math.PI * (i % N2) + rng.normal());
  }
  const dtSize = p.perModeDt ? H * N2 : H;
  const dt = Float64Array.from({ length: dtSize }, () => 0.01 * 10 ** rng.uniform());
  return {
    Lambda: complexTensor(Lambda, [H, N2]),
    P: complexTensor(normal(2 * rank * H * N2, 0.5), [rank, H, N2]),
    B: complexTensor(normal(2 * H * N2), [H, N2]),
    dt: tensor(dt, p.perModeDt ? [H, N2] : [H]),
    C: complexTensor(normal(2 * (p.channels ?? 1) * H * N2), [p.channels ?? 1, H, N2]),
    lKernel: p.lKernel,
    L: p.L,
    rate: p.rate,
    state: p.batch ? complexTensor(normal(2 * p.batch * H * N2), [p.batch, H, N2]) : undefined,
  };
}

/** Each tensor field through `f` (the scalars untouched). */
function mapTensors(
  params: DplrKernelParams,
  f: <T extends Tensor | ComplexTensor>(t: T) => T,
): DplrKernelParams {
  return {
    ...params,
    Lambda: f(params.Lambda),
    P: f(params.P),
    B: f(params.B),
    dt: f(params.dt),
    C: f(params.C),
    state: params.state && f(params.state),
  };
}

async function expectMatchesCpu(params: DplrKernelParams): Promise<void> {
  const out = await dplrKernelOp.run(ctx as GpuContext, mapTensors(params, toF32));
  const ref = dplrKernel(mapTensors(params, rounded));
  expect(out.K.shape).toEqual(ref.K.shape);
  expectClose(out.K.data, ref.K.data, TOLERANCE.float32, 'K');
  if (ref.K_state) {
    expect(out.K_state?.shape).toEqual(ref.K_state.shape);
    expectClose(out.K_state?.data ?? [], ref.K_state.data, TOLERANCE.float32, 'K_state');
  } else {
    expect(out.K_state).toBeUndefined();
  }
}

describe.skipIf(!gpu)('dplrKernelOp vs the CPU dplrKernel', () => {
  const problems: [string, Problem][] = [
    ['rank 1, even length (Nyquist node)', { H: 3, N2: 16, rank: 1, lKernel: 256 }],
    ['rank 1, odd length', { H: 2, N2: 8, rank: 1, lKernel: 101 }],
    ['rank 2', { H: 3, N2: 16, rank: 2, lKernel: 128 }],
    ['rank 3 (LU path)', { H: 2, N2: 16, rank: 3, lKernel: 64 }],
    ['rank 5 (LU path), odd length', { H: 2, N2: 8, rank: 5, lKernel: 75 }],
    ['2 channels', { H: 3, N2: 16, rank: 1, channels: 2, lKernel: 128 }],
    ['states', { H: 2, N2: 16, rank: 1, batch: 3, lKernel: 128 }],
    ['states, 2 channels, rank 2', { H: 2, N2: 8, rank: 2, channels: 2, batch: 2, lKernel: 99 }],
    ['rate 2', { H: 2, N2: 16, rank: 1, lKernel: 256, rate: 2 }],
    ['rate 0.5, odd lKernel', { H: 2, N2: 8, rank: 1, lKernel: 63, rate: 0.5, L: 31 }],
    ['truncated L, odd', { H: 3, N2: 16, rank: 2, lKernel: 200, L: 77 }],
    ['per-mode Δ, N2 = 64', { H: 2, N2: 64, rank: 1, lKernel: 512, perModeDt: true }],
    ['length 2 (DC and Nyquist nodes only)', { H: 1, N2: 4, rank: 1, lKernel: 2 }],
    ['length 1', { H: 2, N2: 4, rank: 1, lKernel: 1 }],
  ];
  problems.forEach(([name, p], i) => {
    it(name, () => expectMatchesCpu(randomParams(p, 17 + i)));
  });

  it('throws for a rank above 8 and for bad shapes', async () => {
    const c = ctx as GpuContext;
    await expect(dplrKernelOp.run(c, randomParams({ H: 1, N2: 4, rank: 9, lKernel: 8 }, 1))).rejects.toThrow(
      /rank ≤ 8/,
    );
    const params = randomParams({ H: 2, N2: 4, rank: 1, lKernel: 8 }, 2);
    await expect(
      dplrKernelOp.run(c, { ...params, B: complexTensor(new Float32Array(6), [3]) }),
    ).rejects.toThrow(/B must have shape/);
    await expect(dplrKernelOp.run(c, { ...params, L: 9 })).rejects.toThrow(/L must be ≤/);
  });
});

describe.skipIf(!gpu)('dplrKernelOp: golden kernels.json', () => {
  for (const c of loadGoldenCases('kernels.json').filter((g) => g.kind === 'dplr')) {
    it(caseName(c), async () => {
      const L = c.L as number;
      const logDt = goldenReal(c.log_dt, 'log_dt');
      const system = {
        Lambda: goldenComplex(c.Lambda, 'Lambda'),
        P: goldenComplex(c.P, 'P'),
        B: goldenComplex(c.B, 'B'),
        dt: tensor(logDt.data.map(Math.exp), logDt.shape),
      };
      const C = goldenComplex(c.C, 'C');
      const Ctilde = cTildeFromC(system, { data: C.data, shape: [1, ...C.shape] }, L);
      const params = mapTensors({ ...system, C: Ctilde, lKernel: L }, toF32);
      const { K } = await dplrKernelOp.run(ctx as GpuContext, params);
      expect(K.shape).toEqual([1, c.H, L]);
      expectClose(K.data, goldenReal(c.K, 'K').data, TOLERANCE.float32, 'K');
    });
  }
});
