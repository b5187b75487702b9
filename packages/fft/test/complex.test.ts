import { expectClose, relativeError, TOLERANCE } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { clearPlanCache, fft, fftPlan, ifft } from '../src/index';
import { dft, pick, randomArray } from './reference';

// Every pass kind: radix 4, 2, 3, 5, odd radices (7, 11, 61), and Bluestein (67, 97, 4097, 10007).
const DIRECT_SIZES = [
  1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 15, 16, 25, 27, 32, 49, 61, 67, 77, 97, 121, 128, 183, 243, 360, 512, 784,
  1000, 1024, 2048, 4097,
];
// Too long for the full O(n²) reference: a seeded subset of bins is checked directly.
const SAMPLED_SIZES = [10007, 16384, 16385, 65536];
const F64 = 1e-12;

function sampleBins(n: number, count: number, seed: number): number[] {
  const r = randomArray(count, seed);
  return [0, 1, n - 1, n >> 1, ...Array.from(r, (v) => Math.floor(Math.abs(v * 7919)) % n)];
}

describe('complex FFT against the direct DFT (float64)', () => {
  it.each(DIRECT_SIZES)('n = %i: forward and inverse', (n) => {
    const x = randomArray(2 * n, n);
    const X = fft(x);
    expectClose(X, dft(x, -1), F64, `fft n=${n}`);
    const inverse = ifft(x);
    const expected = dft(x, 1).map((v) => v / n);
    expectClose(inverse, expected, F64, `ifft n=${n}`);
  });

  it.each(SAMPLED_SIZES)('n = %i: sampled bins and round trip', (n) => {
    const x = randomArray(2 * n, n);
    const X = fft(x);
    const bins = sampleBins(n, 24, n + 1);
    expectClose(pick(X, bins), dft(x, -1, bins), F64, `fft n=${n}`);
    expectClose(ifft(X), x, F64, `round trip n=${n}`);
  });
});

describe('complex FFT properties', () => {
  it.each([7, 1000, 1024, 4097])('n = %i: round trip and Parseval', (n) => {
    const x = randomArray(2 * n, 3 * n);
    const X = fft(x);
    expectClose(ifft(X), x, F64, 'ifft(fft(x))');
    expectClose(fft(ifft(x)), x, F64, 'fft(ifft(x))');
    let energy = 0;
    let spectral = 0;
    for (let i = 0; i < x.length; i++) {
      energy += x[i] * x[i];
      spectral += X[i] * X[i];
    }
    expect(Math.abs(spectral / n - energy) / energy).toBeLessThan(1e-13);
  });

  it('is linear and maps an impulse to a constant', () => {
    const n = 12;
    const impulse = new Float64Array(2 * n);
    impulse[2 * 3] = 1;
    const X = fft(impulse);
    for (let k = 0; k < n; k++) {
      expect(X[2 * k]).toBeCloseTo(Math.cos((2 * Math.PI * 3 * k) / n), 14);
      expect(X[2 * k + 1]).toBeCloseTo(-Math.sin((2 * Math.PI * 3 * k) / n), 14);
    }
    const a = randomArray(2 * n, 1);
    const b = randomArray(2 * n, 2);
    const sum = fft(a.map((v, i) => 2 * v - b[i]));
    const fa = fft(a);
    const fb = fft(b);
    expectClose(
      sum,
      fa.map((v, i) => 2 * v - fb[i]),
      F64,
      'linearity',
    );
  });

  it('pads and truncates to n as numpy', () => {
    const x = randomArray(2 * 10, 5);
    const padded = new Float64Array(2 * 16);
    padded.set(x);
    expectClose(fft(x, 16), dft(padded, -1), F64, 'fft(x, 16)');
    expectClose(fft(x, 6), dft(x.subarray(0, 12), -1), F64, 'fft(x, 6)');
    expectClose(
      ifft(x, 16),
      dft(padded, 1).map((v) => v / 16),
      F64,
      'ifft(x, 16)',
    );
    expectClose(
      ifft(x, 6),
      dft(x.subarray(0, 12), 1).map((v) => v / 6),
      F64,
      'ifft(x, 6)',
    );
    expect(x).toEqual(randomArray(2 * 10, 5));
  });
});

