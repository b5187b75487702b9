import {
  assertComplexLength,
  assertFinite,
  assertInteger,
  type ComplexTensor,
  type RealArray,
  sizeOf,
  type Tensor,
} from '@statespace/complex';
import { allocateResult, complexDims, expectComplexShape, resultArray } from './parameters';

/**
 * Steps per block of the running power: exp(x·l₀) is recomputed directly at every block start
 * and multiplied by exp(x) within the block, so rounding never accumulates over more than
 * `BLOCK` steps whatever L is.
 */
const BLOCK = 64;

/** Dekker's splitter 2^27 + 1. */
const SPLIT = 134217729;

/** The rounding error of the product a·b = p: a·b = p + e exactly (Dekker, no FMA). */
function productError(a: number, b: number, p: number): number {
  let c = SPLIT * a;
  const ah = c - (c - a);
  const al = a - ah;
  c = SPLIT * b;
  const bh = c - (c - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/** Scratch for {@link expAt}: (re, im) of the last call. */
const E = new Float64Array(2);

/**
 * exp(x·l) for complex x = xr + i·xi and integer l, into `E`, to full float64 accuracy: the
 * products xr·l and xi·l are carried with their rounding errors (exp(a+e) ≈ exp(a)(1+e),
 * cos(θ+e) ≈ cos θ − e·sin θ), so large phases such as xi·l = 10⁵ keep relative error ~1e-16.
 */
function expAt(xr: number, xi: number, l: number): void {
  const a = xr * l;
  const ea = productError(xr, l, a);
  const t = xi * l;
  const et = productError(xi, l, t);
  const mag = Math.exp(a) * (1 + ea);
  const c = Math.cos(t);
  const s = Math.sin(t);
  E[0] = mag * (c - et * s);
  E[1] = mag * (s + et * c);
}

/**
 * Fills `pre`, `pim` with exp(x·(l0 + t)) for t < count: an exact start, the next three powers
 * by multiplication with exp(x) = (sr, si), then four interleaved chains stepped by
 * exp(4x) = (qr, qi), so that the recurrence is not one long dependency chain (≤ 16 + 3
 * multiplications per entry of a 64-step block).
 */
function fillPowers(
  pre: Float64Array,
  pim: Float64Array,
  xr: number,
  xi: number,
  sr: number,
  si: number,
  qr: number,
  qi: number,
  l0: number,
  count: number,
): void {
  expAt(xr, xi, l0);
  let ar = E[0];
  let ai = E[1];
  let br = ar * sr - ai * si;
  let bi = ar * si + ai * sr;
  let cr = br * sr - bi * si;
  let ci = br * si + bi * sr;
  let dr = cr * sr - ci * si;
  let di = cr * si + ci * sr;
  let t = 0;
  for (; t + 3 < count; t += 4) {
    pre[t] = ar;
    pim[t] = ai;
    pre[t + 1] = br;
    pim[t + 1] = bi;
    pre[t + 2] = cr;
    pim[t + 2] = ci;
    pre[t + 3] = dr;
    pim[t + 3] = di;
    let nr = ar * qr - ai * qi;
    ai = ar * qi + ai * qr;
    ar = nr;
    nr = br * qr - bi * qi;
    bi = br * qi + bi * qr;
    br = nr;
    nr = cr * qr - ci * qi;
    ci = cr * qi + ci * qr;
    cr = nr;
    nr = dr * qr - di * qi;
    di = dr * qi + di * qr;
    dr = nr;
  }
  if (t < count) {
    pre[t] = ar;
    pim[t] = ai;
  }
  if (t + 1 < count) {
    pre[t + 1] = br;
    pim[t + 1] = bi;
  }
  if (t + 2 < count) {
    pre[t + 2] = cr;
    pim[t + 2] = ci;
  }
}

/** exp(x) and exp(4x) for the power recurrence, into `S` = [sr, si, qr, qi]. */
function stepFactors(xr: number, xi: number): void {
  const g = Math.exp(xr);
  S[0] = g * Math.cos(xi);
  S[1] = g * Math.sin(xi);
  expAt(xr, xi, 4);
  S[2] = E[0];
  S[3] = E[1];
}

/** Scratch for {@link stepFactors}. */
const S = new Float64Array(4);

/**
 * The S4D kernel sum (the official `log_vandermonde`):
 *
 *   K[b, h, l] = 2·Re Σ_n v[b,h,n]·exp(x[h,n]·l),   l = 0 … L−1.
 *
 * Shapes: `v` complex [batch, H, N2], `x` complex [H, N2] (log-poles, e.g. Δ·A for zoh);
 * returns real [batch, H, L], float32 when any input is float32 and float64 otherwise.
 *
 * Numerics: everything runs in float64. exp(x·l) is computed directly (with compensated
 * products) at the start of every 64-step block and by repeated multiplication by exp(x) within
 * it, so the error stays at the 1e-15 level for any L (no error growth along the sequence).
 * Loop order h → n → block → batch; the powers of a block are shared by all batch rows.
 *
 * @param L - output length, an integer ≥ 1.
 * @param out - Optional output array of batch·H·L numbers (reused to avoid allocating).
 * @throws RangeError on mismatched shapes (naming the argument and expected shape), L < 1 or
 *   non-finite inputs.
 */
export function vandermonde(v: ComplexTensor, x: ComplexTensor, L: number, out?: RealArray): Tensor {
  const [batch, H, N2] = complexDims('v', v, ['batch', 'H', 'N2']);
  expectComplexShape('x', x, [H, N2], ['H', 'N2']);
  assertInteger('L', L, 1);
  assertFinite('v', v.data);
  assertFinite('x', x.data);
  const vd = v.data;
  const xd = x.data;
  const result = resultArray('vandermonde', out, batch * H * L, vd, xd);
  const acc = new Float64Array(batch * L);
  const pre = new Float64Array(BLOCK);
  const pim = new Float64Array(BLOCK);
  for (let h = 0; h < H; h++) {
    acc.fill(0);
    for (let n = 0; n < N2; n++) {
      const xr = xd[2 * (h * N2 + n)];
      const xi = xd[2 * (h * N2 + n) + 1];
      stepFactors(xr, xi);
      const sr = S[0];
      const si = S[1];
      const qr = S[2];
      const qi = S[3];
      for (let l0 = 0; l0 < L; l0 += BLOCK) {
        const count = Math.min(BLOCK, L - l0);
        fillPowers(pre, pim, xr, xi, sr, si, qr, qi, l0, count);
        for (let b = 0; b < batch; b++) {
          const vi = 2 * ((b * H + h) * N2 + n);
          const vr = vd[vi];
          const vim = vd[vi + 1];
          const base = b * L + l0;
          for (let t = 0; t < count; t++) acc[base + t] += vr * pre[t] - vim * pim[t];
        }
      }
    }
    for (let b = 0; b < batch; b++) {
      const dst = (b * H + h) * L;
      const src = b * L;
      for (let l = 0; l < L; l++) result[dst + l] = 2 * acc[src + l];
    }
  }
  return { data: result, shape: [batch, H, L] };
}

/**
 * The transposed Vandermonde product used to forward diagonal states (the official
 * `log_vandermonde_transpose`):
 *
 *   s[b, h, n] = Σ_{l<L} u[b,h,l]·v[h,n]·exp(x[h,n]·l).
 *
 * Shapes: `u` real [batch, H, L] (L ≥ 0; an empty sum is 0), `v` complex [H, N2], `x` complex
 * [H, N2]; returns complex [batch, H, N2], float32 when any input is float32 and float64
 * otherwise. Same blocked, float64 power scheme as {@link vandermonde}. It is the adjoint of the
 * map v ↦ Σ_n v_n·exp(x_n·l) under the bilinear pairing: Σ_l u_l·(Σ_n c_n e^{x_n l}) =
 * Σ_n c_n·(Σ_l u_l e^{x_n l}).
 *
 * @throws RangeError on mismatched shapes (naming the argument and expected shape) or non-finite
 *   inputs.
 */
export function vandermondeTranspose(u: Tensor, v: ComplexTensor, x: ComplexTensor): ComplexTensor {
  const ushape = u?.shape;
  if (!Array.isArray(ushape) || ushape.length !== 3) {
    throw new RangeError(`u must have shape [batch, H, L]; got [${ushape?.join(', ') ?? ''}]`);
  }
  const [batch, H, L] = ushape;
  if (u.data.length !== sizeOf(ushape)) {
    throw new RangeError(`u.data must hold ${sizeOf(ushape)} values; got ${u.data.length}`);
  }
  const vshape = v?.shape;
  if (!Array.isArray(vshape) || vshape.length !== 2 || vshape[0] !== H) {
    throw new RangeError(`v must have shape [H, N2] with H = ${H}; got [${vshape?.join(', ') ?? ''}]`);
  }
  const N2 = vshape[1];
  assertComplexLength('v.data', v.data, H * N2);
  expectComplexShape('x', x, [H, N2], ['H', 'N2']);
  assertFinite('u', u.data);
  assertFinite('v', v.data);
  assertFinite('x', x.data);
  const ud = u.data;
  const vd = v.data;
  const xd = x.data;
  const out = allocateResult(2 * batch * H * N2, ud, vd, xd);
  const acc = new Float64Array(2 * batch);
  const pre = new Float64Array(BLOCK);
  const pim = new Float64Array(BLOCK);
  for (let h = 0; h < H; h++) {
    for (let n = 0; n < N2; n++) {
      const k = 2 * (h * N2 + n);
      const xr = xd[k];
      const xi = xd[k + 1];
      stepFactors(xr, xi);
      const sr = S[0];
      const si = S[1];
      const qr = S[2];
      const qi = S[3];
      acc.fill(0);
      for (let l0 = 0; l0 < L; l0 += BLOCK) {
        const count = Math.min(BLOCK, L - l0);
        fillPowers(pre, pim, xr, xi, sr, si, qr, qi, l0, count);
        for (let b = 0; b < batch; b++) {
          const base = (b * H + h) * L + l0;
          let re = 0;
          let im = 0;
          for (let t = 0; t < count; t++) {
            const uu = ud[base + t];
            re += uu * pre[t];
            im += uu * pim[t];
          }
          acc[2 * b] += re;
          acc[2 * b + 1] += im;
        }
      }
      const cr = vd[k];
      const ci = vd[k + 1];
      for (let b = 0; b < batch; b++) {
        const o = 2 * ((b * H + h) * N2 + n);
        const ar = acc[2 * b];
        const ai = acc[2 * b + 1];
        out[o] = cr * ar - ci * ai;
        out[o + 1] = cr * ai + ci * ar;
      }
    }
  }
  return { data: out, shape: [batch, H, N2] };
}
