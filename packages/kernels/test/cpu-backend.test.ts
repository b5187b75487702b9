import { createRng, type Tensor, tensor } from '@statespace/complex';
import { expectClose } from '@statespace/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createCpuBackend } from '../src/cpu-backend';

function random(shape: number[], seed: number, complex = false): Tensor<Float64Array> {
  const rng = createRng(seed);
  const size = shape.reduce((a, b) => a * b, 1) * (complex ? 2 : 1);
  return tensor(
    Float64Array.from({ length: size }, () => rng.normal()),
    shape,
  ) as Tensor<Float64Array>;
}

describe('CPU backend threads', () => {
  const single = createCpuBackend();
  const threaded = createCpuBackend({ dtype: 'float64', threads: 2 });
  const fast = createCpuBackend({ dtype: 'float32', threads: 2 });
  afterAll(async () => {
    await Promise.all([single.dispose(), threaded.dispose(), fast.dispose()]);
  });

  it('splits work across threads with identical results', async () => {
    const input = { u: random([2, 64, 512], 1), k: random([2, 64, 512], 2), D: random([2, 64], 3) };
    const one = await single.convolve(input);
    const two = await threaded.convolve(input);
    expect(two.shape).toEqual([2, 2, 64, 512]);
    expect(Array.from(two.data)).toEqual(Array.from(one.data));
    const f32 = await fast.convolve(input);
    expect(f32.data).toBeInstanceOf(Float32Array);
    expectClose(f32.data, one.data, 1e-4, 'float32');
  });

  it('describes itself and validates its options', () => {
    expect(fast.describe()).toBe('cpu (float32, 2 threads)');
    expect(() => createCpuBackend({ threads: 0 })).toThrow(/threads must be an integer ≥ 1/);
    expect(() => createCpuBackend({ dtype: 'float16' as never })).toThrow(
      /dtype must be one of 'float64', 'float32'/,
    );
  });

  it('rejects bad shapes from the worker as a clear error', async () => {
    const bad = { u: random([1, 64, 1024], 1), k: random([1, 63, 1024], 2) };
    await expect(threaded.convolve(bad)).rejects.toThrow(
      /k must have 64 features \(H\) on axis 1; got shape \[1, 63, 1024\]/,
    );
  });
});
