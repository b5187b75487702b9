import { expectGradients } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { paramTransform, paramTransformVjp, TRANSFORMS } from '../src/index';

describe('paramTransformVjp', () => {
  // Away from relu's kink at 0; across softplus's threshold at 20.
  const param = Float64Array.from([-3, -0.7, 0.4, 1.5, 19, 25]);
  const g = Float64Array.from([0.3, -1.2, 0.8, 2, -0.5, 1.1]);

  it.each(TRANSFORMS)('%s matches central differences', (transform) => {
    const grad = paramTransformVjp(param, transform, g);
    expectGradients((a) => paramTransform(a.param, transform), { param: Float64Array.from(param) }, g, {
      param: grad,
    });
  });

  it('follows torch at the kinks and checks its arguments', () => {
    expect(paramTransformVjp(Float64Array.from([0]), 'relu', Float64Array.from([1]))[0]).toBe(0);
    expect(paramTransformVjp(Float64Array.from([21]), 'softplus', Float64Array.from([2]))[0]).toBe(2);
    expect(paramTransformVjp(param, 'exp', new Float32Array(6))).toBeInstanceOf(Float32Array);
    expect(() => paramTransformVjp(param, 'exp', new Float64Array(2))).toThrow(/grad must hold 6 values/);
    expect(() => paramTransformVjp(param, 'tanh' as never, g)).toThrow(/transform/);
  });
});
