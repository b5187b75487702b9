import { expectClose } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { invTransform, paramTransform, TRANSFORM_FLOOR, TRANSFORMS } from '../src/index';

const values = Float64Array.of(1e-4, 2e-3, 0.05, 0.3, 0.9, 1.7, 12, 40);

describe('param_transform / inv_transform', () => {
  it.each(['none', 'exp', 'softplus'] as const)(
    '%s: paramTransform(invTransform(v)) = v for v ≥ 1e-4',
    (t) => {
      expectClose(paramTransform(invTransform(values, t), t), values, 1e-14, t);
    },
  );

  it('sigmoid: the round trip holds for 1e-4 ≤ v < 1', () => {
    const v = values.filter((x) => x < 1);
    expectClose(paramTransform(invTransform(v, 'sigmoid'), 'sigmoid'), v, 1e-13, 'sigmoid');
  });

  it.each(['none', 'exp', 'softplus', 'sigmoid'] as const)('%s: invTransform(paramTransform(p)) = p', (t) => {
    const p = Float64Array.of(-3, -0.5, 0.1, 2);
    // Stored values whose transform is ≥ 1e-4 (none: only the positive ones).
    const ok = t === 'none' ? p.filter((x) => x >= TRANSFORM_FLOOR) : p;
    expectClose(invTransform(paramTransform(ok, t), t), ok, 1e-13, t);
  });

  it('relu: forward is relu(p) + 1e-4, inverse only clamps, so the round trip adds 1e-4', () => {
    expectClose(paramTransform(Float64Array.of(-2, 0, 0.5), 'relu'), [1e-4, 1e-4, 0.5001], 1e-15, 'relu');
    expect(Array.from(invTransform(Float64Array.of(0.5, 1e-6), 'relu'))).toEqual([0.5, 1e-4]);
    expectClose(
      paramTransform(invTransform(values, 'relu'), 'relu'),
      values.map((v) => v + 1e-4),
      1e-15,
      'relu',
    );
  });

  it('inv_transform clamps to ≥ 1e-4 first', () => {
    const small = Float64Array.of(0, -5, 1e-7);
    for (const t of TRANSFORMS) {
      const expected = invTransform(Float64Array.of(1e-4, 1e-4, 1e-4), t);
      expect(Array.from(invTransform(small, t))).toEqual(Array.from(expected));
    }
    expect(invTransform(small, 'exp')[0]).toBeCloseTo(Math.log(1e-4), 15);
  });

  it('softplus is log(1 + e^p) and its inverse log(e^v − 1), also for large values', () => {
    const p = Float64Array.of(-30, -1, 0, 1, 19, 25, 800);
    const sp = paramTransform(p, 'softplus');
    expectClose(
      sp.subarray(0, 5),
      [...p.subarray(0, 5)].map((x) => Math.log(1 + Math.exp(x))),
      1e-15,
      'softplus',
    );
    expect(sp[5]).toBe(25); // torch threshold: p above 20 passes through
    expect(sp[6]).toBe(800);
    const v = Float64Array.of(1e-3, 0.5, 3, 15);
    expectClose(
      invTransform(v, 'softplus'),
      [...v].map((x) => Math.log(Math.exp(x) - 1)),
      1e-13,
      'inverse',
    );
    expect(invTransform(Float64Array.of(1000), 'softplus')[0]).toBe(1000); // finite where e^v overflows
  });

  it('exp and sigmoid match their definitions', () => {
    const p = Float64Array.of(-2, 0, 3);
    expectClose(paramTransform(p, 'exp'), [...p].map(Math.exp), 1e-16, 'exp');
    expectClose(
      paramTransform(p, 'sigmoid'),
      [...p].map((x) => 1 / (1 + Math.exp(-x))),
      1e-16,
      'sigmoid',
    );
    expectClose(invTransform(Float64Array.of(0.25), 'sigmoid'), [Math.log(1 / 3)], 1e-15, 'logit');
  });

  it('keeps float32 and writes into out (aliasing allowed)', () => {
    const p = Float32Array.of(0.1, 0.2);
    const out = paramTransform(p, 'exp');
    expect(out).toBeInstanceOf(Float32Array);
    expect(invTransform(p, 'exp', p)).toBe(p);
    expect(p[0]).toBeCloseTo(Math.log(0.1), 6);
  });
});
