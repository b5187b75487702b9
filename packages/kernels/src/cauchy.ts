import { assertFinite, type ComplexTensor, type RealArray, type Tensor } from '@statespace/complex';
import { cauchyImaginary, imaginaryNodes } from './cauchy-imaginary';
import { allocateResult, complexDims, expectComplexShape, resultArray } from './parameters';
import { scratch } from './scratch';

/** Modes per block of the Cauchy reduction: the per-node coefficients of one block stay in L1. */
const N_BLOCK = 64;

/**
 * Conjugate-pair Cauchy sums, the core of the S4 kernel:
 *
 *   r[b, h, l] = Σ_n v[b,h,n] / (z_l − w[h,n]) + conj(v[b,h,n]) / (z_l − conj(w[h,n])).
 *
 * Shapes: `v` complex [batch, H, N2], `w` complex [H, N2], `z` complex [Lz]; returns complex
 * [batch, H, Lz]. The result is float32 when any input is float32, float64 otherwise; every
 * accumulation runs in float64 whatever the input precision.
 *
 * Numerics: at general nodes the two fractions are evaluated separately (as the official CUDA
 * kernel does; the fused form 2[z·Re v − Re(v w̄)]/((z−w)(z−w̄)) loses accuracy there), each as
 * conj(d)/|d|² with one real division. The reciprocals depend only on (h, l, n), so they are
 * computed once and reused for every batch row (loop order h → n-block → l → batch, two batch
 * rows per pass so they share each coefficient load). When every node is purely imaginary (or
 * infinite) — the S4 nodes — the fused form keeps full accuracy, and the sums take its faster
 * path, {@link cauchyImaginary}.
 *
 * Infinite nodes: a node whose z has an infinite component (the S4 Nyquist node, stored by
 * `frequencyNodes` as `(0, +Infinity)`) gets r = 0 exactly, the true value of r(∞). The finite
 * information of that node is the limit lim z·r(z), which {@link cauchyLimit} returns; the S4
 * assembly carries it through `woodburyLimit` into `applyBilinearFactor`, so the Nyquist value is
 * produced there, once.
 *
 * @param out - Optional output array of 2·batch·H·Lz numbers (reused to avoid allocating).
 * @throws RangeError when shapes disagree (the message names the argument and the expected
 *   shape), when `v` or `w` hold non-finite values, when `z` holds NaN, or when a finite z_l
 *   coincides with a pole w[h,n] or conj(w[h,n]).
 */
