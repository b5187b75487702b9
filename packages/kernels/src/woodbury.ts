import {
  allocateLike,
  assertComplexLength,
  assertFinite,
  assertInteger,
  type ComplexArray,
  type ComplexTensor,
  type RealArray,
  sizeOf,
  type Tensor,
} from '@statespace/complex';
import { bilinearFactor } from './nodes';
import { scratch } from './scratch';

/**
 * The Woodbury (low-rank) correction of S4, applied node by node to stacked Cauchy sums.
 *
 * `r` is complex [nb+R, nc+R, H, Lz]: its rows are the nb B-side rows (B, then any state rows)
 * followed by the R rows of P; its columns the nc C-side rows (the channels of C̃) followed by
 * the R rows of Q = conj P — the layout of the official `r = cauchy(B̂[:,None]·Ĉ[None]·Δ, …)`.
 * With r00 = r[:nb, :nc], r01 = r[:nb, nc:], r10 = r[nb:, :nc], r11 = r[nb:, nc:] at each
 * (h, l) node it returns
 *
 *   k_f = r00 − r01 · (I + r11)⁻¹ · r10,   complex [nb, nc, H, Lz],
 *
 * which is C̃ᵀ(z − ΔA)⁻¹ΔB for A = diag(Λ) − P Q* (conjugate pairs expanded). R = 1 and R = 2
 * use the official closed forms (1/(1 + r11) and the 2×2 adjugate over its determinant); R ≥ 3
 * a small LU solve with partial pivoting per node; R = 0 returns r00. Computed in float64; the
 * result is float32 when `r` is.
 *
 * Nodes where `cauchy` returned 0 (an infinite z, the Nyquist node) give k_f = 0 there; their
 * value comes from {@link woodburyLimit} and {@link applyBilinearFactor}.
 *
 * @param r - complex [nb+R, nc+R, H, Lz] with nb, nc ≥ 1.
 * @param rank - R, an integer ≥ 0.
 * @throws RangeError on a bad shape or rank, non-finite `r`, or a singular I + r11 at a node.
 */
