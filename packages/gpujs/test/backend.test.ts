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
  vandermonde,
} from '@statespace/kernels';
import { expectClose, TOLERANCE } from '@statespace/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGpuJsBackend, DIRECT_MAX_TAPS, type GpuJsBackend, type GpuJsMode } from '../src/index';
import { webGpuAvailable } from './gpu';

// What the shared conformance suite does not cover, in webgpu (where Dawn has an adapter) and
// webasm: compiled kernels reused across calls, problems split along H under a lowered array
// limit, both convolution paths, long kernels with large phases, concurrent calls, special nodes,
// argument errors, and dispose.

const webgpu = await webGpuAvailable();
const modes: GpuJsMode[] = webgpu ? ['webgpu', 'webasm'] : ['webasm'];

/** Split and whole runs compute each feature with the same kernels. */
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

const H = 4;
const nodes = frequencyNodes(512);
const problems = {
  cauchy: {
    v: complexNormal([2, H, 16], 1),
    w: poles(H, 16, 2),
    z: complexTensor(nodes.z, [nodes.count]),
  } satisfies CauchyInput,
  convolve: {
    u: normal([2, H, 200], 3),
    k: normal([2, H, 200], 4),
    D: normal([2, H], 5),
  } satisfies ConvolveInput,
  diagKernel: {
    Lambda: poles(H, 16, 6),
    B: complexNormal([H, 16], 7),
    C: complexNormal([1, H, 16], 8),
    dt: steps(H, 9),
    L: 300,
    disc: 'zoh',
    state: complexNormal([1, H, 16], 10),
  } satisfies DiagKernelParams,
  dplrKernel: {
    Lambda: poles(H, 8, 11),
    P: complexNormal([1, H, 8], 12, 0.3),
    B: complexNormal([H, 8], 13),
    dt: steps(H, 14),
    C: complexNormal([1, H, 8], 15),
    lKernel: 256,
  } satisfies DplrKernelParams,
};

