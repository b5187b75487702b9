import { tensor } from '@statespace/complex';
import { describe, expect, it } from 'vitest';
import { causalConv, causalConvDirect, fft, fftPlan, ifft, irfft, rfft, rfftPlan } from '../src/index';

describe('transform lengths', () => {
  it.each([0, -4, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects n = %s', (n) => {
    expect(() => fftPlan(n)).toThrow(RangeError);
    expect(() => fftPlan(n)).toThrow(/^n must be an integer ≥ 1; got/);
    expect(() => rfftPlan(n, 'float32')).toThrow(/^n must be an integer ≥ 1/);
    expect(() => fft(new Float64Array(8), n)).toThrow(/^n must be an integer ≥ 1/);
    expect(() => ifft(new Float64Array(8), n)).toThrow(/^n must be an integer ≥ 1/);
    expect(() => rfft(new Float64Array(8), n)).toThrow(/^n must be an integer ≥ 1/);
    expect(() => irfft(new Float64Array(8), n)).toThrow(/^n must be an integer ≥ 1/);
  });

  it('rejects an unknown dtype', () => {
    expect(() => fftPlan(8, 'float16' as 'float32')).toThrow(
      /^dtype must be one of 'float64', 'float32'; got 'float16'/,
    );
    expect(() => rfftPlan(8, 'int32' as 'float32')).toThrow(/^dtype must be one of/);
  });
});

describe('arrays', () => {
  it('rejects what is not a float typed array', () => {
    expect(() => fft([1, 0] as unknown as Float64Array)).toThrow(TypeError);
    expect(() => fft([1, 0] as unknown as Float64Array)).toThrow(
      /^x must be a Float64Array or Float32Array; got Array/,
    );
    expect(() => ifft(new Int32Array(2) as unknown as Float64Array)).toThrow(
      /^X must be a Float64Array or Float32Array; got Int32Array/,
    );
    expect(() => rfft(undefined as unknown as Float64Array)).toThrow(
      /^x must be a Float64Array or Float32Array; got undefined/,
    );
  });

  it('rejects odd-length complex arrays and empty inputs', () => {
    expect(() => fft(new Float64Array(7))).toThrow(
      /^x must hold interleaved complex values \(an even count of numbers\); got 7/,
    );
    expect(() => irfft(new Float32Array(5))).toThrow(/^X must hold interleaved complex values/);
    expect(() => fft(new Float64Array(0))).toThrow(/^x must hold at least one complex value/);
    expect(() => rfft(new Float64Array(0))).toThrow(/^x must hold at least one value/);
    expect(() => irfft(new Float64Array(2))).toThrow(/^X must hold at least 2 bins when n is not given/);
  });

  it('rejects arrays of the wrong length or precision for a plan', () => {
    const plan = fftPlan(8, 'float64');
    expect(() => plan.forward(new Float64Array(14))).toThrow(
      /^input must hold 8 complex values \(16 interleaved numbers\); got 14 numbers/,
    );
    expect(() => plan.forward(new Float64Array(16), new Float64Array(8))).toThrow(
      /^output must hold 8 complex values/,
    );
    expect(() => plan.inverse(new Float32Array(16) as unknown as Float64Array)).toThrow(TypeError);
    expect(() => plan.inverse(new Float32Array(16) as unknown as Float64Array)).toThrow(
      /^input must be a Float64Array \(float64\); got Float32Array/,
    );
    expect(() =>
      fftPlan(8, 'float32').forward(new Float32Array(16), new Float64Array(16) as unknown as Float32Array),
    ).toThrow(/^output must be a Float32Array \(float32\); got Float64Array/);
    expect(() => plan.forwardRows(new Float64Array(48), 2)).toThrow(/^input must hold 16 complex values/);
    expect(() => plan.forwardRows(new Float64Array(16), 0)).toThrow(/^rows must be an integer ≥ 1; got 0/);

    const real = rfftPlan(8, 'float32');
    expect(() => real.forward(new Float32Array(9))).toThrow(/^input must hold 8 real values; got 9/);
    expect(() => real.forward(new Float32Array(8), new Float32Array(8))).toThrow(
      /^output must hold 5 complex values/,
    );
    expect(() => real.inverse(new Float32Array(8))).toThrow(/^input must hold 5 complex values/);
    expect(() => real.inverse(new Float32Array(10), new Float32Array(10))).toThrow(
      /^output must hold 8 real values; got 10/,
    );
    expect(() => real.inverseRows(new Float32Array(10), 1.5)).toThrow(
      /^rows must be an integer ≥ 1; got 1.5/,
    );
  });
});

