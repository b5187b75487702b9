import { describe, expect, it } from 'vitest';
import {
  complexFromParts,
  complexLength,
  complexTensor,
  complexZeros,
  conjExpand,
  createRng,
  getComplex,
  imagPart,
  imagView,
  realPart,
  realView,
  setComplex,
  sizeOf,
  sumTwiceReal,
  tensor,
  twiceReal,
} from '../src/index';

describe('interleaved arrays', () => {
  it('builds from parts and reads back parts', () => {
    const z = complexFromParts([1, 2, 3], [4, 5, 6], 'float64');
    expect(Array.from(z)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(complexLength(z)).toBe(3);
    expect(Array.from(realPart(z))).toEqual([1, 2, 3]);
    expect(Array.from(imagPart(z))).toEqual([4, 5, 6]);
    expect(getComplex(z, 1)).toEqual({ re: 2, im: 5 });
    expect(complexFromParts([1], undefined, 'float32')).toBeInstanceOf(Float32Array);
    expect(() => complexFromParts([1, 2], [1], 'float64')).toThrow(/im must have the length of re/);
  });

  it('views write through to storage', () => {
    const z = complexZeros(2, 'float32');
    realView(z).set(1, 7);
    imagView(z).set(0, -3);
    setComplex(z, 0, { re: 1, im: imagView(z).get(0) });
    expect(Array.from(z)).toEqual([1, -3, 7, 0]);
    expect(realView(z).length).toBe(2);
  });
});

describe('conjugate pairs', () => {
  const half = complexFromParts([1, 2, 3, 4], [0.5, -1, 2, 0], 'float64');

  it('expands each row to [x, conj x]', () => {
    const full = conjExpand(half, 2);
    expect(Array.from(full)).toEqual([1, 0.5, 2, -1, 1, -0.5, 2, 1, 3, 2, 4, 0, 3, -2, 4, -0]);
  });

  it('2·Re sums equal the full conjugate-symmetric sums', () => {
    expect(Array.from(twiceReal(half))).toEqual([2, 4, 6, 8]);
    expect(Array.from(sumTwiceReal(half, 2))).toEqual([6, 14]);
    expect(() => sumTwiceReal(half, 3)).toThrow(/rows must be a positive integer dividing 4/);
  });
});

describe('tensors', () => {
  it('checks data length against the shape', () => {
    expect(sizeOf([2, 3, 4])).toBe(24);
    expect(sizeOf([])).toBe(1);
    expect(tensor(new Float64Array(6), [2, 3]).shape).toEqual([2, 3]);
    expect(() => tensor(new Float64Array(5), [2, 3])).toThrow(/needs 6/);
    expect(() => complexTensor(new Float32Array(6), [2, 3])).toThrow(/3 complex values .* needs 6/);
    expect(() => tensor(new Float64Array(0), [-1])).toThrow(/non-negative integers/);
  });
});

describe('seeded random numbers', () => {
  it('repeats a stream for a seed and has the right moments', () => {
    const a = createRng(42);
    const b = createRng(42);
    const xs = Array.from({ length: 20000 }, () => a.normal());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b.normal()));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
    const u = createRng(1).uniform();
    expect(u).toBeGreaterThanOrEqual(0);
    expect(u).toBeLessThan(1);
    expect(() => createRng(0.5)).toThrow(/seed must be an integer/);
  });
});
