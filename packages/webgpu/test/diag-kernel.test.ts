import { type ComplexTensor, createRng, type Tensor } from '@statespace/complex';
import { type DiagKernelParams, diagKernel } from '@statespace/kernels';
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
import { afterAll, describe, expect, it } from 'vitest';
import { GpuContext } from '../src/gpu-context';
import { diagKernelOp } from '../src/ops/diag-kernel';
import { acquireGpu } from './gpu';

const gpu = await acquireGpu();

function f32<T extends { data: ArrayLike<number>; shape: readonly number[] }>(t: T): T {
  return { ...t, data: Float32Array.from(t.data) };
}

/** The float32 inputs the GPU gets, held in float64 for the CPU reference. */
function f64<T extends { data: ArrayLike<number>; shape: readonly number[] }>(t: T): T {
  return { ...t, data: Float64Array.from(t.data) };
}

function randomComplex(shape: number[], seed: number): ComplexTensor {
  const rng = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return f32({ data: Float64Array.from({ length: 2 * n }, () => rng.normal()), shape });
}

/** S4D-Lin Λ = −½ + iπn (slightly perturbed); with `unstable`, every fourth mode has Re Λ > 0. */
function s4dLin(H: number, N2: number, seed: number, unstable = false): ComplexTensor {
  const rng = createRng(seed);
  const data = new Float64Array(2 * H * N2);
  for (let m = 0; m < H * N2; m++) {
    data[2 * m] = unstable && m % 4 === 1 ? 0.05 + 0.2 * rng.uniform() : -0.5 + 0.1 * rng.normal();
    data[2 * m + 1] = Math.PI * ((m % N2) + 0.2 * rng.normal());
  }
  return f32({ data, shape: [H, N2] });
}

function steps(shape: number[], seed: number, max = 0.1): Tensor {
  const rng = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return f32({ data: Float64Array.from({ length: n }, () => 0.001 + (max - 0.001) * rng.uniform()), shape });
}

describe.skipIf(!gpu)('diagKernel on WebGPU', () => {
  const ctx = new GpuContext(gpu as NonNullable<typeof gpu>);
  afterAll(() => ctx.dispose());

  async function expectCpuMatch(params: DiagKernelParams) {
    const out = await diagKernelOp.run(ctx, params);
    const ref = diagKernel({
      ...params,
      Lambda: f64(params.Lambda),
      B: f64(params.B),
      C: f64(params.C),
      dt: f64(params.dt),
      state: params.state && f64(params.state),
    });
    expect(out.K.shape).toEqual(ref.K.shape);
    expectClose(out.K.data, ref.K.data, TOLERANCE.float32, 'K');
    if (ref.K_state) {
      expect(out.K_state?.shape).toEqual(ref.K_state.shape);
      expectClose(out.K_state?.data ?? [], ref.K_state.data, TOLERANCE.float32, 'K_state');
    } else {
      expect(out.K_state).toBeUndefined();
    }
  }

  const H = 3;
  const N2 = 32;
  const base = (disc: DiagKernelParams['disc'], L: number, seed: number): DiagKernelParams => ({
    Lambda: s4dLin(H, N2, seed, disc === 'dss'),
    B: randomComplex([H, N2], seed + 1),
    C: randomComplex([2, H, N2], seed + 2),
    dt: steps([H], seed + 3),
    L,
    disc,
  });

  it('zoh, 2 channels', () => expectCpuMatch(base('zoh', 1024, 10)));
  it('bilinear, Δ per mode, rate 2', () =>
    expectCpuMatch({ ...base('bilinear', 777, 20), dt: steps([H, N2], 23, 0.05), rate: 2 }));
  it('dss with Re Λ > 0 modes (reflected, no ×2)', () => expectCpuMatch(base('dss', 2048, 30)));
  it('dss with states', () =>
    expectCpuMatch({ ...base('dss', 300, 35), state: randomComplex([2, H, N2], 36) }));
  it('zoh with states (batch 2) → K_state', () =>
    expectCpuMatch({ ...base('zoh', 1000, 40), state: randomComplex([2, H, N2], 44) }));
  it('bilinear with states and rate 2', () =>
    expectCpuMatch({ ...base('bilinear', 513, 50), state: randomComplex([1, H, N2], 54), rate: 2 }));
  it('zoh with bandlimit 0.5', () => expectCpuMatch({ ...base('zoh', 640, 60), bandlimit: 0.5 }));
  it('zoh, L = 16384, N = 64, Δ up to 0.1 (Im ΔΛ up to ~10 rad per step)', () =>
    expectCpuMatch(base('zoh', 16384, 70)));
  it('L = 1', () => expectCpuMatch({ ...base('bilinear', 1, 80), state: randomComplex([1, H, N2], 84) }));

  it('rejects bad arguments, naming them', async () => {
    const p = base('zoh', 16, 90);
    await expect(diagKernelOp.run(ctx, { ...p, C: randomComplex([H, N2], 1) })).rejects.toThrow(/^C must/);
    await expect(diagKernelOp.run(ctx, { ...p, L: 0 })).rejects.toThrow(/L must/);
    await expect(diagKernelOp.run(ctx, { ...p, disc: 'euler' as 'zoh' })).rejects.toThrow(/disc must/);
    await expect(diagKernelOp.run(ctx, { ...p, dt: steps([H + 1], 1) })).rejects.toThrow(/dt must/);
    await expect(diagKernelOp.run(ctx, { ...p, bandlimit: -1 })).rejects.toThrow(/bandlimit/);
  });

  describe('golden kernels.json (diag cases)', () => {
    const cases = loadGoldenCases('kernels.json').filter((c: GoldenCase) => c.kind === 'diag');
    it('has diag cases', () => expect(cases.length).toBeGreaterThan(0));
    for (const c of cases) {
      it(`${caseName(c)}: K and K_state`, async () => {
        assertKnownFields(c, GOLDEN_FIELDS['kernels.json']);
        const Lambda = goldenComplex(c.Lambda, 'Lambda');
        const [gH, gN2] = Lambda.shape;
        const L = c.L as number;
        const logDt = goldenReal(c.log_dt, 'log_dt');
        const params: DiagKernelParams = {
          Lambda: f32(Lambda),
          B: f32(goldenComplex(c.B, 'B')),
          C: f32({ ...goldenComplex(c.C, 'C'), shape: [1, gH, gN2] }),
          dt: f32({ data: logDt.data.map(Math.exp), shape: logDt.shape }),
          L,
          disc: c.disc as DiagKernelParams['disc'],
          state:
            c.state0 === undefined
              ? undefined
              : f32({ ...goldenComplex(c.state0, 'state0'), shape: [1, gH, gN2] }),
        };
        const out = await diagKernelOp.run(ctx, params);
        expectClose(out.K.data, goldenReal(c.K, 'K').data, TOLERANCE.float32, 'K');
        if (c.K_state !== undefined) {
          expectClose(
            out.K_state?.data ?? [],
            goldenReal(c.K_state, 'K_state').data,
            TOLERANCE.float32,
            'K_state',
          );
        }
      });
    }
  });
});