export function woodbury(r: ComplexTensor, rank: number, out?: RealArray): ComplexTensor {
  assertInteger('rank', rank, 0);
  const shape = r?.shape;
  if (!Array.isArray(shape) || shape.length !== 4) {
    throw new RangeError(`r must have shape [nb+R, nc+R, H, Lz]; got [${shape?.join(', ') ?? ''}]`);
  }
  const [rows, cols, H, Lz] = shape;
  if (rows <= rank || cols <= rank) {
    throw new RangeError(
      `r must have shape [nb+R, nc+R, H, Lz] with nb, nc ≥ 1 for rank R = ${rank}; got [${shape.join(', ')}]`,
    );
  }
  assertComplexLength('r.data', r.data, sizeOf(shape));
  assertFinite('r', r.data);
  const nb = rows - rank;
  const nc = cols - rank;
  const P = H * Lz;
  const rd = r.data;
  const result = out ?? allocateLike(r.data, 2 * nb * nc * P);
  if (result.length !== 2 * nb * nc * P) {
    throw new RangeError(`woodbury: out must hold ${2 * nb * nc * P} numbers; got ${result.length}`);
  }
  // Offset (in numbers) of block (i, j) of r, and of block (i, j) of the result. The per-node
  // factors below, as long as a block, come from reused work arrays (fresh ones are slow to touch).
  const at = (i: number, j: number): number => 2 * (i * cols + j) * P;
  const to = (i: number, j: number): number => 2 * (i * nc + j) * P;

  if (rank === 0) {
    for (let i = 0; i < nb; i++) {
      for (let j = 0; j < nc; j++) {
        const s = at(i, j);
        const d = to(i, j);
        for (let q = 0; q < 2 * P; q++) result[d + q] = rd[s + q];
      }
    }
  } else if (rank === 1) {
    // k = r00 − (r01 / (1 + r11)) · r10.
    const inv = scratch('woodbury.inv', 2 * P);
    const m11 = at(nb, nc);
    for (let p = 0, q = 0; p < P; p++, q += 2) {
      const mr = 1 + rd[m11 + q];
      const mi = rd[m11 + q + 1];
      const den = mr * mr + mi * mi;
      if (den === 0) throw singularError(p, Lz);
      inv[q] = mr / den;
      inv[q + 1] = -mi / den;
    }
    const t = scratch('woodbury.t0', 2 * P);
    for (let i = 0; i < nb; i++) {
      const r01 = at(i, nc);
      for (let q = 0; q < 2 * P; q += 2) {
        const ar = rd[r01 + q];
        const ai = rd[r01 + q + 1];
        t[q] = ar * inv[q] - ai * inv[q + 1];
        t[q + 1] = ar * inv[q + 1] + ai * inv[q];
      }
      for (let j = 0; j < nc; j++) {
        const r00 = at(i, j);
        const r10 = at(nb, j);
        const d = to(i, j);
        for (let q = 0; q < 2 * P; q += 2) {
          const br = rd[r10 + q];
          const bi = rd[r10 + q + 1];
          result[d + q] = rd[r00 + q] - (t[q] * br - t[q + 1] * bi);
          result[d + q + 1] = rd[r00 + q + 1] - (t[q] * bi + t[q + 1] * br);
        }
      }
    }
  } else if (rank === 2) {
    // (I + r11)⁻¹ = adj(M)/det(M), M = [[1 + r11₀₀, r11₀₁], [r11₁₀, 1 + r11₁₁]] (official closed form).
    const m00 = at(nb, nc);
    const m01 = at(nb, nc + 1);
    const m10 = at(nb + 1, nc);
    const m11 = at(nb + 1, nc + 1);
    const idet = scratch('woodbury.inv', 2 * P);
    for (let p = 0, q = 0; p < P; p++, q += 2) {
      const ar = 1 + rd[m00 + q];
      const ai = rd[m00 + q + 1];
      const dr = 1 + rd[m11 + q];
      const di = rd[m11 + q + 1];
      const br = rd[m01 + q];
      const bi = rd[m01 + q + 1];
      const cr = rd[m10 + q];
      const ci = rd[m10 + q + 1];
      const detr = ar * dr - ai * di - (br * cr - bi * ci);
      const deti = ar * di + ai * dr - (br * ci + bi * cr);
      const den = detr * detr + deti * deti;
      if (den === 0) throw singularError(p, Lz);
      idet[q] = detr / den;
      idet[q + 1] = -deti / den;
    }
    const t0 = scratch('woodbury.t0', 2 * P);
    const t1 = scratch('woodbury.t1', 2 * P);
    for (let i = 0; i < nb; i++) {
      const x0 = at(i, nc);
      const x1 = at(i, nc + 1);
      for (let q = 0; q < 2 * P; q += 2) {
        // [t0, t1] = [r01₀, r01₁] · adj(M) / det.
        const e0r = rd[x0 + q];
        const e0i = rd[x0 + q + 1];
        const e1r = rd[x1 + q];
        const e1i = rd[x1 + q + 1];
        const ar = 1 + rd[m00 + q];
        const ai = rd[m00 + q + 1];
        const dr = 1 + rd[m11 + q];
        const di = rd[m11 + q + 1];
        const br = rd[m01 + q];
        const bi = rd[m01 + q + 1];
        const cr = rd[m10 + q];
        const ci = rd[m10 + q + 1];
        const u0r = e0r * dr - e0i * di - (e1r * cr - e1i * ci);
        const u0i = e0r * di + e0i * dr - (e1r * ci + e1i * cr);
        const u1r = e1r * ar - e1i * ai - (e0r * br - e0i * bi);
        const u1i = e1r * ai + e1i * ar - (e0r * bi + e0i * br);
        const sr = idet[q];
        const si = idet[q + 1];
        t0[q] = u0r * sr - u0i * si;
        t0[q + 1] = u0r * si + u0i * sr;
        t1[q] = u1r * sr - u1i * si;
        t1[q + 1] = u1r * si + u1i * sr;
      }
      for (let j = 0; j < nc; j++) {
        const r00 = at(i, j);
        const y0 = at(nb, j);
        const y1 = at(nb + 1, j);
        const d = to(i, j);
        for (let q = 0; q < 2 * P; q += 2) {
          const y0r = rd[y0 + q];
          const y0i = rd[y0 + q + 1];
          const y1r = rd[y1 + q];
          const y1i = rd[y1 + q + 1];
          result[d + q] = rd[r00 + q] - (t0[q] * y0r - t0[q + 1] * y0i) - (t1[q] * y1r - t1[q + 1] * y1i);
          result[d + q + 1] =
            rd[r00 + q + 1] - (t0[q] * y0i + t0[q + 1] * y0r) - (t1[q] * y1i + t1[q + 1] * y1r);
        }
      }
    }
  } else {
    woodburyGeneral(rd, result, nb, nc, rank, P, Lz);
  }
  return { data: result, shape: [nb, nc, H, Lz] };
}