describe.each(modes)('gpu.js backend, %s mode', (mode) => {
  let backend: GpuJsBackend;
  let split: GpuJsBackend;
  beforeAll(async () => {
    backend = await createGpuJsBackend({ mode });
    // An array limit under which every problem above runs in several feature ranges.
    split = await createGpuJsBackend({ mode, maxElements: 4096 });
  });
  afterAll(async () => {
    await backend?.dispose();
    await split?.dispose();
  });

  it('names itself and its kernel class', () => {
    expect(backend.name).toBe('gpujs');
    expect(backend.dtype).toBe('float32');
    expect(backend.describe()).toContain(`mode ${mode}`);
  });

  it('compiles each kernel once and reuses it for later calls of the same shape', async () => {
    const rt = backend.runtime;
    const first = await backend.cauchy(problems.cauchy);
    const built = rt.kernelBuilds;
    const again = await backend.cauchy(problems.cauchy);
    expect(rt.kernelBuilds).toBe(built);
    expect(Array.from(again.data)).toEqual(Array.from(first.data));
    // A new shape compiles a new kernel.
    await backend.cauchy({ ...problems.cauchy, z: complexTensor(nodes.z.slice(0, 20), [10]) });
    expect(rt.kernelBuilds).toBe(built + 1);
    await backend.dplrKernel(problems.dplrKernel);
    const afterDplr = rt.kernelBuilds;
    await backend.dplrKernel(problems.dplrKernel);
    expect(rt.kernelBuilds).toBe(afterDplr);
  });

  it('splits problems over its array limit along H, with the same results', async () => {
    const c = problems.cauchy;
    expect(2 * c.v.shape[0] * H * nodes.count).toBeGreaterThan(split.runtime.maxElements);
    expectClose((await split.cauchy(c)).data, (await backend.cauchy(c)).data, SAME, 'cauchy');
    expectClose(
      (await split.convolve(problems.convolve)).data,
      (await backend.convolve(problems.convolve)).data,
      SAME,
      'convolve',
    );
    const d = await split.diagKernel(problems.diagKernel);
    const dWhole = await backend.diagKernel(problems.diagKernel);
    expectClose(d.K.data, dWhole.K.data, SAME, 'diag K');
    expectClose(d.K_state?.data ?? [], dWhole.K_state?.data ?? [1], SAME, 'diag K_state');
    expectClose(
      (await split.dplrKernel(problems.dplrKernel)).K.data,
      (await backend.dplrKernel(problems.dplrKernel)).K.data,
      SAME,
      'dplr K',
    );
  });

  it(`convolves directly up to ${DIRECT_MAX_TAPS} taps and by FFT beyond, both with anticausal taps`, async () => {
    for (const taps of [DIRECT_MAX_TAPS, DIRECT_MAX_TAPS + 1, 300]) {
      const input = {
        u: normal([2, 3, 150], taps),
        k: normal([2, 3, taps], taps + 1),
        D: normal([2, 3], taps + 2),
        kReverse: normal([2, 3, taps], taps + 3),
      };
      expectClose(
        (await backend.convolve(input)).data,
        convolve(input).data,
        TOLERANCE.float32,
        `taps ${taps}`,
      );
      const causal = { ...input, kReverse: undefined };
      expectClose(
        (await backend.convolve(causal)).data,
        convolve(causal).data,
        TOLERANCE.float32,
        `causal ${taps}`,
      );
    }
  });

  it('keeps float32 phases exact over long kernels (L = 16384, |Im x|·L ≈ 10⁵)', async () => {
    const v = complexNormal([1, 1, 4], 20);
    const x = complexTensor(new Float64Array([-1e-4, -6.1, -2e-4, -3.3, -1e-5, -0.7, -3e-4, 2.9]), [1, 4]);
    const L = 16384;
    expectClose(
      (await backend.vandermonde({ v, x, L })).data,
      vandermonde(v, x, L).data,
      TOLERANCE.float32,
      'K',
    );
  });

  it('computes an S4 kernel of length 4096 and S4D kernels with states at float32 tolerance', async () => {
    const params = { ...problems.dplrKernel, lKernel: 4096, state: complexNormal([1, H, 8], 21) };
    const out = await backend.dplrKernel(params);
    const ref = dplrKernel(params);
    expectClose(out.K.data, ref.K.data, TOLERANCE.float32, 'K');
    expectClose(out.K_state?.data ?? [], ref.K_state?.data ?? [1], TOLERANCE.float32, 'K_state');
    const diag = await backend.diagKernel({ ...problems.diagKernel, disc: 'dss', L: 2000 });
    expectClose(
      diag.K.data,
      diagKernel({ ...problems.diagKernel, disc: 'dss', L: 2000 }).K.data,
      TOLERANCE.float32,
      'dss',
    );
  });

  it('serializes concurrent calls (kernel results are reused buffers)', async () => {
    const [a, b, c] = await Promise.all([
      backend.cauchy(problems.cauchy),
      backend.convolve(problems.convolve),
      backend.cauchy({ ...problems.cauchy, v: complexNormal([2, H, 16], 30) }),
    ]);
    expectClose(
      a.data,
      cauchy(problems.cauchy.v, problems.cauchy.w, problems.cauchy.z).data,
      TOLERANCE.float32,
      'a',
    );
    expectClose(b.data, convolve(problems.convolve).data, TOLERANCE.float32, 'b');
    const v2 = complexNormal([2, H, 16], 30);
    expectClose(c.data, cauchy(v2, problems.cauchy.w, problems.cauchy.z).data, TOLERANCE.float32, 'c');
  });

  it('gives exactly 0 at an infinite node and rejects a node on a pole', async () => {
    const z = complexTensor(new Float64Array([0, 1, 0, Number.POSITIVE_INFINITY]), [2]);
    const out = await backend.cauchy({ ...problems.cauchy, z });
    for (let b = 0; b < 2 * H; b++) expect([out.data[4 * b + 2], out.data[4 * b + 3]]).toEqual([0, 0]);
    const w = problems.cauchy.w;
    const onPole = complexTensor(new Float64Array([w.data[0], w.data[1]]), [1]);
    await expect(backend.cauchy({ ...problems.cauchy, z: onPole })).rejects.toThrow(/coincides with a pole/);
  });

  it('rejects bad input with messages naming the argument', async () => {
    const { v, w, z } = problems.cauchy;
    const nan = complexTensor(
      Float64Array.from(v.data, (x, i) => (i === 5 ? Number.NaN : x)),
      v.shape,
    );
    await expect(backend.cauchy({ v: nan, w, z })).rejects.toThrow(/^v must be finite; found NaN at index 5/);
    await expect(
      backend.cauchy({ v, w, z: complexTensor(new Float64Array([0, Number.NaN]), [1]) }),
    ).rejects.toThrow(/z must not hold NaN/);
    await expect(backend.vandermonde({ v, x: w, L: 0 })).rejects.toThrow(/L must be an integer ≥ 1/);
    await expect(backend.vandermonde({ v, x: w, L: 2 ** 18 + 1 })).rejects.toThrow(/L must be ≤ 262144/);
    await expect(backend.vandermondeTranspose({ u: normal([1, H + 1, 8], 1), v: w, x: w })).rejects.toThrow(
      /^v must have shape \[H = 5, N2\]/,
    );
    await expect(backend.rfft(normal([2, 8], 1), 0)).rejects.toThrow(/n must be an integer ≥ 1/);
    await expect(backend.irfft(normal([2, 8], 1) as ComplexTensor, 8)).rejects.toThrow(
      /^x\.data must hold 32 numbers/,
    );
    const rank3 = { ...problems.dplrKernel, P: complexNormal([3, H, 8], 1, 0.3) };
    await expect(backend.dplrKernel(rank3)).rejects.toThrow(
      /P must have rank ≤ 2 on the gpu.js backend .*; got rank 3/,
    );
    await expect(backend.diagKernel({ ...problems.diagKernel, disc: 'euler' as never })).rejects.toThrow(
      /disc must be one of/,
    );
  });
});

describe('webasm threads', () => {
  it('spreads kernels over gpu.js worker threads with the same results', async () => {
    const backend = await createGpuJsBackend({ mode: 'webasm', threads: true });
    try {
      const input = { u: normal([2, 8, 512], 40), k: normal([1, 8, 512], 41) };
      expectClose((await backend.convolve(input)).data, convolve(input).data, TOLERANCE.float32, 'y');
    } finally {
      await backend.dispose();
    }
  });
});

describe('dispose', () => {
  it('releases the kernels, after which calls reject', async () => {
    const backend = await createGpuJsBackend({ mode: 'webasm' });
    await backend.cauchy(problems.cauchy);
    expect(backend.runtime.compiledKernels).toBeGreaterThan(0);
    await backend.dispose();
    expect(backend.runtime.compiledKernels).toBe(0);
    await expect(backend.cauchy(problems.cauchy)).rejects.toThrow(/disposed/);
  });
});
