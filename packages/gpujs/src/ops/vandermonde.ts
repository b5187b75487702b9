import { assertInteger, type ComplexTensor, type Tensor } from '@statespace/complex';
import {
  complexShape,
  realShape,
  type VandermondeInput,
  type VandermondeTransposeInput,
} from '@statespace/kernels';
import { float32 } from '../float32';
import { type DeviceValue, type GpuJsRuntime, type KernelThis, kernelSource } from '../runtime';
import type { GpuJsOp } from './op';
import { TURN_FUNCTIONS } from './turns';

/** The phase helpers of turns.ts, as the kernels call them (gpu.js links them by name). */
declare function sinTurns(t: number): number;
declare function cosTurns(t: number): number;

// Vandermonde products Σ v·exp(x·(l − shift)) in float32 that stay accurate for long L and large
// phases. float32 sin/cos of Im x·l directly would be useless (at l = 16384 the argument alone is
// off by ~10⁻³ rad), so the host (float64) splits the phase per step, in turns, into four 6-bit
// chunks cᵢ = aᵢ/64ⁱ and a remainder below 2⁻²⁴ turn: for an integer |j| < 2¹⁸ every cᵢ·j is exact
// in float32, so is its fractional part, and the turns of x·j, reduced to [−½, ½), are exact up
// to a few float32 roundings of numbers below 4 (~10⁻⁶ rad); sin and cos of those turns come from
// turns.ts (the built-in ones are too coarse on some drivers). The kernels evaluate every term
// exp(x·j) directly: no recurrence, no error growth along l.

/** Numbers per mode in the table: Re x, c₁ … c₄, remainder, shift, padding. */
const MODE_SIZE = 8;
/** The largest |l − shift| the phase reduction keeps exact (64·2¹⁸ = 2²⁴). */
export const MAX_VANDERMONDE_INDEX = 2 ** 18;

/**
 * The mode table of exponents `x` (interleaved complex, per mode) and integer shifts (term
 * v·exp(x·(l − shift))), built in float64: [H·N2 modes × 8] (see the file comment).
 */
export function vandermondeModes(x: ArrayLike<number>, shift?: ArrayLike<number>): Float32Array {
  const count = x.length / 2;
  const table = new Float32Array(Math.max(1, count) * MODE_SIZE);
  for (let m = 0; m < count; m++) {
    const turns = x[2 * m + 1] / (2 * Math.PI);
    let s = (turns - Math.floor(turns)) * 64;
    const o = m * MODE_SIZE;
    table[o] = x[2 * m];
    for (let i = 1; i <= 4; i++) {
      const a = Math.floor(s);
      table[o + i] = a / 64 ** i;
      s = (s - a) * 64;
    }
    table[o + 5] = s / 64 ** 5;
    table[o + 6] = shift === undefined ? 0 : shift[m];
  }
  return table;
}

function forwardKernel(this: KernelThis, v: number[][][], modes: number[][][]): number {
  const l = this.thread.x;
  const row = this.thread.y;
  const b = Math.floor((row + 0.5) / this.constants.H);
  const h = row - b * this.constants.H;
  let acc = 0;
  for (let n = 0; n < this.constants.N2; n++) {
    const j = l - modes[h][n][6];
    const t1 = modes[h][n][1] * j;
    const t2 = modes[h][n][2] * j;
    const t3 = modes[h][n][3] * j;
    const t4 = modes[h][n][4] * j;
    let turns = t1 - Math.floor(t1) + (t2 - Math.floor(t2)) + (t3 - Math.floor(t3)) + (t4 - Math.floor(t4));
    turns = turns + modes[h][n][5] * j;
    turns = turns - Math.floor(turns + 0.5);
    const mag = Math.exp(modes[h][n][0] * j);
    acc += mag * (v[b][h][2 * n] * cosTurns(turns) - v[b][h][2 * n + 1] * sinTurns(turns));
  }
  return 2 * acc;
}

/** Steps per block of the transposed sums (a block's partial sum is added to the total). */
const BLOCK = 64;

function transposeKernel(this: KernelThis, u: number[][][], v: number[][], modes: number[][][]): number {
  const col = this.thread.x;
  const row = this.thread.y;
  const n = Math.floor(col / 2);
  const part = col - 2 * n;
  const b = Math.floor((row + 0.5) / this.constants.H);
  const h = row - b * this.constants.H;
  const xr = modes[h][n][0];
  const c1 = modes[h][n][1];
  const c2 = modes[h][n][2];
  const c3 = modes[h][n][3];
  const c4 = modes[h][n][4];
  const c5 = modes[h][n][5];
  let sr = 0;
  let si = 0;
  // Two-level sums: float32 rounding grows with the block count plus the block size, not with L.
  for (let blk = 0; blk < this.constants.blocks; blk++) {
    let br = 0;
    let bi = 0;
    for (let t = 0; t < this.constants.block; t++) {
      const l = blk * this.constants.block + t;
      if (l < this.constants.L) {
        const t1 = c1 * l;
        const t2 = c2 * l;
        const t3 = c3 * l;
        const t4 = c4 * l;
        let turns =
          t1 - Math.floor(t1) + (t2 - Math.floor(t2)) + (t3 - Math.floor(t3)) + (t4 - Math.floor(t4));
        turns = turns + c5 * l;
        turns = turns - Math.floor(turns + 0.5);
        const weight = u[b][h][l] * Math.exp(xr * l);
        br += weight * cosTurns(turns);
        bi += weight * sinTurns(turns);
      }
    }
    sr += br;
    si += bi;
  }
  const vr = v[h][2 * n];
  const vi = v[h][2 * n + 1];
  if (part < 0.5) return vr * sr - vi * si;
  return vr * si + vi * sr;
}

