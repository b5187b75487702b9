import { type ComplexTensor, createRng } from '@statespace/complex';
import { expectClose, relativeError, TOLERANCE } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { cauchy } from '../src/cauchy';
import { imaginaryNodes } from '../src/cauchy-imaginary';
import { frequencyNodes } from '../src/nodes';

// The imaginary-node path of `cauchy` (every S4 node), against the general path and against a
// dense float64 oracle: each fraction v/(z−w) and v̄/(z−w̄) by its own complex division.

const rng = createRng(7);

function problem(batch: number, H: number, N2: number, poleRe = 0.05) {
  const v = Float64Array.from({ length: 2 * batch * H * N2 }, () => rng.normal());
  const w = Float64Array.from({ length: 2 * H * N2 }, (_, i) =>
    i % 2 === 0 ? -poleRe - Math.abs(rng.normal()) * poleRe : 5 * rng.normal(),
  );
  return {
    v: { data: v, shape: [batch, H, N2] } as ComplexTensor<Float64Array>,
    w: { data: w, shape: [H, N2] } as ComplexTensor<Float64Array>,
  };
}

/** Σ_n v/(z−w) + v̄/(z−w̄), two complex divisions per term; r = 0 at infinite nodes. */
function oracle(v: ComplexTensor, w: ComplexTensor, z: ComplexTensor): Float64Array {
  const [batch, H, N2] = v.shape;
  const Lz = z.shape[0];
  const out = new Float64Array(2 * batch * H * Lz);
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < H; h++) {
      for (let l = 0; l < Lz; l++) {
        const zr = z.data[2 * l];
        const zi = z.data[2 * l + 1];
        if (!Number.isFinite(zr) || !Number.isFinite(zi)) continue;
        let re = 0;
        let im = 0;
        for (let n = 0; n < N2; n++) {
          const vr = v.data[2 * ((b * H + h) * N2 + n)];
          const vi = v.data[2 * ((b * H + h) * N2 + n) + 1];
          const wr = w.data[2 * (h * N2 + n)];
          const wi = w.data[2 * (h * N2 + n) + 1];
          for (const [ar, ai, dr, di] of [
            [vr, vi, zr - wr, zi - wi],
            [vr, -vi, zr - wr, zi + wi],
          ]) {
            const d = dr * dr + di * di;
            re += (ar * dr + ai * di) / d;
            im += (ai * dr - ar * di) / d;
          }
        }
        out[2 * ((b * H + h) * Lz + l)] = re;
        out[2 * ((b * H + h) * Lz + l) + 1] = im;
      }
    }
  }
  return out;
}

/** The general path at the same nodes: one extra node off the imaginary axis selects it. */
function generalPath(v: ComplexTensor, w: ComplexTensor, z: ComplexTensor): Float64Array {
  const [batch, H] = v.shape;
  const Lz = z.shape[0];
  const withExtra = new Float64Array(2 * (Lz + 1));
  withExtra.set(z.data);
  withExtra[2 * Lz] = 1;
  const r = cauchy(v, w, { data: withExtra, shape: [Lz + 1] }).data;
  const out = new Float64Array(2 * batch * H * Lz);
  for (let row = 0; row < batch * H; row++) {
    out.set(r.subarray(2 * row * (Lz + 1), 2 * (row * (Lz + 1) + Lz)), 2 * row * Lz);
  }
  return out;
}

function s4Nodes(L: number): ComplexTensor<Float64Array> {
  const f = frequencyNodes(L);
  return { data: f.z, shape: [f.count] };
}

describe('imaginaryNodes', () => {
  it('accepts purely imaginary and infinite nodes only', () => {
    expect(imaginaryNodes(frequencyNodes(16).z)).toBe(true);
    expect(imaginaryNodes(new Float64Array([0, 1, -0, -2, Number.POSITIVE_INFINITY, 0]))).toBe(true);
    expect(imaginaryNodes(new Float64Array([0, 1, 1e-300, 2]))).toBe(false);
    expect(imaginaryNodes(new Float32Array([0, 3]))).toBe(true);
  });
});

describe('cauchy at imaginary nodes', () => {
  it.each([
    [1, 2, 5, 64],
    [3, 2, 7, 33],
    [4, 3, 32, 1024],
    [6, 2, 16, 100], // a full group of four rows and a padded one
    [9, 1, 3, 16],
  ])(
    'batch %i, H %i, N2 %i, the S4 nodes of L = %i (Nyquist included): matches the general path and the oracle',
    (batch, H, N2, L) => {
      const { v, w } = problem(batch, H, N2);
      const z = s4Nodes(L);
      const r = cauchy(v, w, z).data;
      expect(relativeError(r, generalPath(v, w, z))).toBeLessThan(1e-13);
      expect(relativeError(r, oracle(v, w, z))).toBeLessThan(1e-13);
      if (L % 2 === 0) {
        // The Nyquist marker (0, +∞) gives exactly 0.
        const Lz = z.shape[0];
        for (let row = 0; row < batch * H; row++) {
          expect(r[2 * (row * Lz + Lz - 1)]).toBe(0);
          expect(r[2 * (row * Lz + Lz - 1) + 1]).toBe(0);
        }
      }
    },
  );

  it('keeps its accuracy next to a pole and at very large nodes', () => {
    // Poles close to the axis; nodes within 1e-7 of Im w and of −Im w, and far out.
    const { v, w } = problem(4, 2, 6, 1e-4);
    const y: number[] = [];
    for (let i = 0; i < w.data.length; i += 2) {
      const wi = Math.abs(w.data[i + 1]);
      y.push(wi * (1 + 1e-7), wi * (1 - 1e-7));
    }
    y.push(1e3, 1e6, 1e9);
    const z = { data: Float64Array.from(y.flatMap((s) => [0, s])), shape: [y.length] };
    const r = cauchy(v, w, z).data;
    const expected = oracle(v, w, z);
    // Node by node (each row's value at one node), relative to that value's size.
    const Lz = y.length;
    for (let row = 0; row < 8; row++) {
      for (let l = 0; l < Lz; l++) {
        const o = 2 * (row * Lz + l);
        expect(relativeError(r.subarray(o, o + 2), expected.subarray(o, o + 2))).toBeLessThan(1e-9);
      }
    }
  });

  it('float32 inputs give a float32 result within the float32 tolerance of the oracle', () => {
    const { v, w } = problem(5, 2, 16);
    const z = s4Nodes(256);
    const r = cauchy(
      { data: new Float32Array(v.data), shape: v.shape },
      { data: new Float32Array(w.data), shape: w.shape },
      z,
    );
    expect(r.data).toBeInstanceOf(Float32Array);
    expectClose(r.data, oracle(v, w, z), TOLERANCE.float32, 'float32 cauchy at imaginary nodes');
  });

  it('throws when a node lies on a pole', () => {
    const v = { data: new Float64Array([1, 0, 1, 0]), shape: [1, 1, 2] };
    const w = { data: new Float64Array([-1, 1, 0, 2]), shape: [1, 2] };
    expect(() => cauchy(v, w, { data: new Float64Array([0, 1, 0, 2]), shape: [2] })).toThrow(
      /z\[1\] coincides with a pole w\[0, 1\]/,
    );
  });
});
