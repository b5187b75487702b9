import { createRng } from '@statespace/complex';
import { expectGradients } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { Linear, linearVjp } from '../src/index';

describe('linearVjp', () => {
  it('x, weight and bias match central differences of Linear.forwardRows', () => {
    const rng = createRng(2);
    const rows = 5;
    const linear = new Linear({ d_input: 3, d_output: 4, dtype: 'float64', seed: 1 });
    const inputs = {
      x: Float64Array.from({ length: rows * 3 }, () => rng.normal()),
      weight: linear.weight.data as Float64Array,
      bias: linear.bias?.data as Float64Array,
    };
    const g = Float64Array.from({ length: rows * 4 }, () => rng.normal());
    const grads = linearVjp(inputs.x, inputs.weight, rows, 3, 4, g);
    expectGradients((a) => linear.forwardRows(a.x, rows), inputs, g, {
      x: grads.x,
      weight: grads.weight,
      bias: grads.bias,
    });
  });

  it('rejects arrays of the wrong size, naming them', () => {
    expect(() => linearVjp(new Float64Array(6), new Float64Array(12), 2, 3, 4, new Float64Array(7))).toThrow(
      /grad must hold 8 values/,
    );
  });
});
