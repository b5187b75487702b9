import {
  allocateLike,
  assertFinite,
  assertLength,
  type RealArray,
  sizeOf,
  type Tensor,
} from '@statespace/complex';
import { floatDtype } from './checks';
import { type CausalConvOptions, causalConv } from './conv';

/** The gradients of `causalConv` with respect to each of its inputs. */
export interface CausalConvGrads<A extends RealArray = RealArray> {
  /** ∂ℓ/∂u, [B, H, L]. */
  u: Tensor<A>;
  /** ∂ℓ/∂k, [H, Lk] (0 for taps beyond L, which the convolution does not use). */
  k: Tensor<A>;
  /** ∂ℓ/∂D, length H; present when `D` was given. */
  D?: A;
}

/** Each row of `rows` rows of `length` values reversed in time (a new array). */
function reverseRows<A extends RealArray>(a: A, rows: number, length: number): A {
  const out = allocateLike(a, a.length);
  for (let r = 0; r < rows; r++) {
    const o = r * length;
    for (let t = 0; t < length; t++) out[o + t] = a[o + length - 1 - t];
  }
  return out;
}

/**
 * The vector-Jacobian product of `causalConv(u, k, { D, method })`: given `grad` = ∂ℓ/∂y
 * ([B, H, L], the precision of `u`), returns ∂ℓ/∂u, ∂ℓ/∂k and (with `D`) ∂ℓ/∂D. Both adjoints are
 * causal convolutions again, computed by `causalConv` with the same `method`:
 *
 * - ∂ℓ/∂u[b,h,τ] = Σ_s k[h,s]·g[b,h,τ+s] + D[h]·g[b,h,τ]: the time-reversed convolution of the
 *   time-reversed g with k (and D);
 * - ∂ℓ/∂k[h,s] = Σ_b Σ_t g[b,h,t]·u[b,h,t−s]: entry L−1−s of the convolution of the reversed g
 *   with u as the kernel (all B·H rows in one call), summed over b;
 * - ∂ℓ/∂D[h] = Σ_b Σ_t g[b,h,t]·u[b,h,t].
 *
 * @throws RangeError/TypeError, naming the argument, as `causalConv` for bad `u`, `k`, `D`, and
 *   when `grad` does not have the shape and precision of y or holds non-finite values.
 */
export function causalConvVjp<A extends RealArray>(
  u: Tensor<A>,
  k: Tensor<A>,
  grad: Tensor<A>,
  options: CausalConvOptions<A> = {},
): CausalConvGrads<A> {
  if (u.shape.length !== 3) throw new RangeError(`u must have shape [B, H, L]; got [${u.shape.join(', ')}]`);
  if (k.shape.length !== 2) throw new RangeError(`k must have shape [H, Lk]; got [${k.shape.join(', ')}]`);
  const [B, H, L] = u.shape;
  const [, Lk] = k.shape;
  if (grad.shape.length !== 3 || grad.shape.some((d, i) => d !== u.shape[i])) {
    throw new RangeError(
      `grad must have the shape of y [${u.shape.join(', ')}]; got [${grad.shape.join(', ')}]`,
    );
  }
  const dtype = floatDtype('u.data', u.data);
  if (floatDtype('grad.data', grad.data) !== dtype) {
    throw new TypeError(
      `grad.data must have the precision of u.data (${dtype}); got ${grad.data.constructor.name}`,
    );
  }
  assertLength('u.data', u.data, sizeOf(u.shape));
  assertLength('grad.data', grad.data, sizeOf(grad.shape));
  assertFinite('u.data', u.data);
  assertFinite('grad.data', grad.data);
  const { method } = options;
  const reversed = reverseRows(grad.data, B * H, L);

  // This call also checks k and D (and method) as the forward does.
  const du = causalConv({ data: reversed, shape: [B, H, L] }, k, options);
  const gradU = reverseRows(du.data, B * H, L);

  const taps = Math.min(Lk, L);
  const gradK = allocateLike(k.data, H * Lk);
  if (B > 0) {
    const corr = causalConv(
      { data: reversed, shape: [1, B * H, L] },
      { data: u.data, shape: [B * H, L] },
      { method },
    );
    for (let b = 0; b < B; b++) {
      for (let h = 0; h < H; h++) {
        const row = (b * H + h) * L;
        for (let s = 0; s < taps; s++) gradK[h * Lk + s] += corr.data[row + L - 1 - s];
      }
    }
  }
  const result: CausalConvGrads<A> = {
    u: { data: gradU, shape: [B, H, L] },
    k: { data: gradK, shape: [H, Lk] },
  };
  if (options.D !== undefined) {
    const gradD = allocateLike(options.D, H);
    for (let b = 0; b < B; b++) {
      for (let h = 0; h < H; h++) {
        const row = (b * H + h) * L;
        let s = 0;
        for (let t = 0; t < L; t++) s += grad.data[row + t] * u.data[row + t];
        gradD[h] += s;
      }
    }
    result.D = gradD;
  }
  return result;
}
