import { complexTensor, createRng, tensor } from '@statespace/complex';
import { dplr } from '@statespace/hippo';
import { expectGradients } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { cTildeFromC, cTildeFromCVjp } from '../src/index';

describe('cTildeFromCVjp', () => {
  it('matches central differences with respect to C', () => {
    const rng = createRng(25);
    const H = 2;
    const N2 = 4;
    const { A, P, B } = dplr('legs', 2 * N2, { H });
    const system = { Lambda: A, P, B, dt: tensor(Float64Array.from([0.05, 0.2]), [H]) };
    const inputs = { C: Float64Array.from({ length: 2 * 2 * H * N2 }, () => rng.normal()) };
    const g = Float64Array.from({ length: inputs.C.length }, () => rng.normal());
    const grad = cTildeFromCVjp(system, complexTensor(g, [2, H, N2]), 16);
    expect(grad.shape).toEqual([2, H, N2]);
    expectGradients((a) => cTildeFromC(system, complexTensor(a.C, [2, H, N2]), 16).data, inputs, g, {
      C: grad.data,
    });
  });

  it('names a grad of the wrong shape', () => {
    const { A, P, B } = dplr('legs', 4, { H: 1 });
    const system = { Lambda: A, P, B, dt: tensor(Float64Array.from([0.1]), [1]) };
    expect(() => cTildeFromCVjp(system, complexTensor(new Float64Array(6), [1, 1, 3]), 8)).toThrow(
      /grad must have shape \[channels, 1, 2\]/,
    );
  });
});
