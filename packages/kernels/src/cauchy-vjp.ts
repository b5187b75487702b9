import { assertFinite, type ComplexTensor, type RealArray, type Tensor } from '@statespace/complex';
import { allocateResult, complexDims, expectComplexShape } from './parameters';

// Vector-Jacobian products of the Cauchy sums. Gradients follow docs/architecture.md
// ("Gradients"): for a real loss ℓ, a complex value's gradient is interleaved (∂ℓ/∂Re, ∂ℓ/∂Im).

/** The gradients of `cauchy` with respect to the residues and the poles. */
export interface CauchyGrads {
  /** ∂ℓ/∂v, complex [batch, H, N2]. */
  v: ComplexTensor;
  /** ∂ℓ/∂w, complex [H, N2] (summed over the batch). */
  w: ComplexTensor;
}

/**
 * The vector-Jacobian product of `cauchy(v, w, z)` with respect to v and w (the nodes z are
 * constants). With a = 1/(z_l − w), c = 1/(z_l − w̄) and g = ∂ℓ/∂r, the conjugate-pair form
 * r = v·a + v̄·c gives
 *
 *   ∂ℓ/∂v = Σ_l conj(a)·g + c·conj(g),   ∂ℓ/∂w = Σ_b Σ_l conj(v·a²)·g + v̄·c²·conj(g),
 *
 * accumulated in float64. Infinite nodes (the Nyquist marker, where r = 0) contribute nothing.
 *
 * @param grad - ∂ℓ/∂r, complex [batch, H, Lz].
 * @returns Gradients of `v`'s shape and `w`'s shape; float32 when any input is float32.
 * @throws RangeError, naming the argument, as `cauchy` does, and when `grad` is not
 *   [batch, H, Lz] or holds non-finite values.
 */
export function cauchyVjp(
  v: ComplexTensor,
  w: ComplexTensor,
  z: ComplexTensor,
  grad: ComplexTensor,
): CauchyGrads {
  const [batch, H, N2] = complexDims('v', v, ['batch', 'H', 'N2']);
  expectComplexShape('w', w, [H, N2], ['H', 'N2']);
  const [Lz] = complexDims('z', z, ['Lz']);
  expectComplexShape('grad', grad, [batch, H, Lz], ['batch', 'H', 'Lz']);
  assertFinite('v', v.data);
  assertFinite('w', w.data);
  assertFinite('grad', grad.data);
  const zd = z.data;
  for (let i = 0; i < zd.length; i++) {
    if (Number.isNaN(zd[i])) throw new RangeError(`z must not hold NaN; found NaN at index ${i}`);
  }
  const vd = v.data;
  const wd = w.data;
  const gd = grad.data;
  const gv = new Float64Array(2 * batch * H * N2);
  const gw = new Float64Array(2 * H * N2);
  for (let h = 0; h < H; h++) {
    for (let n = 0; n < N2; n++) {
      const wr = wd[2 * (h * N2 + n)];
      const wi = wd[2 * (h * N2 + n) + 1];
      for (let l = 0; l < Lz; l++) {
        const zr = zd[2 * l];
        const zi = zd[2 * l + 1];
        if (!(Number.isFinite(zr) && Number.isFinite(zi))) continue;
        // a = 1/(z − w), c = 1/(z − w̄)
        const dr = zr - wr;
        const d1 = zi - wi;
        const d2 = zi + wi;
        const q1 = dr * dr + d1 * d1;
        const q2 = dr * dr + d2 * d2;
        if (q1 === 0 || q2 === 0) {
          throw new RangeError(
            `z[${l}] coincides with a pole w[${h}, ${n}] (or its conjugate); r is infinite there`,
          );
        }
        const ar = dr / q1;
        const ai = -d1 / q1;
        const cr = dr / q2;
        const ci = -d2 / q2;
        const a2r = ar * ar - ai * ai;
        const a2i = 2 * ar * ai;
        const c2r = cr * cr - ci * ci;
        const c2i = 2 * cr * ci;
        for (let b = 0; b < batch; b++) {
          const o = 2 * ((b * H + h) * N2 + n);
          const gi = 2 * ((b * H + h) * Lz + l);
          const grr = gd[gi];
          const gii = gd[gi + 1];
          // conj(a)·g + c·conj(g)
          gv[o] += ar * grr + ai * gii + (cr * grr + ci * gii);
          gv[o + 1] += ar * gii - ai * grr + (ci * grr - cr * gii);
          // conj(v·a²)·g + conj(v)·c²·conj(g) = conj(v)·(conj(a²)·g + c²·conj(g))
          const tr = a2r * grr + a2i * gii + (c2r * grr + c2i * gii);
          const ti = a2r * gii - a2i * grr + (c2i * grr - c2r * gii);
          const vr = vd[o];
          const vi = vd[o + 1];
          gw[2 * (h * N2 + n)] += vr * tr + vi * ti;
          gw[2 * (h * N2 + n) + 1] += vr * ti - vi * tr;
        }
      }
    }
  }
  return {
    v: { data: copyResult(gv, vd, wd, zd, gd), shape: [batch, H, N2] },
    w: { data: copyResult(gw, vd, wd, zd, gd), shape: [H, N2] },
  };
}

/**
 * The vector-Jacobian product of `cauchyLimit(v)` = 2·Re Σ_n v[b,h,n]: given `grad` = ∂ℓ/∂limit,
 * real [batch, H], returns ∂ℓ/∂v = (2·grad[b,h], 0) for every mode, complex [batch, H, N2], of
 * `v`'s precision.
 *
 * @throws RangeError when `v` is not 3-D or `grad` not [batch, H].
 */
export function cauchyLimitVjp(v: ComplexTensor, grad: Tensor): ComplexTensor {
  const [batch, H, N2] = complexDims('v', v, ['batch', 'H', 'N2']);
  const gs = grad?.shape;
  if (
    !Array.isArray(gs) ||
    gs.length !== 2 ||
    gs[0] !== batch ||
    gs[1] !== H ||
    grad.data.length !== batch * H
  ) {
    throw new RangeError(`grad must have shape [batch, H] = [${batch}, ${H}]; got [${gs?.join(', ') ?? ''}]`);
  }
  assertFinite('grad', grad.data);
  const out = allocateResult(2 * batch * H * N2, v.data, grad.data);
  for (let r = 0; r < batch * H; r++) {
    for (let n = 0; n < N2; n++) out[2 * (r * N2 + n)] = 2 * grad.data[r];
  }
  return { data: out, shape: [batch, H, N2] };
}

/** `acc` in the precision of the inputs: itself for float64, a float32 copy when any is float32. */
function copyResult(acc: Float64Array, ...inputs: RealArray[]): RealArray {
  const out = allocateResult(acc.length, ...inputs);
  if (out instanceof Float64Array) return acc;
  out.set(acc);
  return out;
}
