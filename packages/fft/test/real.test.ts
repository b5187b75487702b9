import { expectClose, TOLERANCE } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { fft, ifft, irfft, rfft, rfftPlan } from '../src/index';
import { asComplex, randomArray } from './reference';

const F64 = 1e-12;

/** The first ⌊n/2⌋ + 1 bins of the complex FFT of real x. */
function halfSpectrum(x: Float64Array): Float64Array {
  return fft(asComplex(x)).slice(0, 2 * ((x.length >> 1) + 1));
}

/** The real parts of ifft of the Hermitian extension of `bins` to n (numpy's irfft). */
function hermitianInverse(bins: Float64Array, n: number): Float64Array {
  const full = new Float64Array(2 * n);
  const count = Math.min(bins.length / 2, (n >> 1) + 1);
  for (let k = 0; k < count; k++) {
    // bin 0 and the Nyquist bin of a real signal are real
    const real = k === 0 || 2 * k === n;
    full[2 * k] = bins[2 * k];
    full[2 * k + 1] = real ? 0 : bins[2 * k + 1];
    if (k > 0 && !real) {
      full[2 * (n - k)] = bins[2 * k];
      full[2 * (n - k) + 1] = -bins[2 * k + 1];
    }
  }
  const x = ifft(full);
  return Float64Array.from({ length: n }, (_, j) => x[2 * j]);
}

const SIZES = [1, 2, 3, 4, 5, 6, 7, 8, 10, 15, 16, 98, 99, 784, 1000, 1024, 1025, 4097, 4098, 16384];

describe('rfft and irfft against the complex FFT (float64)', () => {
  it.each(SIZES)('n = %i', (n) => {
    const x = randomArray(n, 17 * n);
    const X = rfft(x);
    expect(X.length).toBe(2 * ((n >> 1) + 1));
    expectClose(X, halfSpectrum(x), F64, `rfft n=${n}`);
    expectClose(irfft(X, n), x, F64, `irfft(rfft(x), n) n=${n}`);
    // bins of a general (non-Hermitian) spectrum: numpy's irfft ignores what cannot be real
    const bins = randomArray(X.length, 19 * n);
    expectClose(irfft(bins, n), hermitianInverse(bins, n), F64, `irfft n=${n}`);
  });
});

describe('the n argument', () => {
  const x = randomArray(10, 23);

  it('rfft zero-pads and truncates the input to n samples', () => {
    const padded = new Float64Array(16);
    padded.set(x);
    expectClose(rfft(x, 16), halfSpectrum(padded), F64, 'rfft(x, 16)');
    expectClose(rfft(x, 15), halfSpectrum(padded.subarray(0, 15)), F64, 'rfft(x, 15)');
    expectClose(rfft(x, 7), halfSpectrum(x.slice(0, 7)), F64, 'rfft(x, 7)');
    expectClose(rfft(x, 6), halfSpectrum(x.slice(0, 6)), F64, 'rfft(x, 6)');
    expect(rfft(x, 16).length).toBe(2 * 9);
    expect(rfft(x, 15).length).toBe(2 * 8);
  });

  it('irfft defaults to n = 2·(bins − 1)', () => {
    const X = rfft(x);
    expect(irfft(X).length).toBe(10);
    expectClose(irfft(X), x, F64, 'irfft(rfft(x))');
    // an odd-length signal needs its n
    const odd = x.slice(0, 9);
    expect(irfft(rfft(odd)).length).toBe(8);
    expectClose(irfft(rfft(odd), 9), odd, F64, 'irfft(rfft(x), 9)');
  });

  it('irfft uses the first ⌊n/2⌋ + 1 bins, zero-padding if fewer', () => {
    const bins = randomArray(2 * 6, 29);
    for (const n of [4, 5, 10, 11, 16, 17]) {
      expectClose(irfft(bins, n), hermitianInverse(bins, n), F64, `irfft(X, ${n})`);
    }
  });

  it('ignores the imaginary parts of the DC and Nyquist bins, as numpy', () => {
    const bins = Float64Array.from([1, 5, 2, -1, 3, 7]);
    expectClose(irfft(bins), irfft(Float64Array.from([1, 0, 2, -1, 3, 0])), F64, 'even n');
    expectClose(irfft(bins, 5), irfft(Float64Array.from([1, 0, 2, -1, 3, 7]), 5), F64, 'odd n');
  });
});

describe('float32', () => {
  it.each([1, 6, 7, 784, 1000, 1024, 4097, 16384])('n = %i: within 1e-4 of float64', (n) => {
    const x32 = Float32Array.from(randomArray(n, 31 * n));
    const X32 = rfft(x32);
    expect(X32).toBeInstanceOf(Float32Array);
    expectClose(X32, rfft(Float64Array.from(x32)), TOLERANCE.float32, `rfft float32 n=${n}`);
    const back = irfft(X32, n);
    expect(back).toBeInstanceOf(Float32Array);
    expectClose(back, x32, TOLERANCE.float32, `irfft float32 n=${n}`);
  });
});