/** Rank ≥ 3: per node, LU-factor M = I + r11 (R×R), solve M·Y = r10, k = r00 − r01·Y. */
function woodburyGeneral(
  rd: ComplexArray,
  out: ComplexArray,
  nb: number,
  nc: number,
  R: number,
  P: number,
  Lz: number,
): void {
  const cols = nc + R;
  const m = new Float64Array(2 * R * R);
  const y = new Float64Array(2 * R * nc);
  for (let p = 0; p < P; p++) {
    const q = 2 * p;
    for (let a = 0; a < R; a++) {
      for (let b = 0; b < R; b++) {
        const s = 2 * ((nb + a) * cols + nc + b) * P + q;
        m[2 * (a * R + b)] = rd[s] + (a === b ? 1 : 0);
        m[2 * (a * R + b) + 1] = rd[s + 1];
      }
      for (let j = 0; j < nc; j++) {
        const s = 2 * ((nb + a) * cols + j) * P + q;
        y[2 * (a * nc + j)] = rd[s];
        y[2 * (a * nc + j) + 1] = rd[s + 1];
      }
    }
    // Gaussian elimination with partial pivoting on [M | Y], in place.
    for (let c = 0; c < R; c++) {
      let piv = c;
      let best = -1;
      for (let a = c; a < R; a++) {
        const er = m[2 * (a * R + c)];
        const ei = m[2 * (a * R + c) + 1];
        const mag = er * er + ei * ei;
        if (mag > best) {
          best = mag;
          piv = a;
        }
      }
      if (!(best > 0)) throw singularError(p, Lz);
      if (piv !== c) {
        swapRows(m, R, piv, c);
        swapRows(y, nc, piv, c);
      }
      const pr = m[2 * (c * R + c)];
      const pi = m[2 * (c * R + c) + 1];
      const ir = pr / best;
      const ii = -pi / best;
      for (let a = c + 1; a < R; a++) {
        const er = m[2 * (a * R + c)];
        const ei = m[2 * (a * R + c) + 1];
        const fr = er * ir - ei * ii;
        const fi = er * ii + ei * ir;
        for (let b = c; b < R; b++) {
          const xr = m[2 * (c * R + b)];
          const xi = m[2 * (c * R + b) + 1];
          m[2 * (a * R + b)] -= fr * xr - fi * xi;
          m[2 * (a * R + b) + 1] -= fr * xi + fi * xr;
        }
        for (let j = 0; j < nc; j++) {
          const xr = y[2 * (c * nc + j)];
          const xi = y[2 * (c * nc + j) + 1];
          y[2 * (a * nc + j)] -= fr * xr - fi * xi;
          y[2 * (a * nc + j) + 1] -= fr * xi + fi * xr;
        }
      }
    }
    for (let c = R - 1; c >= 0; c--) {
      const pr = m[2 * (c * R + c)];
      const pi = m[2 * (c * R + c) + 1];
      const den = pr * pr + pi * pi;
      const ir = pr / den;
      const ii = -pi / den;
      for (let j = 0; j < nc; j++) {
        let sr = y[2 * (c * nc + j)];
        let si = y[2 * (c * nc + j) + 1];
        for (let b = c + 1; b < R; b++) {
          const er = m[2 * (c * R + b)];
          const ei = m[2 * (c * R + b) + 1];
          const xr = y[2 * (b * nc + j)];
          const xi = y[2 * (b * nc + j) + 1];
          sr -= er * xr - ei * xi;
          si -= er * xi + ei * xr;
        }
        y[2 * (c * nc + j)] = sr * ir - si * ii;
        y[2 * (c * nc + j) + 1] = sr * ii + si * ir;
      }
    }
    for (let i = 0; i < nb; i++) {
      for (let j = 0; j < nc; j++) {
        const s = 2 * (i * cols + j) * P + q;
        let kr = rd[s];
        let ki = rd[s + 1];
        for (let a = 0; a < R; a++) {
          const e = 2 * (i * cols + nc + a) * P + q;
          const er = rd[e];
          const ei = rd[e + 1];
          const xr = y[2 * (a * nc + j)];
          const xi = y[2 * (a * nc + j) + 1];
          kr -= er * xr - ei * xi;
          ki -= er * xi + ei * xr;
        }
        const d = 2 * (i * nc + j) * P + q;
        out[d] = kr;
        out[d + 1] = ki;
      }
    }
  }
}

