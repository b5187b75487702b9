import {
  allocateLike,
  assertInteger,
  type ComplexTensor,
  type RealArray,
  type Tensor,
} from '@statespace/complex';
import { allocateResult, complexShape, realShape } from './parameters';
import { vandermonde, vandermondeTranspose } from './vandermonde';

// Vector-Jacobian products of the Vandermonde sums, written with the forward sums themselves (so a
// backend that accelerates `vandermonde`/`vandermondeTranspose` accelerates these too). Gradients
// follow docs/architecture.md ("Gradients"): interleaved (∂ℓ/∂Re, ∂ℓ/∂Im) for complex values.

/** The gradients of `vandermonde` with respect to the coefficients and the log-poles. */
export interface VandermondeGrads {
  /** ∂ℓ/∂v, complex [batch, H, N2]. */
  v: ComplexTensor;
  /** ∂ℓ/∂x, complex [H, N2] (summed over the batch). */
  x: ComplexTensor;
}

/** The gradients of `vandermondeTranspose` with respect to each input. */
export interface VandermondeTransposeGrads {
  /** ∂ℓ/∂u, real [batch, H, L]. */
  u: Tensor;
  /** ∂ℓ/∂v, complex [H, N2] (summed over the batch). */
  v: ComplexTensor;
  /** ∂ℓ/∂x, complex [H, N2] (summed over the batch). */
  x: ComplexTensor;
}

/**
 * The moments S0 = Σ_l u[b,h,l]·e^{x[h,n]·l} and S1 = Σ_l l·u[b,h,l]·e^{x[h,n]·l} of real rows u
 * [batch, H, L] (complex [batch, H, N2] each): what the VJPs of the Vandermonde sums need, by one
 * `vandermondeTranspose` over the 2·batch rows [u; l·u] with unit coefficients. Float32 when `u`
 * or `x` is.
 */
export function vandermondeMoments(
  u: RealArray,
  batch: number,
  H: number,
  L: number,
  x: ComplexTensor,
): [RealArray, RealArray] {
  const N2 = x.shape[1];
  const stacked = momentRows(u, batch * H, L);
  const ones = allocateResult(2 * H * N2, x.data);
  for (let i = 0; i < ones.length; i += 2) ones[i] = 1;
  const s = vandermondeTranspose(
    { data: stacked, shape: [2 * batch, H, L] },
    { data: ones, shape: [H, N2] },
    x,
  ).data;
  const half = 2 * batch * H * N2;
  return [s.subarray(0, half), s.subarray(half)];
}

/**
 * The vector-Jacobian product of `vandermonde(v, x, L)`, K = 2·Re Σ_n v·e^{x·l}: given `grad` =
 * ∂ℓ/∂K, real [batch, H, L], with S0 = Σ_l g_l·e^{x·l} and S1 = Σ_l l·g_l·e^{x·l},
 *
 *   ∂ℓ/∂v = 2·conj(S0),   ∂ℓ/∂x = 2·Σ_b conj(v·S1).
 *
 * Results are float32 when any input is float32, float64 otherwise.
 *
 * @throws RangeError, naming the argument, on mismatched shapes or non-finite values.
 */
export function vandermondeVjp(
  v: ComplexTensor,
  x: ComplexTensor,
  L: number,
  grad: Tensor,
): VandermondeGrads {
  const [batch, H, N2] = complexShape('v', v, ['batch', 'H', 'N2']);
  complexShape('x', x, ['H', 'N2'], [H, N2]);
  assertInteger('L', L, 1);
  realShape('grad', grad, ['batch', 'H', 'L'], [batch, H, L]);
  const [s0, s1] = vandermondeMoments(grad.data, batch, H, L, x);
  return vandermondeVjpFromMoments(v, s0, s1, allocateResult(1, v.data, x.data, grad.data));
}

/**
 * The 2·rows rows [u; l·u] of real rows u (`rows` × L, any precision): a transposed Vandermonde
 * product with unit coefficients over them gives both moments of {@link vandermondeMoments}.
 */
export function momentRows<A extends RealArray>(u: A, rows: number, L: number): A {
  const stacked = allocateLike(u, 2 * rows * L);
  stacked.set(u);
  for (let r = 0; r < rows; r++) {
    for (let l = 0; l < L; l++) stacked[rows * L + r * L + l] = l * u[r * L + l];
  }
  return stacked;
}