describe('float32', () => {
  it.each([1, 5, 784, 1000, 1024, 4097, 16384])('n = %i: within 1e-4 of float64', (n) => {
    const x64 = randomArray(2 * n, 7 * n);
    const x32 = Float32Array.from(x64);
    const X32 = fft(x32);
    expect(X32).toBeInstanceOf(Float32Array);
    expectClose(X32, fft(Float64Array.from(x32)), TOLERANCE.float32, `fft float32 n=${n}`);
    const back = ifft(X32);
    expect(back).toBeInstanceOf(Float32Array);
    expectClose(back, x32, TOLERANCE.float32, `round trip float32 n=${n}`);
  });

  it('computes in double precision, rounding once', () => {
    const x32 = Float32Array.from(randomArray(2 * 4096, 11));
    const X32 = fft(x32);
    expect(relativeError(X32, fft(Float64Array.from(x32)))).toBeLessThan(1e-7);
  });
});

describe('plans', () => {
  it('are cached per length and dtype', () => {
    const a = fftPlan(1000, 'float64');
    expect(fftPlan(1000, 'float64')).toBe(a);
    expect(fftPlan(1000)).toBe(a);
    const b = fftPlan(1000, 'float32');
    expect(b).not.toBe(a);
    expect(b.dtype).toBe('float32');
    expect(fftPlan(1000, 'float32')).toBe(b);
    clearPlanCache();
    expect(fftPlan(1000, 'float64')).not.toBe(a);
  });

  it.each(['float64', 'float32'] as const)('%s: write into output, in place, and by rows', (dtype) => {
    const n = 48;
    const rows = 5;
    const plan = fftPlan(n, dtype);
    const make = (v: Float64Array) => (dtype === 'float64' ? v : Float32Array.from(v));
    const x = make(randomArray(2 * n * rows, 13));
    const out = make(new Float64Array(2 * n * rows));
    expect(plan.forwardRows(x, rows, out)).toBe(out);
    for (let r = 0; r < rows; r++) {
      const row = x.subarray(2 * n * r, 2 * n * (r + 1));
      expectClose(out.subarray(2 * n * r, 2 * n * (r + 1)), plan.forward(row), 0, `row ${r}`);
    }
    const back = plan.inverseRows(out, rows);
    expectClose(back, x, dtype === 'float64' ? F64 : TOLERANCE.float32, 'inverseRows');

    const row = x.slice(0, 2 * n);
    const expected = plan.forward(row);
    expect(plan.forward(row, row)).toBe(row);
    expectClose(row, expected, 0, 'in place');
    plan.inverse(row, row);
    expectClose(row, x.subarray(0, 2 * n), dtype === 'float64' ? F64 : TOLERANCE.float32, 'inverse in place');
  });

  it.each([1, 2, 3, 4, 5, 7, 16, 48, 97])('n = %i: in place and into an overlapping view', (n) => {
    const plan = fftPlan(n);
    const x = randomArray(2 * n, 41 * n);
    const expected = plan.forward(x);
    const inPlace = x.slice();
    plan.forward(inPlace, inPlace);
    expectClose(inPlace, expected, 0, 'in place');
    // output starts half-way into the input, in the same buffer
    const buffer = new Float64Array(4 * n);
    buffer.set(x);
    const overlapping = buffer.subarray(n + (n % 2), 3 * n + (n % 2));
    plan.forward(buffer.subarray(0, 2 * n), overlapping);
    expectClose(overlapping, expected, 0, 'overlapping');
  });

  it('leaves the input untouched', () => {
    for (const n of [4, 8, 16, 97]) {
      const x = randomArray(2 * n, n);
      const copy = x.slice();
      fftPlan(n).forward(x);
      fftPlan(n).inverse(x);
      expect(x).toEqual(copy);
    }
  });
});
