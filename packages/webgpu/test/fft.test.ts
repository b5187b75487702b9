import { complexTensor, createRng, tensor } from '@statespace/complex';
import { createCpuBackend } from '@statespace/kernels';
import { expectClose, TOLERANCE } from '@statespace/testing';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GpuContext } from '../src/gpu-context';
import { irfftOp, recordFft, recordIrfft, recordRfft, rfftBins, rfftOp } from '../src/ops/fft';
import { acquireGpu } from './gpu';

// The GPU transforms against the float64 CPU FFT of @statespace/fft, reached through the float64
// CPU backend's rfft/irfft (a complex transform is the sum of the real transforms of its parts).

const gpu = await acquireGpu();
const cpu = createCpuBackend();
const tolerance = TOLERANCE.float32;
const LENGTHS = [1, 2, 3, 5, 8, 64, 100, 784, 1000, 1024, 4097, 16384];

function normal(length: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length }, () => rng.normal());
}

/** numpy's fft (or ifft) of each row of n complex values, in float64. */
async function referenceFft(
  x: Float64Array,
  rows: number,
  n: number,
  inverse: boolean,
): Promise<Float64Array> {
  // ifft(x) = conj(fft(conj x))/n
  const sign = inverse ? -1 : 1;
  const re = new Float64Array(rows * n);
  const im = new Float64Array(rows * n);
  for (let i = 0; i < rows * n; i++) {
    re[i] = x[2 * i];
    im[i] = sign * x[2 * i + 1];
  }
  const R = (await cpu.rfft(tensor(re, [rows, n]), n)).data;
  const I = (await cpu.rfft(tensor(im, [rows, n]), n)).data;
  const bins = rfftBins(n);
  const out = new Float64Array(2 * rows * n);
  const scale = inverse ? 1 / n : 1;
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < n; k++) {
      // Spectra of real rows are Hermitian: bin k > n/2 is conj(bin n − k).
      const j = r * bins + (k < bins ? k : n - k);
      const s = k < bins ? 1 : -1;
      const [rr, ri, ir, ii] = [R[2 * j], s * R[2 * j + 1], I[2 * j], s * I[2 * j + 1]];
      out[2 * (r * n + k)] = scale * (rr - ii);
      out[2 * (r * n + k) + 1] = sign * scale * (ri + ir);
    }
  }
  return out;
}

describe.skipIf(!gpu)('FFTs on the GPU', () => {
  const ctx = new GpuContext(gpu!);
  afterAll(() => ctx.dispose());
  // Dawn reports validation errors asynchronously, without failing a call: catch them per test.
  beforeEach(() => gpu!.device.pushErrorScope('validation'));
  afterEach(async () => expect((await gpu!.device.popErrorScope())?.message).toBeUndefined());

  async function gpuFft(x: Float64Array, rows: number, n: number, inverse: boolean): Promise<Float32Array> {
    const input = ctx.upload(Float32Array.from(x));
    const out = recordFft(ctx, input, rows, n, inverse);
    const data = await ctx.read(out);
    ctx.release(input, out);
    return data;
  }

  describe.each([1, 3])('%i row(s)', (rows) => {
    it.each(LENGTHS)('fft and ifft, n = %i', async (n) => {
      const x = normal(2 * rows * n, n + rows);
      const X = await gpuFft(x, rows, n, false);
      expectClose(X, await referenceFft(x, rows, n, false), tolerance, 'fft');
      expectClose(await gpuFft(x, rows, n, true), await referenceFft(x, rows, n, true), tolerance, 'ifft');
      expectClose(await gpuFft(Float64Array.from(X), rows, n, true), x, tolerance, 'ifft(fft(x))');
    });

    it.each(LENGTHS)('rfft and irfft, n = %i', async (n) => {
      const x = normal(rows * n, 7 * n + rows);
      const X = await rfftOp.run(ctx, { x: tensor(Float32Array.from(x), [rows, n]), n });
      expect(X.out.shape).toEqual([rows, rfftBins(n)]);
      expectClose(X.out.data, (await cpu.rfft(tensor(x, [rows, n]), n)).data, tolerance, 'rfft');
      // Random bins: the imaginary parts of bin 0 and of the Nyquist bin must be ignored.
      const bins = normal(2 * rows * rfftBins(n), 3 * n + rows);
      const back = await irfftOp.run(ctx, {
        x: complexTensor(Float32Array.from(bins), [rows, rfftBins(n)]),
        n,
      });
      expect(back.out.shape).toEqual([rows, n]);
      expectClose(
        back.out.data,
        (await cpu.irfft(complexTensor(bins, [rows, rfftBins(n)]), n)).data,
        tolerance,
        'irfft',
      );
      // Round trip on the GPU without reading back in between.
      const input = ctx.upload(Float32Array.from(x));
      const spectrum = recordRfft(ctx, input, rows, n);
      const samples = recordIrfft(ctx, spectrum, rows, n);
      expectClose(await ctx.read(samples), x, tolerance, 'irfft(rfft(x))');
      ctx.release(input, spectrum, samples);
    });
  });

  it.each([
    [80, 64],
    [80, 63],
    [80, 100],
    [5, 1],
  ])('rfft pads or truncates rows of %i to n = %i, irfft the bins likewise', async (width, n) => {
    const x = normal(3 * width, width + n);
    const X = await rfftOp.run(ctx, { x: tensor(Float32Array.from(x), [3, width]), n });
    expectClose(X.out.data, (await cpu.rfft(tensor(x, [3, width]), n)).data, tolerance, 'rfft');
    const bins = normal(2 * 3 * width, width * n);
    const back = await irfftOp.run(ctx, { x: complexTensor(Float32Array.from(bins), [3, width]), n });
    expectClose(
      back.out.data,
      (await cpu.irfft(complexTensor(bins, [3, width]), n)).data,
      tolerance,
      'irfft',
    );
  });

  it('rejects a bad n or shape, naming it', async () => {
    const x = tensor(new Float32Array(8), [2, 4]);
    await expect(rfftOp.run(ctx, { x, n: 0 })).rejects.toThrow(/\bn\b/);
    await expect(irfftOp.run(ctx, { x: tensor(new Float32Array(8), [8]), n: 4 })).rejects.toThrow(/\bx\b/);
  });

  it('reports its largest buffer', () => {
    const x = tensor(new Float32Array(3 * 100), [3, 100]);
    // Bluestein of the odd length 101 convolves at length 256.
    expect(rfftOp.largestBuffer({ x, n: 101 })).toBe(8 * 3 * 256);
    expect(irfftOp.largestBuffer({ x: complexTensor(new Float32Array(2 * 3 * 65), [3, 65]), n: 128 })).toBe(
      8 * 3 * 65,
    );
  });
});
