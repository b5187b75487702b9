import { type ComplexTensor, complexTensor, createRng, type Tensor, tensor } from '@statespace/complex';
import {
  type CauchyInput,
  type ConvolveInput,
  cauchy,
  convolve,
  type DiagKernelParams,
  type DplrKernelParams,
  diagKernel,
  dplrKernel,
  frequencyNodes,
} from '@statespace/kernels';
import { expectClose, TOLERANCE } from '@statespace/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebGpuDeviceLostError, WebGpuUnavailableError } from '../src/device';
import { createWebGpuBackend, type WebGpuBackend } from '../src/index';
import { cauchyOp } from '../src/ops/cauchy';
import { convolveOp } from '../src/ops/conv';
import { diagKernelOp } from '../src/ops/diag-kernel';
import { dplrKernelOp } from '../src/ops/dplr-kernel';
import type { GpuOp } from '../src/ops/op';
import { acquireGpu } from './gpu';

// What the shared conformance suite does not cover: problems split along H to fit the binding
// limit, a lost device, argument errors, describe(), and no silent fallback without an adapter.

const gpu = await acquireGpu();

/** The binding limit of the chunked backend: every problem below needs several chunks under it. */
const CHUNK_BYTES = 64 * 1024;
/** Chunked and whole runs compute each feature with the same kernels. */
const SAME = 1e-6;

const normal = (shape: number[], seed: number): Tensor<Float64Array> => {
  const rng = createRng(seed);
  return tensor(
    Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()),
    shape,
  );
};
const complexNormal = (shape: number[], seed: number, scale = 1): ComplexTensor<Float64Array> => {
  const rng = createRng(seed);
  return complexTensor(
    Float64Array.from({ length: 2 * shape.reduce((a, b) => a * b, 1) }, () => scale * rng.normal()),
    shape,
  );
};
/** Stable S4-like poles: Re < 0, a spread of frequencies. */
const poles = (H: number, N2: number, seed: number): ComplexTensor<Float64Array> => {
  const rng = createRng(seed);
  const data = new Float64Array(2 * H * N2);
  for (let i = 0; i < H * N2; i++) {
    data[2 * i] = -0.1 - rng.uniform();
    data[2 * i + 1] = -Math.PI * (i % N2) - rng.uniform();
  }
  return complexTensor(data, [H, N2]);
};
const steps = (H: number, seed: number): Tensor<Float64Array> => {
  const rng = createRng(seed);
  return tensor(
    Float64Array.from({ length: H }, () => 0.05 * (0.2 + rng.uniform())),
    [H],
  );
};

const H = 8;
const nodes = frequencyNodes(2048);
const problems = {
  convolve: {
    u: normal([2, H, 1024], 1),
    k: normal([1, H, 1024], 2),
    D: normal([1, H], 3),
  } satisfies ConvolveInput,
  cauchy: {
    v: complexNormal([2, H, 32], 4),
    w: poles(H, 32, 5),
    z: complexTensor(nodes.z, [nodes.count]),
  } satisfies CauchyInput,
  diagKernel: {
    Lambda: poles(H, 32, 6),
    B: complexNormal([H, 32], 7),
    C: complexNormal([1, H, 32], 8),
    dt: steps(H, 9),
    L: 4096,
    disc: 'zoh',
    state: complexNormal([1, H, 32], 10),
  } satisfies DiagKernelParams,
  dplrKernel: {
    Lambda: poles(H, 16, 11),
    P: complexNormal([1, H, 16], 12, 0.3),
    B: complexNormal([H, 16], 13),
    dt: steps(H, 14),
    C: complexNormal([1, H, 16], 15),
    lKernel: 2048,
  } satisfies DplrKernelParams,
};

describe('no silent fallback', () => {
  it('rejects with WebGpuUnavailableError when the GPU has no adapter', async () => {
    const noAdapter = { requestAdapter: async () => null } as unknown as GPU;
    await expect(createWebGpuBackend({ gpu: noAdapter })).rejects.toThrow(WebGpuUnavailableError);
  });
});