const FORWARD_SOURCE = kernelSource(forwardKernel);
const TRANSPOSE_SOURCE = kernelSource(transposeKernel);

/** The sizes of a Vandermonde product. */
export interface VandermondeDims {
  /** Rows of coefficients sharing the modes of each feature. */
  rows: number;
  H: number;
  N2: number;
  L: number;
}

/** Checks that every |l − shift| of a product of length L stays within the exact phase range. */
export function checkPhaseRange(L: number, shift?: ArrayLike<number>): void {
  let largest = L - 1;
  if (shift) {
    for (let i = 0; i < shift.length; i++) {
      largest = Math.max(largest, Math.abs(shift[i]), Math.abs(L - 1 - shift[i]));
    }
  }
  if (largest >= MAX_VANDERMONDE_INDEX) {
    throw new RangeError(
      `L must be ≤ ${MAX_VANDERMONDE_INDEX} on the gpu.js backend (float32 phase reduction of exp(x·l)); got L = ${L}`,
    );
  }
}

/**
 * Runs K[r, h, l] = 2·Re Σ_n v[r,h,n]·exp(x[h,n]·(l − shift[h,n])) on the device: `v` float32
 * complex [rows, H, N2], `modes` from {@link vandermondeModes}. Returns real [L, rows·H] there
 * (the row-major [rows, H, L]).
 */
export function runVandermonde(
  rt: GpuJsRuntime,
  v: Float32Array,
  modes: Float32Array,
  { rows, H, N2, L }: VandermondeDims,
): Promise<DeviceValue> {
  return rt.run(
    {
      key: `vandermonde:${rows}x${H}x${N2}:${L}`,
      source: FORWARD_SOURCE,
      output: [L, rows * H],
      constants: { H, N2 },
      functions: TURN_FUNCTIONS,
    },
    [rt.input(v, [2 * N2, H, rows]), rt.input(modes, [MODE_SIZE, N2, H])],
  );
}

/**
 * The backend's `vandermonde`: K[b,h,l] = 2·Re Σ_n v[b,h,n]·exp(x[h,n]·l), v [batch, H, N2],
 * x [H, N2] → real [batch, H, L], in float32 with the mode table prepared in float64.
 * @throws RangeError on bad shapes, non-finite values, L < 1 or L > 2¹⁸.
 */
export const vandermondeOp: GpuJsOp<VandermondeInput, { out: Tensor }> = {
  async run(rt, { v, x, L }) {
    const [batch, H, N2] = complexShape('v', v, ['batch', 'H', 'N2']);
    complexShape('x', x, ['H', 'N2'], [H, N2]);
    assertInteger('L', L, 1);
    checkPhaseRange(L);
    const size = batch * H * L;
    if (size === 0 || N2 === 0) return { out: { data: new Float32Array(size), shape: [batch, H, L] } };
    const out = await runVandermonde(rt, float32(v.data), vandermondeModes(x.data), {
      rows: batch,
      H,
      N2,
      L,
    });
    return { out: { data: await rt.read(out, size), shape: [batch, H, L] } };
  },
  largestArray: ({ v, x, L }) =>
    Math.max(v.data.length, (MODE_SIZE / 2) * x.data.length, v.shape[0] * v.shape[1] * L),
};

/**
 * The backend's `vandermondeTranspose`: s[b,h,n] = Σ_l u[b,h,l]·v[h,n]·exp(x[h,n]·l), u real
 * [batch, H, L], v and x [H, N2] → complex [batch, H, N2] (one thread per output number, the sum
 * over l in blocks of 64).
 * @throws RangeError on bad shapes, non-finite values or L > 2¹⁸.
 */
export const vandermondeTransposeOp: GpuJsOp<VandermondeTransposeInput, { out: ComplexTensor }> = {
  async run(rt, { u, v, x }) {
    const [batch, H, L] = realShape('u', u, ['batch', 'H', 'L']);
    const [, N2] = complexShape('v', v, ['H', 'N2'], [H]);
    complexShape('x', x, ['H', 'N2'], [H, N2]);
    checkPhaseRange(Math.max(L, 1));
    const size = batch * H * N2;
    if (size === 0 || L === 0) return { out: { data: new Float32Array(2 * size), shape: [batch, H, N2] } };
    const block = Math.min(BLOCK, L);
    const out = await rt.run(
      {
        key: `vandermonde-transpose:${batch}x${H}x${N2}:${L}`,
        source: TRANSPOSE_SOURCE,
        output: [2 * N2, batch * H],
        constants: { H, L, block, blocks: Math.ceil(L / block) },
        functions: TURN_FUNCTIONS,
      },
      [
        rt.input(float32(u.data), [L, H, batch]),
        rt.input(float32(v.data), [2 * N2, H]),
        rt.input(vandermondeModes(x.data), [MODE_SIZE, N2, H]),
      ],
    );
    return { out: { data: await rt.read(out, 2 * size), shape: [batch, H, N2] } };
  },
  largestArray: ({ u, x }) =>
    Math.max(u.data.length, (MODE_SIZE / 2) * x.data.length, u.shape[0] * x.data.length),
};
