import { complexTensor, createRng, tensor } from '@statespace/complex';
import { dplr } from '@statespace/hippo';
import { expectClose } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { cFromCTilde, cTildeFromC, doubleCTilde } from '../src/c-tilde';
import type { DplrSystem } from '../src/dplr-system';

function legsSystem(H: number, N: number): DplrSystem {
  const { A, P, B } = dplr('legs', N, { H });
  const dt = tensor(
    Float64Array.from({ length: H }, (_, h) => 0.01 * (h + 1)),
    [H],
  );
  return { Lambda: A, P, B, dt };
}

function randomC(channels: number, H: number, N2: number, seed: number) {
  const rng = createRng(seed);
  return complexTensor(
    Float64Array.from({ length: 2 * channels * H * N2 }, () => rng.normal()),
    [channels, H, N2],
  );
}

describe('C̃ conversions', () => {
  const system = legsSystem(2, 16);
  const C = randomC(2, 2, 8, 1);

  it('recovers C from C̃ (round trip)', () => {
    const back = cFromCTilde(system, cTildeFromC(system, C, 64), 64);
    expect(back.shape).toEqual([2, 2, 16]);
    // The first half of each full-state row is C itself, the second its conjugate.
    const half = new Float64Array(C.data.length);
    const conjugates = new Float64Array(C.data.length);
    for (let row = 0; row < 4; row++) {
      for (let n = 0; n < 8; n++) {
        half[2 * (row * 8 + n)] = back.data[2 * (row * 16 + n)];
        half[2 * (row * 8 + n) + 1] = back.data[2 * (row * 16 + n) + 1];
        conjugates[2 * (row * 8 + n)] = back.data[2 * (row * 16 + 8 + n)];
        conjugates[2 * (row * 8 + n) + 1] = -back.data[2 * (row * 16 + 8 + n) + 1];
      }
    }
    expectClose(half, C.data, 1e-10, 'C');
    expectClose(conjugates, C.data, 1e-10, 'conj C');
  });

  it('length doubling equals direct computation at 2L', () => {
    const doubled = doubleCTilde(system, cTildeFromC(system, C, 32), 32);
    expectClose(doubled.data, cTildeFromC(system, C, 64).data, 1e-10, 'C̃(2L)');
  });

  it('rejects a C of the wrong shape and L < 1', () => {
    expect(() => cTildeFromC(system, randomC(1, 3, 8, 2), 8)).toThrow(/C must have shape \[channels, 2, 8\]/);
    expect(() => cTildeFromC(system, C, 0)).toThrow(/L must be an integer ≥ 1/);
  });
});
