import { complexTensor, createRng, type RealArray, type Tensor, tensor } from '@statespace/complex';
import { dplr } from '@statespace/hippo';
import {
  type ConvolveInput,
  convolveVjp,
  type DiagKernelParams,
  type DplrKernelParams,
  diagKernelVjp,
  dplrKernelVjp,
} from '@statespace/kernels';
import { expectClose, TOLERANCE } from '@statespace/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebGpuBackend, type WebGpuBackend } from '../src/index';
import { convolveVjpOp } from '../src/ops/conv-vjp';
import { diagKernelVjpOp } from '../src/ops/diag-kernel-vjp';
import { dplrKernelVjpOp } from '../src/ops/dplr-kernel-vjp';
import { acquireGpu } from './gpu';

// The backward operations beyond the conformance suite: S4 and S4D kernel VJPs of HiPPO systems at
// L = 4096, a bidirectional convolution, and problems split along H to fit a binding limit.
// References are the float64 CPU VJPs of the float32-rounded inputs (the GPU's inputs).

const gpu = await acquireGpu();

/** The binding limit of the chunked backend: the problems below need several chunks under it. */
const CHUNK_BYTES = 48 * 1024;
/** Chunked and whole runs compute each feature with the same kernels. */
const SAME = 1e-6;

const rng = createRng(17);
const normal = (shape: number[], scale = 1): Tensor<Float64Array> =>
  tensor(
    Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => Math.fround(scale * rng.normal())),
    shape,
  );

/** A float64 tensor of float32 values (so that the CPU reference sees exactly the GPU's inputs). */
function rounded<T extends { data: RealArray; shape: readonly number[] }>(t: T): T {
  return { ...t, data: Float64Array.from(Float32Array.from(t.data)) };
}

/** S4's HiPPO-LegS system over H features with Δ log-spaced in [0.001, 0.1], as a layer draws it. */
function legs(H: number, N2: number) {
  const { A, P, B } = dplr('legs', 2 * N2, { H });
  const dt = tensor(
    Float64Array.from({ length: H }, (_, h) => 0.001 * 100 ** (h / Math.max(1, H - 1))),
    [H],
  );
  const C = rounded(complexTensor(normal([2 * H * N2]).data, [1, H, N2]));
  return { Lambda: rounded(A), P: rounded(P), B: rounded(B), dt: rounded(dt), C };
}

function expectGrads(
  actual: Record<string, Tensor | undefined>,
  expected: Record<string, Tensor | undefined>,
  tolerance: number,
  what: string,
) {
  for (const [name, ref] of Object.entries(expected)) {
    if (!ref) continue;
    expect(actual[name]?.data, `${what} ∂/∂${name}`).toBeInstanceOf(Float32Array);
    expectClose(actual[name]?.data ?? [], ref.data, tolerance, `${what} ∂/∂${name}`);
  }
}

describe.skipIf(!gpu)('WebGPU backward operations', () => {
  let whole: WebGpuBackend;
  let chunked: WebGpuBackend;
  beforeAll(async () => {
    whole = await createWebGpuBackend({ device: gpu });
    chunked = await createWebGpuBackend({ device: gpu, maxBindingBytes: CHUNK_BYTES });
  });
  afterAll(async () => {
    await whole?.dispose();
    await chunked?.dispose();
  });

  const H = 4;
  const L = 4096;
  const system = legs(H, 32);
  const gK = normal([1, H, L]);
  const s4: DplrKernelParams = { ...system, lKernel: L };
  const s4d: DiagKernelParams = {
    Lambda: system.Lambda,
    B: system.B,
    C: system.C,
    dt: system.dt,
    L,
    disc: 'zoh',
  };
  const conv: ConvolveInput = {
    u: normal([2, H, 500]),
    k: normal([2, H, 500], 0.05),
    D: normal([2, H]),
    kReverse: normal([2, H, 500], 0.05),
  };
  const gy = normal([2, 2, H, 500]);

  it('S4 kernel VJP of HiPPO-LegS, N = 64, L = 4096', async () => {
    expectGrads(
      { ...(await whole.dplrKernelVjp(s4, gK)) },
      { ...dplrKernelVjp(s4, gK) },
      TOLERANCE.float32,
      'S4',
    );
  });

  it('S4D kernel VJP of HiPPO-LegS poles, N = 64, L = 4096', async () => {
    expectGrads(
      { ...(await whole.diagKernelVjp(s4d, gK)) },
      { ...diagKernelVjp(s4d, gK) },
      TOLERANCE.float32,
      'S4D',
    );
  });

  it('bidirectional convolution VJP with channels and D, L = 500', async () => {
    expectGrads(
      { ...(await whole.convolveVjp(conv, gy)) },
      { ...convolveVjp(conv, gy) },
      TOLERANCE.float32,
      'convolution',
    );
  });

  it.each([
    ['bidirectional with channels and D, L = 5000', 5000, true],
    ['causal with channels and D, L = 16384', 16384, false],
  ] as const)('convolution VJP of long rows (residue transforms), %s', async (_, length, bidirectional) => {
    const long: ConvolveInput = {
      u: normal([2, 2, length]),
      k: normal([2, 2, length], 0.05),
      D: normal([2, 2]),
      kReverse: bidirectional ? normal([2, 2, length], 0.05) : undefined,
    };
    const grad = normal([2, 2, 2, length]);
    expectGrads(
      { ...(await whole.convolveVjp(long, grad)) },
      { ...convolveVjp(long, grad) },
      TOLERANCE.float32,
      'convolution',
    );
  });

  it('splits each VJP along H over a binding limit, as the whole problem computes it', async () => {
    const s4short: DplrKernelParams = { ...system, lKernel: 1024 };
    const gKshort = normal([1, H, 1024]);
    const C2 = complexTensor(normal([2 * 2 * H * 32]).data, [2, H, 32]);
    const s4d2: DiagKernelParams = { ...s4d, C: C2 };
    const gK2 = normal([2, H, L]);
    const inputs = [
      [dplrKernelVjpOp, { ...s4short, grad: gKshort }],
      [diagKernelVjpOp, { ...s4d2, grad: gK2 }],
      [convolveVjpOp, { ...conv, grad: gy }],
    ] as const;
    for (const [op, input] of inputs) expect(op.largestBuffer(input as never)).toBeGreaterThan(CHUNK_BYTES);
    const pairs = [
      [await chunked.dplrKernelVjp(s4short, gKshort), await whole.dplrKernelVjp(s4short, gKshort)],
      [await chunked.diagKernelVjp(s4d2, gK2), await whole.diagKernelVjp(s4d2, gK2)],
      [await chunked.convolveVjp(conv, gy), await whole.convolveVjp(conv, gy)],
    ] as const;
    for (const [split, one] of pairs) expectGrads({ ...split }, { ...one }, SAME, 'chunked vs whole');
  });

  it('rejects a rank the GPU Woodbury kernels do not handle, naming P', async () => {
    const wide = {
      ...legs(1, 16),
      P: complexTensor(normal([2 * 9 * 16], 0.1).data, [9, 1, 16]),
      lKernel: 64,
    };
    await expect(whole.dplrKernelVjp(wide, normal([1, 1, 64]))).rejects.toThrow(/P must have rank ≤ 8/);
  });
});
