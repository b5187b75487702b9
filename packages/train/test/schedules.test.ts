import { expect, it } from 'vitest';
import { constantWithWarmup, cosineWithWarmup, ReduceOnPlateau } from '../src/index';

it('cosine with warmup: linear ramp, then half a cosine to 0 (HF get_cosine_schedule_with_warmup)', () => {
  const s = cosineWithWarmup({ warmupSteps: 10, totalSteps: 110 });
  expect(s.factor(0)).toBe(0);
  expect(s.factor(5)).toBe(0.5);
  expect(s.factor(10)).toBe(1);
  expect(s.factor(35)).toBeCloseTo((1 + Math.SQRT1_2) / 2, 15);
  expect(s.factor(60)).toBeCloseTo(0.5, 15);
  expect(s.factor(110)).toBe(0);
  const floor = cosineWithWarmup({ totalSteps: 100, minFactor: 0.1 });
  expect(floor.factor(0)).toBe(1);
  expect(floor.factor(50)).toBeCloseTo(0.55, 15);
  expect(floor.factor(100)).toBeCloseTo(0.1, 15);
  expect(() => cosineWithWarmup({ totalSteps: -1 })).toThrow(/totalSteps must be an integer ≥ 0/);
});

it('constant with warmup', () => {
  const s = constantWithWarmup({ warmupSteps: 4 });
  expect([0, 1, 2, 3, 4, 100].map((k) => s.factor(k))).toEqual([0, 0.25, 0.5, 0.75, 1, 1]);
});

it('reduces on plateau as torch ReduceLROnPlateau (min mode, relative threshold, cooldown)', () => {
  const plateau = new ReduceOnPlateau({ factor: 0.5, patience: 1, cooldown: 1 });
  // 1 best; 0.99995 is within the 1e-4 relative threshold (bad 1); 1.2 (bad 2 > patience: ×0.5);
  // cooldown swallows the next bad one; then two more bad ones reduce again.
  const seen = [1, 0.99995, 1.2, 1.1, 1.1, 1.1, 0.5].map((m) => plateau.observe(m));
  expect(seen).toEqual([1, 1, 0.5, 0.5, 0.5, 0.25, 0.25]);
  expect(plateau.stateDict()).toEqual({ best: 0.5, badEpochs: 0, cooldownCounter: 0, multiplier: 0.25 });
});

it('max mode waits `patience` epochs without improvement, and restores its counters', () => {
  const plateau = new ReduceOnPlateau({ mode: 'max', factor: 0.2, patience: 2 });
  expect([0.5, 0.6, 0.6, 0.59, 0.6].map((m) => plateau.observe(m))).toEqual([1, 1, 1, 1, 0.2]);
  const copy = new ReduceOnPlateau({ mode: 'max', factor: 0.2, patience: 2 });
  copy.loadStateDict(plateau.stateDict());
  expect(copy.observe(0.7)).toBe(0.2);
  expect(plateau.observe(0.7)).toBe(0.2);
  expect(() => new ReduceOnPlateau({ mode: 'up' as 'max' })).toThrow(/'min', 'max'/);
  expect(() => plateau.observe(Number.NaN)).toThrow(/metric must be a finite number/);
});