describe('causal convolution', () => {
  const u = tensor(new Float64Array(2 * 3 * 8), [2, 3, 8]);
  const k = tensor(new Float64Array(3 * 4), [3, 4]);
  const convs = [
    ['causalConv', causalConv],
    ['causalConvDirect', causalConvDirect],
  ] as const;

  it.each(convs)('%s: rejects bad shapes', (_, conv) => {
    expect(() => conv(tensor(new Float64Array(24), [3, 8]), k)).toThrow(
      /^u must have shape \[B, H, L\]; got \[3, 8\]/,
    );
    expect(() => conv(u, tensor(new Float64Array(12), [12]))).toThrow(
      /^k must have shape \[H, Lk\]; got \[12\]/,
    );
    expect(() => conv(u, tensor(new Float64Array(8), [2, 4]))).toThrow(
      /^k must have one row per channel of u \(H = 3\); got 2 rows/,
    );
    expect(() => conv(u, tensor(new Float64Array(0), [3, 0]))).toThrow(
      /^k must have at least one tap per channel; got Lk = 0/,
    );
    expect(() => conv(tensor(new Float64Array(0), [2, 3, 0]), k)).toThrow(
      /^u must have H ≥ 1 channels and length L ≥ 1/,
    );
    expect(() => conv({ data: new Float64Array(47), shape: [2, 3, 8] }, k)).toThrow(
      /^u.data must hold 48 values; got 47/,
    );
    expect(() => conv(u, { data: new Float64Array(11), shape: [3, 4] })).toThrow(
      /^k.data must hold 12 values; got 11/,
    );
  });

  it.each(convs)('%s: rejects a bad D', (_, conv) => {
    expect(() => conv(u, k, { D: new Float64Array(2) })).toThrow(/^D must hold 3 values; got 2/);
    expect(() => conv(u, k, { D: new Float32Array(3) as unknown as Float64Array })).toThrow(
      /^D must have the precision of u.data \(float64\); got Float32Array/,
    );
  });

  it.each(convs)('%s: rejects mixed precisions', (_, conv) => {
    expect(() => conv(u, tensor(new Float32Array(12), [3, 4]) as unknown as typeof k)).toThrow(
      /^k.data must have the precision of u.data \(float64\); got Float32Array/,
    );
    expect(() => conv(tensor([1, 2, 3] as unknown as Float64Array, [1, 3, 1]), k)).toThrow(
      /^u.data must be a Float64Array or Float32Array; got Array/,
    );
  });

  it.each(convs)('%s: rejects non-finite values', (_, conv) => {
    const bad = new Float64Array(48);
    bad[17] = Number.NaN;
    expect(() => conv(tensor(bad, [2, 3, 8]), k)).toThrow(/^u.data must be finite; found NaN at index 17/);
    const badK = new Float64Array(12);
    badK[3] = Number.POSITIVE_INFINITY;
    expect(() => conv(u, tensor(badK, [3, 4]))).toThrow(/^k.data must be finite; found Infinity at index 3/);
    expect(() => conv(u, k, { D: Float64Array.from([0, Number.NEGATIVE_INFINITY, 0]) })).toThrow(
      /^D must be finite; found -Infinity at index 1/,
    );
  });

  it('rejects an unknown method', () => {
    expect(() => causalConv(u, k, { method: 'winograd' as 'fft' })).toThrow(
      /^method must be one of 'auto', 'fft', 'direct'; got 'winograd'/,
    );
  });
});