/**
 * {@link vandermondeVjp} from the moments of its gradient (see {@link vandermondeMoments}):
 * ∂ℓ/∂v = 2·conj(S0), ∂ℓ/∂x = 2·Σ_b conj(v·S1), in the precision of `like`. Unchecked.
 */
export function vandermondeVjpFromMoments(
  v: ComplexTensor,
  s0: ArrayLike<number>,
  s1: ArrayLike<number>,
  like: RealArray,
): VandermondeGrads {
  const [batch, H, N2] = v.shape;
  const gv = allocateLike(like, 2 * batch * H * N2);
  const gx = allocateLike(like, 2 * H * N2);
  const vd = v.data;
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < H * N2; i++) {
      const o = 2 * (b * H * N2 + i);
      gv[o] = 2 * s0[o];
      gv[o + 1] = -2 * s0[o + 1];
      // conj(v·S1) = (vr·sr − vi·si, −(vr·si + vi·sr))
      gx[2 * i] += 2 * (vd[o] * s1[o] - vd[o + 1] * s1[o + 1]);
      gx[2 * i + 1] -= 2 * (vd[o] * s1[o + 1] + vd[o + 1] * s1[o]);
    }
  }
  return { v: { data: gv, shape: [batch, H, N2] }, x: { data: gx, shape: [H, N2] } };
}

/**
 * The vector-Jacobian product of `vandermondeTranspose(u, v, x)`, s = v·Σ_l u_l·e^{x·l}: given
 * `grad` = ∂ℓ/∂s = G, complex [batch, H, N2], with S0 = Σ_l u_l·e^{x·l} and S1 = Σ_l l·u_l·e^{x·l},
 *
 *   ∂ℓ/∂u[l] = Re Σ_n conj(G)·v·e^{x·l} = ½·vandermonde(conj(G)·v, x, L),
 *   ∂ℓ/∂v = Σ_b conj(S0)·G,   ∂ℓ/∂x = Σ_b conj(v·S1)·G.
 *
 * Results are float32 when any input is float32, float64 otherwise.
 *
 * @throws RangeError, naming the argument, on mismatched shapes or non-finite values.
 */
export function vandermondeTransposeVjp(
  u: Tensor,
  v: ComplexTensor,
  x: ComplexTensor,
  grad: ComplexTensor,
): VandermondeTransposeGrads {
  const [batch, H, L] = realShape('u', u, ['batch', 'H', 'L']);
  const [, N2] = complexShape('v', v, ['H', 'N2'], [H]);
  complexShape('x', x, ['H', 'N2'], [H, N2]);
  complexShape('grad', grad, ['batch', 'H', 'N2'], [batch, H, N2]);
  const vd = v.data;
  const gd = grad.data;
  const c = allocateResult(2 * batch * H * N2, vd, gd);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < H * N2; i++) {
      const o = 2 * (b * H * N2 + i);
      // conj(G)·v
      c[o] = gd[o] * vd[2 * i] + gd[o + 1] * vd[2 * i + 1];
      c[o + 1] = gd[o] * vd[2 * i + 1] - gd[o + 1] * vd[2 * i];
    }
  }
  const gu = L > 0 ? vandermonde({ data: c, shape: [batch, H, N2] }, x, L).data : allocateResult(0, vd);
  for (let i = 0; i < gu.length; i++) gu[i] *= 0.5;
  const [s0, s1] = vandermondeMoments(u.data, batch, H, L, x);
  const gv = allocateResult(2 * H * N2, u.data, vd, x.data, gd);
  const gx = allocateResult(2 * H * N2, u.data, vd, x.data, gd);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < H * N2; i++) {
      const o = 2 * (b * H * N2 + i);
      const gr = gd[o];
      const gi = gd[o + 1];
      // conj(S0)·G
      gv[2 * i] += s0[o] * gr + s0[o + 1] * gi;
      gv[2 * i + 1] += s0[o] * gi - s0[o + 1] * gr;
      // conj(v·S1)·G
      const pr = vd[2 * i] * s1[o] - vd[2 * i + 1] * s1[o + 1];
      const pi = vd[2 * i] * s1[o + 1] + vd[2 * i + 1] * s1[o];
      gx[2 * i] += pr * gr + pi * gi;
      gx[2 * i + 1] += pr * gi - pi * gr;
    }
  }
  return {
    u: { data: gu, shape: [batch, H, L] },
    v: { data: gv, shape: [H, N2] },
    x: { data: gx, shape: [H, N2] },
  };
}