function swapRows(a: Float64Array, width: number, i: number, j: number): void {
  for (let c = 0; c < 2 * width; c++) {
    const t = a[2 * i * width + c];
    a[2 * i * width + c] = a[2 * j * width + c];
    a[2 * j * width + c] = t;
  }
}

/**
 * The Woodbury correction at the point at infinity: given `rLimit` = lim z·r(z) (real
 * [nb+R, nc+R, H], from `cauchyLimit` on the same stacked v), returns lim z·k_f(z), real
 * [nb, nc, H]. That is the r00 block alone: r01, r10 = O(1/z) and (I + r11)⁻¹ → I, so the
 * correction r01(I + r11)⁻¹r10 = O(1/z²) vanishes even after multiplying by z. Same precision
 * as `rLimit`.
 *
 * Feed the result to {@link applyBilinearFactor} as its `limit` for the Nyquist node.
 *
 * @throws RangeError on a bad shape or rank, or non-finite values.
 */
export function woodburyLimit(rLimit: Tensor, rank: number): Tensor {
  assertInteger('rank', rank, 0);
  const shape = rLimit?.shape;
  if (!Array.isArray(shape) || shape.length !== 3 || shape[0] <= rank || shape[1] <= rank) {
    throw new RangeError(
      `rLimit must have shape [nb+R, nc+R, H] with nb, nc ≥ 1 for rank R = ${rank}; got [${shape?.join(', ') ?? ''}]`,
    );
  }
  const [rows, cols, H] = shape;
  if (rLimit.data.length !== rows * cols * H) {
    throw new RangeError(`rLimit.data must hold ${rows * cols * H} values; got ${rLimit.data.length}`);
  }
  assertFinite('rLimit', rLimit.data);
  const nb = rows - rank;
  const nc = cols - rank;
  const out = allocateLike(rLimit.data, nb * nc * H);
  for (let i = 0; i < nb; i++) {
    for (let j = 0; j < nc; j++) {
      const s = (i * cols + j) * H;
      const d = (i * nc + j) * H;
      for (let h = 0; h < H; h++) out[d + h] = rLimit.data[s + h];
    }
  }
  return { data: out, shape: [nb, nc, H] };
}