export function cauchy(v: ComplexTensor, w: ComplexTensor, z: ComplexTensor, out?: RealArray): ComplexTensor {
  const [batch, H, N2] = complexDims('v', v, ['batch', 'H', 'N2']);
  expectComplexShape('w', w, [H, N2], ['H', 'N2']);
  const [Lz] = complexDims('z', z, ['Lz']);
  assertFinite('v', v.data);
  assertFinite('w', w.data);
  const zd = z.data;
  for (let i = 0; i < zd.length; i++) {
    if (Number.isNaN(zd[i])) throw new RangeError(`z must not hold NaN; found NaN at index ${i}`);
  }

  const result = resultArray('cauchy', out, 2 * batch * H * Lz, v.data, w.data, z.data);
  if (imaginaryNodes(zd)) {
    cauchyImaginary(v.data, w.data, zd, batch, H, N2, result, poleError);
    return { data: result, shape: [batch, H, Lz] };
  }
  const vd = v.data;
  const wd = w.data;

  // Node table: infinite nodes (r = 0) are skipped.
  const infinite = new Uint8Array(Lz);
  const zr = new Float64Array(Lz);
  const zi = new Float64Array(Lz);
  for (let l = 0; l < Lz; l++) {
    zr[l] = zd[2 * l];
    zi[l] = zd[2 * l + 1];
    infinite[l] = Number.isFinite(zr[l]) && Number.isFinite(zi[l]) ? 0 : 1;
  }

  // Scratch, allocated once: this feature's v rows and poles in float64, the per-node
  // coefficients of one mode block, and the float64 accumulator of this feature's outputs (a
  // reused work array).
  const vh = new Float64Array(2 * batch * N2);
  const wa = new Float64Array(N2);
  const wb = new Float64Array(N2);
  const coef = new Float64Array(4 * Math.min(N2, N_BLOCK));
  const acc = scratch('cauchy.acc', 2 * batch * Lz);

  for (let h = 0; h < H; h++) {
    for (let b = 0; b < batch; b++) {
      const src = 2 * (b * H + h) * N2;
      const dst = 2 * b * N2;
      for (let i = 0; i < 2 * N2; i++) vh[dst + i] = vd[src + i];
    }
    for (let n = 0; n < N2; n++) {
      wa[n] = wd[2 * (h * N2 + n)];
      wb[n] = wd[2 * (h * N2 + n) + 1];
    }
    acc.fill(0);

    for (let n0 = 0; n0 < N2; n0 += N_BLOCK) {
      const n1 = Math.min(n0 + N_BLOCK, N2);
      for (let l = 0; l < Lz; l++) {
        if (infinite[l] === 1) continue;
        const r = zr[l];
        const s = zi[l];
        // 1/(z − w) = (dr − i·d1)/|·|², 1/(z − w̄) = (dr − i·d2)/|·|², dr = Re z − a,
        // d1 = Im z − b, d2 = Im z + b. Stored combined so that a batch row costs 4 mul-adds:
        // re += vr·(p_r + q_r) + vi·(q_i − p_i), im += vr·(p_i + q_i) + vi·(p_r − q_r).
        for (let n = n0, j = 0; n < n1; n++, j += 4) {
          const dr = r - wa[n];
          const d1 = s - wb[n];
          const d2 = s + wb[n];
          const dr2 = dr * dr;
          const den1 = dr2 + d1 * d1;
          const den2 = dr2 + d2 * d2;
          if (den1 === 0 || den2 === 0) throw poleError(l, h, n);
          const q1 = 1 / den1;
          const q2 = 1 / den2;
          const pr = dr * q1;
          const pi = -d1 * q1;
          const qr = dr * q2;
          const qi = -d2 * q2;
          coef[j] = pr + qr;
          coef[j + 1] = qi - pi;
          coef[j + 2] = pi + qi;
          coef[j + 3] = pr - qr;
        }
        // Two batch rows at a time share each coefficient load.
        let b = 0;
        for (; b + 1 < batch; b += 2) {
          let re0 = 0;
          let im0 = 0;
          let re1 = 0;
          let im1 = 0;
          const off = 2 * N2;
          for (let n = n0, i = 2 * (b * N2 + n0), j = 0; n < n1; n++, i += 2, j += 4) {
            const c0 = coef[j];
            const c1 = coef[j + 1];
            const c2 = coef[j + 2];
            const c3 = coef[j + 3];
            const vr0 = vh[i];
            const vi0 = vh[i + 1];
            const vr1 = vh[i + off];
            const vi1 = vh[i + off + 1];
            re0 += vr0 * c0 + vi0 * c1;
            im0 += vr0 * c2 + vi0 * c3;
            re1 += vr1 * c0 + vi1 * c1;
            im1 += vr1 * c2 + vi1 * c3;
          }
          const o = 2 * (b * Lz + l);
          acc[o] += re0;
          acc[o + 1] += im0;
          acc[o + 2 * Lz] += re1;
          acc[o + 2 * Lz + 1] += im1;
        }
        if (b < batch) {
          let re = 0;
          let im = 0;
          for (let n = n0, i = 2 * (b * N2 + n0), j = 0; n < n1; n++, i += 2, j += 4) {
            const vr = vh[i];
            const vi = vh[i + 1];
            re += vr * coef[j] + vi * coef[j + 1];
            im += vr * coef[j + 2] + vi * coef[j + 3];
          }
          const o = 2 * (b * Lz + l);
          acc[o] += re;
          acc[o + 1] += im;
        }
      }
    }

    for (let b = 0; b < batch; b++) {
      result.set(acc.subarray(2 * b * Lz, 2 * (b + 1) * Lz), 2 * (b * H + h) * Lz);
    }
  }
  return { data: result, shape: [batch, H, Lz] };
}

/**
 * The Cauchy sums at the point at infinity, scaled: lim_{z→∞} z·r(z) for the r of
 * {@link cauchy}, which is Σ_n (v_n + conj v_n) = 2·Re Σ_n v[b,h,n] whatever the poles
 * (r(z) = Σ (v + v̄)/z + O(1/z²)).
 *
 * This is the finite value that stands for the infinite S4 Nyquist node (ω = −1, z = ∞):
 * `cauchy` returns 0 there; pass this limit (through `woodburyLimit`) to `applyBilinearFactor`,
 * which returns lim (1 + z/2)·k_f(z) = ½·lim z·k_f(z) at that node.
 *
 * Shapes: `v` complex [batch, H, N2]; returns real [batch, H], of `v`'s precision.
 *
 * @throws RangeError when `v` is not 3-D or holds non-finite values.
 */
export function cauchyLimit(v: ComplexTensor): Tensor {
  const [batch, H, N2] = complexDims('v', v, ['batch', 'H', 'N2']);
  assertFinite('v', v.data);
  const vd = v.data;
  const out = allocateResult(batch * H, vd);
  for (let r = 0; r < batch * H; r++) {
    let s = 0;
    for (let n = 0, i = 2 * r * N2; n < N2; n++, i += 2) s += vd[i];
    out[r] = 2 * s;
  }
  return { data: out, shape: [batch, H] };
}

function poleError(l: number, h: number, n: number): RangeError {
  return new RangeError(
    `z[${l}] coincides with a pole w[${h}, ${n}] (or its conjugate); r is infinite there`,
  );
}
