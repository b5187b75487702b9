import { createRng, type Tensor, tensor } from '@statespace/complex';
import { type ConvolveInput, convolve } from '@statespace/kernels';
import { caseName, expectClose, goldenReal, loadGoldenCases, TOLERANCE } from '@statespace/testing';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GpuContext } from '../src/gpu-context';
import { convolveOp } from '../src/ops/conv';
import { acquireGpu } from './gpu';

// The GPU convolution against the float64 CPU `convolve` of @statespace/kernels.

const gpu = await acquireGpu();
const tolerance = TOLERANCE.float32;

function normal(shape: number[], seed: number): Tensor<Float64Array> {
  const rng = createRng(seed);
  return tensor(
    Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()),
    shape,
  );
}

/** The input with every tensor as float32, as the backend hands it to the op. */
function float32(input: ConvolveInput): ConvolveInput {
  const cast = (t?: Tensor) => t && tensor(Float32Array.from(t.data), t.shape);
  return { u: cast(input.u)!, k: cast(input.k)!, D: cast(input.D), kReverse: cast(input.kReverse) };
}

describe.skipIf(!gpu)('convolve on the GPU', () => {
  const ctx = new GpuContext(gpu!);
  afterAll(() => ctx.dispose());
  // Dawn reports validation errors asynchronously, without failing a call: catch them per test.
  beforeEach(() => gpu!.device.pushErrorScope('validation'));
  afterEach(async () => expect((await gpu!.device.popErrorScope())?.message).toBeUndefined());

  async function check(input: ConvolveInput) {
    const { out } = await convolveOp.run(ctx, float32(input));
    const expected = convolve(input);
    expect(out.shape).toEqual(expected.shape);
    expectClose(out.data, expected.data, tolerance, 'y');
  }

  it.each([
    ['causal', [2, 3, 64], [1, 3, 64], false, false],
    ['channels 2 with D', [2, 3, 50], [2, 3, 50], true, false],
    ['bidirectional with D', [2, 3, 50], [2, 3, 50], true, true],
    ['odd L', [3, 2, 77], [2, 2, 77], true, false],
    ['odd L, bidirectional', [1, 4, 33], [1, 4, 33], false, true],
    ['a kernel shorter than L', [2, 3, 100], [2, 3, 17], true, false],
    ['a short kernel, bidirectional', [2, 3, 100], [1, 3, 9], true, true],
    ['a kernel longer than L', [2, 2, 40], [1, 2, 90], false, true],
    ['L = 1', [2, 2, 1], [1, 2, 1], true, true],
    ['L = 4096', [2, 2, 4096], [2, 2, 4096], true, false],
    // n = 16384: transforms of 8192 take two workgroup levels where workgroup memory holds 4096.
    ['L = 5000, bidirectional', [1, 2, 5000], [2, 2, 5000], true, true],
    // Rows of n = 32768 and 131072 take the residue transforms and one pass of column products
    // (n1 = 4 and 16 residues where workgroup memory holds 4096), n = 262144 the four-step
    // transforms (32 residues).
    ['L = 16384 with D', [2, 2, 16384], [1, 2, 16384], true, false],
    ['L = 40000, channels 2, bidirectional', [1, 1, 40000], [2, 1, 40000], true, true],
    ['L = 70000', [1, 1, 70000], [1, 1, 70000], false, false],
  ] as const)('%s', async (_, uShape, kShape, withD, bidirectional) => {
    const [C, H] = kShape;
    await check({
      u: normal([...uShape], 1),
      k: normal([...kShape], 2),
      D: withD ? normal([C, H], 3) : undefined,
      kReverse: bidirectional ? normal([...kShape], 4) : undefined,
    });
  });

  describe('golden fftconv.json', () => {
    for (const c of loadGoldenCases('fftconv.json')) {
      it(caseName(c), async () => {
        const u = goldenReal(c.u, 'u');
        const k = goldenReal(c.k, 'k');
        const D = goldenReal(c.D, 'D');
        const { out } = await convolveOp.run(
          ctx,
          float32({
            u: tensor(u.data, u.shape),
            k: tensor(k.data, [1, ...k.shape]),
            D: tensor(D.data, [1, D.shape[0]]),
          }),
        );
        expectClose(out.data, goldenReal(c.y, 'y').data, tolerance, 'y');
      });
    }
  });

  it('rejects a kernel of the wrong H or a non-finite input, naming it', async () => {
    const u = tensor(new Float32Array(16 * 4), [1, 4, 16]);
    await expect(convolveOp.run(ctx, { u, k: tensor(new Float32Array(48), [1, 3, 16]) })).rejects.toThrow(
      /\bk\b/,
    );
    const k = tensor(new Float32Array(64), [1, 4, 16]);
    await expect(convolveOp.run(ctx, { u, k, D: tensor(new Float32Array(3), [1, 3]) })).rejects.toThrow(
      /\bD\b/,
    );
    k.data[5] = Number.NaN;
    await expect(convolveOp.run(ctx, { u, k })).rejects.toThrow(/\bk\b/);
  });

  it('reports its largest buffer: the inverse transforms of batch·C·H rows', () => {
    const input = {
      u: tensor(new Float32Array(8 * 4 * 100), [8, 4, 100]),
      k: tensor(new Float32Array(2 * 4 * 100), [2, 4, 100]),
    };
    // n = 256 (≥ 199): 128 complex values per row of batch·C·H = 64 rows.
    expect(convolveOp.largestBuffer(input)).toBe(8 * 64 * 128);
  });
});