/**
 * Multiplies Woodbury-corrected sums by the bilinear factor 2/(1+ω) node by node (step 8 of the
 * S4 kernel), producing the kernel's spectrum at the nodes ω.
 *
 * `kf` is complex [..., Lz] (any leading dimensions), `omega` interleaved complex with Lz nodes.
 * At a node where ω = −1 exactly (the Nyquist node, z = ∞) the factor is infinite and `kf`
 * there (0 from `cauchy`) is ignored: the output is the analytic limit
 * lim (1 + z/2)·k_f(z) = ½·lim z·k_f(z) = `limit`/2 (real), where `limit` is real with `kf`'s
 * leading shape ([...]) — {@link woodburyLimit} of `cauchyLimit` of the stacked v. For the S4
 * layout this is Re Σ_n v_n of the B×C block (the Woodbury term vanishes there). So the Nyquist
 * value is produced here, exactly once. `limit` is required when some ω is −1 and ignored
 * otherwise (odd L).
 *
 * The result is float32 when `kf` or `limit` is float32, float64 otherwise.
 *
 * @throws RangeError on mismatched shapes, non-finite values, or a Nyquist node without `limit`.
 */
export function applyBilinearFactor(
  kf: ComplexTensor,
  omega: ComplexArray,
  limit?: Tensor,
  out?: RealArray,
): ComplexTensor {
  const shape = kf?.shape;
  if (!Array.isArray(shape) || shape.length < 1) {
    throw new RangeError(`kf must have shape [..., Lz]; got [${shape?.join(', ') ?? ''}]`);
  }
  assertComplexLength('kf.data', kf.data, sizeOf(shape));
  assertFinite('kf', kf.data);
  const Lz = shape[shape.length - 1];
  const lead = shape.slice(0, -1);
  const rows = sizeOf(lead);
  assertComplexLength('omega', omega, Lz);
  const factor = bilinearFactor(omega);
  const nyq: number[] = [];
  for (let l = 0; l < Lz; l++) if (omega[2 * l] === -1 && omega[2 * l + 1] === 0) nyq.push(l);
  if (limit !== undefined) {
    const ls = limit.shape;
    if (!Array.isArray(ls) || ls.length !== lead.length || ls.some((d, i) => d !== lead[i])) {
      throw new RangeError(
        `limit must have the leading shape of kf [${lead.join(', ')}]; got [${ls?.join(', ') ?? ''}]`,
      );
    }
    if (limit.data.length !== rows) {
      throw new RangeError(`limit.data must hold ${rows} values; got ${limit.data.length}`);
    }
    assertFinite('limit', limit.data);
  } else if (nyq.length > 0) {
    throw new RangeError(
      `limit is required: omega[${nyq[0]}] = −1 is the Nyquist node, where 2/(1+ω) is infinite; ` +
        'pass woodburyLimit(cauchyLimit(v), rank) of shape [' +
        lead.join(', ') +
        ']',
    );
  }
  const f32 = kf.data instanceof Float32Array || limit?.data instanceof Float32Array;
  const result = out ?? (f32 ? new Float32Array(2 * rows * Lz) : new Float64Array(2 * rows * Lz));
  if (result.length !== 2 * rows * Lz) {
    throw new RangeError(`applyBilinearFactor: out must hold ${2 * rows * Lz} numbers; got ${result.length}`);
  }
  const kd = kf.data;
  for (let row = 0; row < rows; row++) {
    const base = 2 * row * Lz;
    for (let l = 0, q = 0; l < Lz; l++, q += 2) {
      const fr = factor[q];
      const fi = factor[q + 1];
      const ar = kd[base + q];
      const ai = kd[base + q + 1];
      result[base + q] = ar * fr - ai * fi;
      result[base + q + 1] = ar * fi + ai * fr;
    }
    for (const l of nyq) {
      result[base + 2 * l] = 0.5 * (limit as Tensor).data[row];
      result[base + 2 * l + 1] = 0;
    }
  }
  return { data: result, shape: [...shape] };
}

function singularError(p: number, Lz: number): RangeError {
  const h = Math.floor(p / Lz);
  return new RangeError(
    `I + r11 is singular at node (h = ${h}, l = ${p - h * Lz}); the Woodbury solve fails`,
  );
}
