import { complexTensor, createRng, type Tensor, tensor } from '@statespace/complex';
import { createCpuBackend } from '@statespace/kernels';
import { expectClose, TOLERANCE } from '@statespace/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGpuJsBackend, type GpuJsBackend } from '../src/index';

// FFT edge cases beyond the conformance suite (in webasm, whose kernels are those of every mode):
// the shortest lengths, primes and other Bluestein lengths, zero-padding and truncation, and
// inverse transforms given fewer or more bins than n/2 + 1.

const normal = (shape: number[], seed: number): Tensor<Float64Array> => {
  const rng = createRng(seed);
  return tensor(
    Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()),
    shape,
  );
};

describe('gpu.js FFTs', () => {
  let backend: GpuJsBackend;
  const cpu = createCpuBackend();
  beforeAll(async () => {
    backend = await createGpuJsBackend({ mode: 'webasm' });
  });
  afterAll(async () => {
    await backend?.dispose();
  });

  it.each([1, 2, 3, 5, 17, 128, 1000, 1031])('rfft and irfft of length %i match the CPU', async (n) => {
    for (const width of [n, Math.max(1, n - 2), n + 3]) {
      const x = normal([2, width], n + width);
      const X = await backend.rfft(x, n);
      expect(X.shape).toEqual([2, Math.floor(n / 2) + 1]);
      const expected = await cpu.rfft(x, n);
      expectClose(X.data, expected.data, TOLERANCE.float32, `rfft n=${n} width=${width}`);
      expectClose(
        (await backend.irfft(expected, n)).data,
        (await cpu.irfft(expected, n)).data,
        TOLERANCE.float32,
        'irfft',
      );
    }
  });

  it('reads spectra with fewer or more bins than n/2 + 1 as numpy does', async () => {
    const X = complexTensor(normal([2, 2 * 12], 7).data, [2, 12]);
    for (const n of [10, 16, 40, 45]) {
      expectClose(
        (await backend.irfft(X, n)).data,
        (await cpu.irfft(X, n)).data,
        TOLERANCE.float32,
        `n=${n}`,
      );
    }
  });
});
