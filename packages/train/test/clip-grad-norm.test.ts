import { expect, it } from 'vitest';
import { clipGradNorm } from '../src/index';

it('scales every gradient by maxNorm/(norm + 1e-6) when the global norm exceeds maxNorm', () => {
  const grads = new Map([
    ['a', Float64Array.of(3, 0)],
    ['b', Float64Array.of(0, 4)],
  ]);
  expect(clipGradNorm(grads, 1)).toBe(5);
  const c = 1 / (5 + 1e-6);
  expect([...(grads.get('a') as Float64Array), ...(grads.get('b') as Float64Array)]).toEqual([
    3 * c,
    0,
    0,
    4 * c,
  ]);
});

it('leaves gradients below the limit unchanged and rejects a bad limit', () => {
  const grads = new Map([['a', Float64Array.of(0.3, 0.4)]]);
  expect(clipGradNorm(grads, 1)).toBeCloseTo(0.5, 15);
  expect([...(grads.get('a') as Float64Array)]).toEqual([0.3, 0.4]);
  expect(() => clipGradNorm(grads, -1)).toThrow(/maxNorm must be a finite number ≥ 0/);
});
