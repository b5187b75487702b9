import type { RealArray, Tensor } from '@statespace/complex';
import { type ConvolveGrads, type ConvolveInput, checkConvolveVjp, type WithGrad } from '@statespace/kernels';
import { float32 } from '../float32';
import type { GpuJsRuntime } from '../runtime';
import { convolveOp } from './conv';
import type { GpuJsOp } from './op';

// The VJP of the batched convolution on gpu.js, as three convolutions of the backend's own
// `convolve` (direct or FFT kernels) of time-reversed signals — a correlation is a convolution with
// one side reversed — with the host reversing, regrouping and summing rows (O(batch·C·H·L)):
//
// - ∂ℓ/∂u[b,h] = Σ_c rev(conv(rev g[b,c,h]; k[c,h], D[c,h], kReverse[c,h])): the reversed
//   gradient convolved with the forward's own kernels, features (c, h);
// - ∂ℓ/∂k[c,h,s] = Σ_b conv(u[b,h]; rev g[b,c,h])[L−1−s], features (b, h), channels c;
// - ∂ℓ/∂kReverse[c,h,d−1] = Σ_b conv(g[b,c,h]; rev u[b,h])[L−1−d], features (b, c, h);
// - ∂ℓ/∂D[c,h] = Σ_b Σ_t g[b,c,h,t]·u[b,h,t], on the host in float64.

/** Each of `rows` rows of `length` values reversed in time (a new float32 array). */
function reversed(a: RealArray, rows: number, length: number): Float32Array {
  const out = new Float32Array(rows * length);
  for (let r = 0; r < rows; r++) {
    for (let t = 0; t < length; t++) out[r * length + t] = a[r * length + length - 1 - t];
  }
  return out;
}

/** The convolution of the backend on host arrays of the given shapes. */
async function conv(rt: GpuJsRuntime, input: ConvolveInput): Promise<Float32Array> {
  return (await convolveOp.run(rt, input)).out.data as Float32Array;
}

const t = (data: RealArray, shape: number[]): Tensor => ({ data: float32(data), shape });

/**
 * The backend's `convolveVjp` on gpu.js (see the CPU `convolveVjp`): the gradients of u, k, D and
 * kReverse from grad = ∂ℓ/∂y [batch, C, H, L], in float32.
 * @throws RangeError as the CPU version on bad shapes or non-finite values (naming the argument).
 */
export const convolveVjpOp: GpuJsOp<WithGrad<ConvolveInput>, ConvolveGrads> = {
  async run(rt, input) {
    const [batch, H, L] = checkConvolveVjp(input, input.grad);
    const { u, k, D, kReverse, grad } = input;
    const [C, , Lk] = k.shape;
    const taps = Math.min(Lk, L);
    const F = C * H;
    const g = grad.data;

    const yu = await conv(rt, {
      u: t(reversed(g, batch * F, L), [batch, F, L]),
      k: t(k.data, [1, F, Lk]),
      ...(D ? { D: t(D.data, [1, F]) } : {}),
      ...(kReverse ? { kReverse: t(kReverse.data, [1, F, Lk]) } : {}),
    });
    const gu = new Float32Array(batch * H * L);
    for (let b = 0; b < batch; b++) {
      for (let c = 0; c < C; c++) {
        for (let h = 0; h < H; h++) {
          const from = ((b * C + c) * H + h) * L;
          const to = (b * H + h) * L;
          for (let s = 0; s < L; s++) gu[to + s] += yu[from + L - 1 - s];
        }
      }
    }

    // Reversed gradient rows regrouped as kernels [C, batch·H, L].
    const gRev = new Float32Array(batch * F * L);
    for (let b = 0; b < batch; b++) {
      for (let c = 0; c < C; c++) {
        for (let h = 0; h < H; h++) {
          const from = ((b * C + c) * H + h) * L;
          const to = (c * batch * H + b * H + h) * L;
          for (let s = 0; s < L; s++) gRev[to + s] = g[from + L - 1 - s];
        }
      }
    }
    const yk = await conv(rt, { u: t(u.data, [1, batch * H, L]), k: t(gRev, [C, batch * H, L]) });
    const gk = new Float32Array(C * H * Lk);
    for (let c = 0; c < C; c++) {
      for (let b = 0; b < batch; b++) {
        for (let h = 0; h < H; h++) {
          const from = (c * batch * H + b * H + h) * L;
          for (let s = 0; s < taps; s++) gk[(c * H + h) * Lk + s] += yk[from + L - 1 - s];
        }
      }
    }
    const result: ConvolveGrads = {
      u: { data: gu, shape: [batch, H, L] },
      k: { data: gk, shape: [C, H, Lk] },
    };

    if (kReverse) {
      // The reversed input rows repeated over the channels, as kernels [1, batch·C·H, L].
      const uRev = reversed(u.data, batch * H, L);
      const repeated = new Float32Array(batch * F * L);
      for (let b = 0; b < batch; b++) {
        for (let c = 0; c < C; c++)
          repeated.set(uRev.subarray(b * H * L, (b + 1) * H * L), (b * C + c) * H * L);
      }
      const yr = await conv(rt, { u: t(g, [1, batch * F, L]), k: t(repeated, [1, batch * F, L]) });
      const gr = new Float32Array(C * H * Lk);
      for (let b = 0; b < batch; b++) {
        for (let c = 0; c < C; c++) {
          for (let h = 0; h < H; h++) {
            const from = ((b * C + c) * H + h) * L;
            for (let d = 1; d <= Math.min(taps, L - 1); d++)
              gr[(c * H + h) * Lk + d - 1] += yr[from + L - 1 - d];
          }
        }
      }
      result.kReverse = { data: gr, shape: [C, H, Lk] };
    }

    if (D) {
      const gD = new Float64Array(C * H);
      for (let b = 0; b < batch; b++) {
        for (let c = 0; c < C; c++) {
          for (let h = 0; h < H; h++) {
            const gt = ((b * C + c) * H + h) * L;
            const ut = (b * H + h) * L;
            let s = 0;
            for (let i = 0; i < L; i++) s += g[gt + i] * u.data[ut + i];
            gD[c * H + h] += s;
          }
        }
      }
      result.D = { data: Float32Array.from(gD), shape: [C, H] };
    }
    return result;
  },
  largestArray({ u, k, grad }) {
    const [batch = 0, H = 0, L = 0] = u?.shape ?? [];
    const C = k?.shape?.[0] ?? 0;
    // The three convolutions: features (c, h) over the batch, (b, h) over C channels, (b, c, h).
    return Math.max(
      convolveOp.largestArray({
        u: { data: grad.data, shape: [batch, C * H, L] },
        k: { data: k.data, shape: [1, C * H, k?.shape?.[2] ?? 0] },
      }),
      convolveOp.largestArray({
        u: { data: u.data, shape: [1, batch * H, L] },
        k: { data: grad.data, shape: [C, batch * H, L] },
      }),
      convolveOp.largestArray({
        u: { data: grad.data, shape: [1, batch * C * H, L] },
        k: { data: grad.data, shape: [1, batch * C * H, L] },
      }),
    );
  },
};
