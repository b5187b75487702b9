import type { ComplexTensor } from '@statespace/complex';
import { type CauchyInput, complexShape } from '@statespace/kernels';
import { float32 } from '../float32';
import { type DeviceValue, type GpuJsRuntime, type KernelThis, kernelSource } from '../runtime';
import type { GpuJsOp } from './op';

// Conjugate-pair Cauchy sums r[b,h,l] = Σ_n v[b,h,n]/(z_l − w[h,n]) + conj(v[b,h,n])/(z_l − conj w[h,n]),
// one gpu.js thread per output number: the output is [2·Lz, batch·H] (x = 2l + part, part 0 the
// real and 1 the imaginary part; row = b·H + h), so the result is the interleaved complex
// [batch, H, Lz] as it stands. Each thread forms both reciprocals of every mode and keeps one part
// of the sum. The two fractions stay separate (the official CUDA kernel's advice: the fused
// numerator cancels), each as conj(d)/|d|².
//
// Nodes with an infinite component (the S4 Nyquist marker `(0, +Infinity)`) yield exactly 0, the
// CPU reference's r(∞): the node table carries a flag per node, and such nodes are stored as 0.

/** The sizes of a Cauchy evaluation. */
export interface CauchyDims {
  /** Rows sharing the poles of each feature. */
  batch: number;
  /** Features (independent pole sets). */
  H: number;
  /** Stored modes per feature (their conjugates are implied). */
  N2: number;
  /** Nodes. */
  Lz: number;
}

function cauchyKernel(this: KernelThis, v: number[][][], w: number[][], z: number[][]): number {
  const x = this.thread.x;
  const row = this.thread.y;
  const l = Math.floor(x / 2);
  const part = x - 2 * l;
  const b = Math.floor((row + 0.5) / this.constants.H);
  const h = row - b * this.constants.H;
  const zr = z[l][0];
  const zi = z[l][1];
  let acc = 0;
  if (z[l][2] > 0.5) {
    for (let n = 0; n < this.constants.N2; n++) {
      const wr = w[h][2 * n];
      const wi = w[h][2 * n + 1];
      const vr = v[b][h][2 * n];
      const vi = v[b][h][2 * n + 1];
      // 1/(z − w) = (dr − i·d1)/|·|², 1/(z − w̄) = (dr − i·d2)/|·|².
      const dr = zr - wr;
      const d1 = zi - wi;
      const d2 = zi + wi;
      const dr2 = dr * dr;
      const q1 = 1 / (dr2 + d1 * d1);
      const q2 = 1 / (dr2 + d2 * d2);
      const pr = dr * q1;
      const pi = -d1 * q1;
      const qr = dr * q2;
      const qi = -d2 * q2;
      if (part < 0.5) {
        acc += vr * (pr + qr) + vi * (qi - pi);
      } else {
        acc += vr * (pi + qi) + vi * (pr - qr);
      }
    }
  }
  return acc;
}

const CAUCHY_SOURCE = kernelSource(cauchyKernel);

/**
 * The node table of `z` (interleaved complex, float64 or float32): per node (Re z, Im z, 1), or
 * (0, 0, 0) for a node with an infinite component, whose sum is 0.
 * @throws RangeError when `z` holds NaN.
 */
export function cauchyNodes(z: ArrayLike<number>): Float32Array {
  const Lz = z.length / 2;
  const table = new Float32Array(3 * Lz);
  for (let l = 0; l < Lz; l++) {
    const re = z[2 * l];
    const im = z[2 * l + 1];
    if (Number.isNaN(re) || Number.isNaN(im)) {
      throw new RangeError(`z must not hold NaN; found NaN at node ${l}`);
    }
    if (Number.isFinite(re) && Number.isFinite(im)) table.set([re, im, 1], 3 * l);
  }
  return table;
}

/**
 * Runs the Cauchy sums on the device; returns the result there, [2·Lz, batch·H] (interleaved
 * complex [batch, H, Lz]). `v` is float32 complex [batch, H, N2], `w` [H, N2], `nodes` the table
 * of {@link cauchyNodes}.
 */
export function runCauchy(
  rt: GpuJsRuntime,
  v: Float32Array,
  w: Float32Array,
  nodes: Float32Array,
  { batch, H, N2, Lz }: CauchyDims,
): Promise<DeviceValue> {
  return rt.run(
    {
      key: `cauchy:${batch}x${H}x${N2}:${Lz}`,
      source: CAUCHY_SOURCE,
      output: [2 * Lz, batch * H],
      constants: { H, N2 },
    },
    [rt.input(v, [2 * N2, H, batch]), rt.input(w, [2 * N2, H]), rt.input(nodes, [3, Lz])],
  );
}

/** The dimensions of a Cauchy input, checked (shapes, lengths, finite v and w). */
function cauchyDims({ v, w, z }: CauchyInput): CauchyDims {
  const [batch, H, N2] = complexShape('v', v, ['batch', 'H', 'N2']);
  complexShape('w', w, ['H', 'N2'], [H, N2]);
  const shape = z?.shape;
  if (!Array.isArray(shape) || shape.length !== 1 || z.data?.length !== 2 * shape[0]) {
    throw new RangeError(
      `z must be complex of shape [Lz] (2·Lz interleaved numbers); got shape [${shape?.join(', ') ?? ''}] with ${z?.data?.length} numbers`,
    );
  }
  return { batch, H, N2, Lz: shape[0] };
}

/**
 * The backend's `cauchy`: conjugate-pair Cauchy sums in float32 (see the CPU `cauchy` for the
 * semantics), v [batch, H, N2], w [H, N2], z [Lz] → complex [batch, H, Lz].
 * @throws RangeError on bad shapes, non-finite v or w, NaN in z, or a finite node on a pole.
 */
export const cauchyOp: GpuJsOp<CauchyInput, { out: ComplexTensor }> = {
  async run(rt, input) {
    const dims = cauchyDims(input);
    const { batch, H, Lz } = dims;
    const nodes = cauchyNodes(input.z.data);
    const value = await runCauchy(rt, float32(input.v.data), float32(input.w.data), nodes, dims);
    const data = await rt.read(value, 2 * batch * H * Lz);
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) {
        const l = Math.floor(i / 2) % Lz;
        throw new RangeError(
          `z[${l}] coincides with a pole w[h, n] (or its conjugate), or float32 overflowed: r is not finite there`,
        );
      }
    }
    return { out: { data, shape: [batch, H, Lz] } };
  },
  largestArray: ({ v, z }) => Math.max(v.data.length, 2 * v.shape[0] * v.shape[1] * z.shape[0]),
};