describe('real plans', () => {
  it('are cached per length and dtype', () => {
    expect(rfftPlan(1000, 'float32')).toBe(rfftPlan(1000, 'float32'));
    expect(rfftPlan(1000)).toBe(rfftPlan(1000, 'float64'));
    expect(rfftPlan(1000)).not.toBe(rfftPlan(1000, 'float32'));
    expect(rfftPlan(1001).bins).toBe(501);
    expect(rfftPlan(1000).bins).toBe(501);
  });

  it.each([
    [64, 'float64'],
    [63, 'float64'],
    [64, 'float32'],
    [63, 'float32'],
  ] as const)('n = %i, %s: rows and output arrays', (n, dtype) => {
    const plan = rfftPlan(n, dtype);
    const rows = 3;
    const make = (v: Float64Array) => (dtype === 'float64' ? v : Float32Array.from(v));
    const x = make(randomArray(n * rows, n));
    const X = make(new Float64Array(2 * plan.bins * rows));
    expect(plan.forwardRows(x, rows, X)).toBe(X);
    for (let r = 0; r < rows; r++) {
      const row = plan.forward(x.subarray(n * r, n * (r + 1)));
      expectClose(X.subarray(2 * plan.bins * r, 2 * plan.bins * (r + 1)), row, 0, `row ${r}`);
    }
    const back = make(new Float64Array(n * rows));
    expect(plan.inverseRows(X, rows, back)).toBe(back);
    expectClose(back, x, dtype === 'float64' ? F64 : TOLERANCE.float32, 'inverseRows');
  });
});

describe('rows shorter than n (zero-padded forward, truncated inverse)', () => {
  // Powers of two take the pruned first and last passes when length ≤ n/2; 8194 and 1000 do not
  // (their last pass is radix 2 or 5), 99 is odd, 2·4097 goes through Bluestein.
  it.each([
    [8, 4],
    [8192, 4096],
    [8192, 4095],
    [8192, 1],
    [8192, 4097],
    [4096, 2048],
    [8194, 4097],
    [1000, 400],
    [99, 40],
    [8194, 100],
  ])('n = %i, length %i: equal to padding the rows and truncating the result (float64)', (n, length) => {
    const plan = rfftPlan(n);
    const rows = 3;
    const x = randomArray(rows * length, n + length);
    const padded = new Float64Array(rows * n);
    for (let r = 0; r < rows; r++) padded.set(x.subarray(r * length, (r + 1) * length), r * n);
    const X = plan.forwardRows(x, rows, undefined, length);
    expectClose(X, plan.forwardRows(padded, rows), F64, 'forwardRows(x, rows, _, length)');
    const full = plan.inverseRows(X, rows);
    const back = plan.inverseRows(X, rows, undefined, length);
    expect(back.length).toBe(rows * length);
    for (let r = 0; r < rows; r++) {
      expectClose(
        back.subarray(r * length, (r + 1) * length),
        full.subarray(r * n, r * n + length),
        F64,
        `row ${r}`,
      );
      expectClose(
        back.subarray(r * length, (r + 1) * length),
        x.subarray(r * length, (r + 1) * length),
        F64,
        `round trip ${r}`,
      );
    }
  });

  it('a short row after a longer one is padded with zeros again (staging reused)', () => {
    const plan = rfftPlan(64);
    const long = randomArray(50, 1);
    const short = randomArray(10, 2);
    plan.forwardRows(long, 1, undefined, 50);
    plan.inverseRows(plan.forwardRows(long, 1, undefined, 50), 1, undefined, 20);
    const padded = new Float64Array(64);
    padded.set(short);
    expectClose(plan.forwardRows(short, 1, undefined, 10), halfSpectrum(padded), F64, 'after a longer row');
  });

  it.each([
    [8192, 4096],
    [99, 40],
  ])('n = %i, length %i: float32 within 1e-4 of float64', (n, length) => {
    const plan = rfftPlan(n, 'float32');
    const x32 = Float32Array.from(randomArray(2 * length, 3));
    const X32 = plan.forwardRows(x32, 2, undefined, length);
    expect(X32).toBeInstanceOf(Float32Array);
    expectClose(
      X32,
      rfftPlan(n).forwardRows(Float64Array.from(x32), 2, undefined, length),
      TOLERANCE.float32,
      'forward',
    );
    const back = plan.inverseRows(X32, 2, undefined, length);
    expect(back).toBeInstanceOf(Float32Array);
    expectClose(back, x32, TOLERANCE.float32, 'inverse');
  });

  it('rejects a length outside 1 … n, and arrays of other sizes', () => {
    const plan = rfftPlan(16);
    expect(() => plan.forwardRows(new Float64Array(17), 1, undefined, 17)).toThrow(/length must be ≤ n = 16/);
    expect(() => plan.inverseRows(new Float64Array(18), 1, undefined, 0)).toThrow(
      /length must be an integer ≥ 1/,
    );
    expect(() => plan.forwardRows(new Float64Array(16), 2, undefined, 10)).toThrow(
      /input must hold 20 real values/,
    );
    expect(() => plan.inverseRows(new Float64Array(18), 1, new Float64Array(16), 10)).toThrow(
      /output must hold 10 real values/,
    );
  });
});
