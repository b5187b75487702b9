import { describe, expect, it } from 'vitest';
import { fastLength } from '../src/index';

function smooth(n: number): boolean {
  let rest = n;
  for (const p of [2, 3, 5]) while (rest % p === 0) rest /= p;
  return rest === 1;
}

describe('fastLength', () => {
  it('returns a 2^a·3^b·5^c length no shorter than n and no longer than the next power of two', () => {
    for (let n = 1; n <= 5000; n += 7) {
      const m = fastLength(n);
      let pow2 = 1;
      while (pow2 < n) pow2 *= 2;
      expect(smooth(m), `fastLength(${n}) = ${m}`).toBe(true);
      expect(m).toBeGreaterThanOrEqual(n);
      expect(m).toBeLessThanOrEqual(pow2);
    }
  });

  it('keeps fast lengths and prefers cheap radices', () => {
    expect(fastLength(1)).toBe(1);
    expect(fastLength(4096)).toBe(4096);
    expect(fastLength(4097)).toBe(4608);
    // 1000 = 2³·5³ needs three radix-5 passes; 1024 is cheaper
    expect(fastLength(1000)).toBe(1024);
  });
});