describe.skipIf(!gpu)('WebGPU backend', () => {
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

  it('describes itself with its adapter and features', () => {
    expect(whole.name).toBe('webgpu');
    expect(whole.dtype).toBe('float32');
    const text = whole.describe();
    expect(text).toMatch(/^webgpu \(.+\)$/);
    expect(text).toContain(whole.gpu.adapter);
    expect(text.includes('subgroups')).toBe(whole.gpu.features.subgroups);
    expect(text.includes('f16')).toBe(whole.gpu.features.shaderF16);
  });

  describe(`problems over a ${CHUNK_BYTES / 1024} KiB binding limit are split along H`, () => {
    /** The problem really needs chunks: over the limit whole, under it one feature at a time. */
    const needsChunks = <I>(op: GpuOp<I, object>, input: I, oneFeature: I) => {
      expect(op.largestBuffer(input)).toBeGreaterThan(CHUNK_BYTES);
      expect(op.largestBuffer(oneFeature)).toBeLessThanOrEqual(CHUNK_BYTES);
    };

    it('convolve', async () => {
      const p = problems.convolve;
      needsChunks(convolveOp, p, {
        u: normal([2, 1, 1024], 0),
        k: normal([1, 1, 1024], 0),
        D: normal([1, 1], 0),
      });
      const y = await chunked.convolve(p);
      expectClose(y.data, (await whole.convolve(p)).data, SAME, 'chunked vs whole');
      expectClose(y.data, convolve(p).data, TOLERANCE.float32, 'chunked vs CPU');
    });

    it('cauchy', async () => {
      const p = problems.cauchy;
      needsChunks(cauchyOp, p, { ...p, v: complexNormal([2, 1, 32], 0), w: poles(1, 32, 0) });
      const r = await chunked.cauchy(p);
      expect(r.shape).toEqual([2, H, nodes.count]);
      expectClose(r.data, (await whole.cauchy(p)).data, SAME, 'chunked vs whole');
      expectClose(r.data, cauchy(p.v, p.w, p.z).data, TOLERANCE.float32, 'chunked vs CPU');
    });

    it('diagKernel with states', async () => {
      const p = problems.diagKernel;
      needsChunks(diagKernelOp, p, {
        ...p,
        Lambda: poles(1, 32, 0),
        B: complexNormal([1, 32], 0),
        C: complexNormal([1, 1, 32], 0),
        dt: steps(1, 0),
        state: complexNormal([1, 1, 32], 0),
      });
      const out = await chunked.diagKernel(p);
      const ref = await whole.diagKernel(p);
      expectClose(out.K.data, ref.K.data, SAME, 'K chunked vs whole');
      expectClose(out.K_state?.data ?? [], ref.K_state?.data ?? [1], SAME, 'K_state chunked vs whole');
      expectClose(out.K.data, diagKernel(p).K.data, TOLERANCE.float32, 'K chunked vs CPU');
    });

    it('dplrKernel', async () => {
      const p = problems.dplrKernel;
      needsChunks(dplrKernelOp, p, {
        ...p,
        Lambda: poles(1, 16, 0),
        P: complexNormal([1, 1, 16], 0, 0.3),
        B: complexNormal([1, 16], 0),
        dt: steps(1, 0),
        C: complexNormal([1, 1, 16], 0),
      });
      const { K } = await chunked.dplrKernel(p);
      expect(K.shape).toEqual([1, H, p.lKernel]);
      expectClose(K.data, (await whole.dplrKernel(p)).K.data, SAME, 'chunked vs whole');
      expectClose(K.data, dplrKernel(p).K.data, TOLERANCE.float32, 'chunked vs CPU');
    });

    it('rejects a problem whose single feature is over the limit, naming the limit', async () => {
      const tiny = await createWebGpuBackend({ device: gpu, maxBindingBytes: 1024 });
      try {
        await expect(tiny.convolve(problems.convolve)).rejects.toThrow(/binding limit of 1024 bytes/);
      } finally {
        await tiny.dispose();
      }
    });
  });

  describe('bad input is rejected with a message naming the argument', () => {
    it.each([
      [
        'convolve: D of the wrong H',
        'D',
        () => whole.convolve({ ...problems.convolve, D: normal([1, H + 1], 0) }),
      ],
      ['convolve: u not 3-D', 'u', () => whole.convolve({ ...problems.convolve, u: normal([H, 1024], 0) })],
      [
        'convolve: kReverse of another shape than k',
        'kReverse',
        () => whole.convolve({ ...problems.convolve, kReverse: normal([1, H, 7], 0) }),
      ],
      [
        'cauchy: v without its batch axis',
        'v',
        () => whole.cauchy({ ...problems.cauchy, v: complexNormal([H, 32], 0) }),
      ],
      ['cauchy: z not 1-D', 'z', () => whole.cauchy({ ...problems.cauchy, z: complexNormal([2, 5], 0) })],
      [
        'diagKernel: C of the wrong H',
        'C',
        () => whole.diagKernel({ ...problems.diagKernel, C: complexNormal([1, H - 1, 32], 0) }),
      ],
      ['diagKernel: L not an integer', 'L', () => whole.diagKernel({ ...problems.diagKernel, L: 10.5 })],
      [
        'diagKernel: Δ ≤ 0',
        'dt',
        () => whole.diagKernel({ ...problems.diagKernel, dt: tensor(new Float64Array(H), [H]) }),
      ],
      [
        'dplrKernel: P of the wrong N2',
        'P',
        () => whole.dplrKernel({ ...problems.dplrKernel, P: complexNormal([1, H, 15], 0) }),
      ],
      ['rfft: n not a positive integer', 'n', () => whole.rfft(normal([2, 8], 0), 0)],
      [
        'vandermonde: x of the wrong H',
        'x',
        () => whole.vandermonde({ v: complexNormal([1, H, 4], 0), x: poles(H + 1, 4, 0), L: 8 }),
      ],
    ] as const)('%s', async (_, argument, call) => {
      await expect(call()).rejects.toThrow(new RegExp(`\\b${argument}\\b`));
    });
  });

  it('rejects every operation with WebGpuDeviceLostError after the device is lost', async () => {
    const own = await createWebGpuBackend();
    try {
      const p = problems.convolve;
      expectClose((await own.convolve(p)).data, convolve(p).data, TOLERANCE.float32, 'before the loss');
      own.gpu.destroy();
      await expect(own.convolve(p)).rejects.toThrow(WebGpuDeviceLostError);
      await expect(own.dplrKernel(problems.dplrKernel)).rejects.toThrow(WebGpuDeviceLostError);
      await expect(own.rfft(normal([2, 8], 0), 8)).rejects.toThrow(/device was lost/);
    } finally {
      await own.dispose();
    }
  });
});
