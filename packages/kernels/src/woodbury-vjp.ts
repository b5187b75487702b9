import {
  allocateLike,
  assertComplexLength,
  assertFinite,
  assertInteger,
  type ComplexArray,
  type ComplexTensor,
  sizeOf,
  type Tensor,
} from '@statespace/complex';
import { bilinearFactor, isNyquistNode } from './nodes';

// Vector-Jacobian products of the Woodbury correction and of the bilinear factor. Gradients follow
// docs/architecture.md ("Gradients"): for a real loss ℓ, a complex value's gradient is interleaved
// (∂ℓ/∂Re, ∂ℓ/∂Im). Both maps are holomorphic, so a term A·dR·B of dk has gradient A^H·G·B^H.

/** Complex R×R inverse of `m` (row-major, interleaved) into `inv`, Gauss–Jordan with partial pivoting. */
function invert(m: Float64Array, inv: Float64Array, R: number): boolean {
  inv.fill(0);
  for (let i = 0; i < R; i++) inv[2 * (i * R + i)] = 1;
  for (let c = 0; c < R; c++) {
    let piv = c;
    let best = -1;
    for (let a = c; a < R; a++) {
      const mag = m[2 * (a * R + c)] ** 2 + m[2 * (a * R + c) + 1] ** 2;
      if (mag > best) {
        best = mag;
        piv = a;
      }
    }
    if (!(best > 0)) return false;
    for (let j = 0; j < 2 * R; j++) {
      for (const a of [m, inv]) {
        const t = a[2 * c * R + j];
        a[2 * c * R + j] = a[2 * piv * R + j];
        a[2 * piv * R + j] = t;
      }
    }
    const pr = m[2 * (c * R + c)] / best;
    const pi = -m[2 * (c * R + c) + 1] / best;
    for (const a of [m, inv]) {
      for (let j = 0; j < R; j++) {
        const xr = a[2 * (c * R + j)];
        const xi = a[2 * (c * R + j) + 1];
        a[2 * (c * R + j)] = xr * pr - xi * pi;
        a[2 * (c * R + j) + 1] = xr * pi + xi * pr;
      }
    }
    for (let a = 0; a < R; a++) {
      if (a === c) continue;
      const fr = m[2 * (a * R + c)];
      const fi = m[2 * (a * R + c) + 1];
      for (const t of [m, inv]) {
        for (let j = 0; j < R; j++) {
          const xr = t[2 * (c * R + j)];
          const xi = t[2 * (c * R + j) + 1];
          t[2 * (a * R + j)] -= fr * xr - fi * xi;
          t[2 * (a * R + j) + 1] -= fr * xi + fi * xr;
        }
      }
    }
  }
  return true;
}

/**
 * The vector-Jacobian product of `woodbury(r, rank)`: given `grad` = ∂ℓ/∂k_f, complex
 * [nb, nc, H, Lz], returns ∂ℓ/∂r, complex [nb+R, nc+R, H, Lz]. At each node, with M = I + r11,
 * X = M⁻¹·r10 and T = r01·M⁻¹, k_f = r00 − r01·X gives
 *
 *   ∂ℓ/∂r00 = G,  ∂ℓ/∂r01 = −G·X^H,  ∂ℓ/∂r10 = −T^H·G,  ∂ℓ/∂r11 = T^H·G·X^H
 *
 * (^H the conjugate transpose), for every rank through one small inverse per node. Computed in
 * float64; the result has the precision of `r` (float32 when `r` or `grad` is).
 *
 * @throws RangeError, naming the argument, as `woodbury` does, when `grad` is not
 *   [nb, nc, H, Lz] or holds non-finite values, or when I + r11 is singular at a node.
 */
export function woodburyVjp(r: ComplexTensor, rank: number, grad: ComplexTensor): ComplexTensor {
  assertInteger('rank', rank, 0);
  const shape = r?.shape;
  if (!Array.isArray(shape) || shape.length !== 4 || shape[0] <= rank || shape[1] <= rank) {
    throw new RangeError(
      `r must have shape [nb+R, nc+R, H, Lz] with nb, nc ≥ 1 for rank R = ${rank}; got [${shape?.join(', ') ?? ''}]`,
    );
  }
  const [rows, cols, H, Lz] = shape;
  const R = rank;
  const nb = rows - R;
  const nc = cols - R;
  assertComplexLength('r.data', r.data, sizeOf(shape));
  const gs = grad?.shape;
  if (!Array.isArray(gs) || gs.length !== 4 || [nb, nc, H, Lz].some((d, i) => gs[i] !== d)) {
    throw new RangeError(
      `grad must have the shape of k_f [${nb}, ${nc}, ${H}, ${Lz}]; got [${gs?.join(', ') ?? ''}]`,
    );
  }
  assertComplexLength('grad.data', grad.data, sizeOf(gs));
  assertFinite('r', r.data);
  assertFinite('grad', grad.data);
  const P = H * Lz;
  const rd = r.data;
  const gd = grad.data;
  const out = grad.data instanceof Float32Array ? new Float32Array(rd.length) : allocateLike(rd, rd.length);
  // Offsets of (i, j, p) in r (width cols) and in k_f (width nc), in numbers.
  const at = (i: number, j: number, p: number): number => 2 * ((i * cols + j) * P + p);
  const to = (i: number, j: number, p: number): number => 2 * ((i * nc + j) * P + p);

  const m = new Float64Array(2 * R * R);
  const inv = new Float64Array(2 * R * R);
  const X = new Float64Array(2 * R * nc); // M⁻¹·r10
  const T = new Float64Array(2 * nb * R); // r01·M⁻¹
  const Y = new Float64Array(2 * R * nc); // T^H·G
  for (let p = 0; p < P; p++) {
    for (let i = 0; i < nb; i++) {
      for (let j = 0; j < nc; j++) {
        out[at(i, j, p)] = gd[to(i, j, p)];
        out[at(i, j, p) + 1] = gd[to(i, j, p) + 1];
      }
    }
    if (R === 0) continue;
    for (let a = 0; a < R; a++) {
      for (let c = 0; c < R; c++) {
        m[2 * (a * R + c)] = rd[at(nb + a, nc + c, p)] + (a === c ? 1 : 0);
        m[2 * (a * R + c) + 1] = rd[at(nb + a, nc + c, p) + 1];
      }
    }
    if (!invert(m, inv, R)) {
      const h = Math.floor(p / Lz);
      throw new RangeError(
        `I + r11 is singular at node (h = ${h}, l = ${p - h * Lz}); the Woodbury solve fails`,
      );
    }
    X.fill(0);
    for (let a = 0; a < R; a++) {
      for (let c = 0; c < R; c++) {
        const er = inv[2 * (a * R + c)];
        const ei = inv[2 * (a * R + c) + 1];
        for (let j = 0; j < nc; j++) {
          const yr = rd[at(nb + c, j, p)];
          const yi = rd[at(nb + c, j, p) + 1];
          X[2 * (a * nc + j)] += er * yr - ei * yi;
          X[2 * (a * nc + j) + 1] += er * yi + ei * yr;
        }
      }
    }
    T.fill(0);
    for (let i = 0; i < nb; i++) {
      for (let c = 0; c < R; c++) {
        const er = rd[at(i, nc + c, p)];
        const ei = rd[at(i, nc + c, p) + 1];
        for (let a = 0; a < R; a++) {
          const yr = inv[2 * (c * R + a)];
          const yi = inv[2 * (c * R + a) + 1];
          T[2 * (i * R + a)] += er * yr - ei * yi;
          T[2 * (i * R + a) + 1] += er * yi + ei * yr;
        }
      }
    }
    // ∂ℓ/∂r01 = −G·X^H and Y = T^H·G, ∂ℓ/∂r10 = −Y.
    Y.fill(0);
    for (let i = 0; i < nb; i++) {
      for (let a = 0; a < R; a++) {
        let sr = 0;
        let si = 0;
        const tr = T[2 * (i * R + a)];
        const ti = T[2 * (i * R + a) + 1];
        for (let j = 0; j < nc; j++) {
          const g = to(i, j, p);
          const gr = gd[g];
          const gi = gd[g + 1];
          const xr = X[2 * (a * nc + j)];
          const xi = X[2 * (a * nc + j) + 1];
          sr += gr * xr + gi * xi;
          si += gi * xr - gr * xi;
          Y[2 * (a * nc + j)] += tr * gr + ti * gi;
          Y[2 * (a * nc + j) + 1] += tr * gi - ti * gr;
        }
        out[at(i, nc + a, p)] = -sr;
        out[at(i, nc + a, p) + 1] = -si;
      }
    }
    for (let a = 0; a < R; a++) {
      for (let j = 0; j < nc; j++) {
        out[at(nb + a, j, p)] = -Y[2 * (a * nc + j)];
        out[at(nb + a, j, p) + 1] = -Y[2 * (a * nc + j) + 1];
      }
      // ∂ℓ/∂r11 = Y·X^H
      for (let c = 0; c < R; c++) {
        let sr = 0;
        let si = 0;
        for (let j = 0; j < nc; j++) {
          const yr = Y[2 * (a * nc + j)];
          const yi = Y[2 * (a * nc + j) + 1];
          const xr = X[2 * (c * nc + j)];
          const xi = X[2 * (c * nc + j) + 1];
          sr += yr * xr + yi * xi;
          si += yi * xr - yr * xi;
        }
        out[at(nb + a, nc + c, p)] = sr;
        out[at(nb + a, nc + c, p) + 1] = si;
      }
    }
  }
  return { data: out, shape: [...shape] };
}

/**
 * The vector-Jacobian product of `woodburyLimit(rLimit, rank)`, which keeps the r00 block: given
 * `grad` (real [nb, nc, H]), returns ∂ℓ/∂rLimit, real [nb+R, nc+R, H], with `grad` in the r00
 * block and 0 elsewhere, of `grad`'s precision.
 *
 * @throws RangeError on a bad shape or rank, or non-finite values.
 */
export function woodburyLimitVjp(grad: Tensor, rank: number): Tensor {
  assertInteger('rank', rank, 0);
  const shape = grad?.shape;
  if (!Array.isArray(shape) || shape.length !== 3 || grad.data.length !== sizeOf(shape)) {
    throw new RangeError(
      `grad must have shape [nb, nc, H] with matching data; got [${shape?.join(', ') ?? ''}]`,
    );
  }
  assertFinite('grad', grad.data);
  const [nb, nc, H] = shape;
  const cols = nc + rank;
  const out = allocateLike(grad.data, (nb + rank) * cols * H);
  for (let i = 0; i < nb; i++) {
    for (let j = 0; j < nc; j++)
      out.set(grad.data.subarray((i * nc + j) * H, (i * nc + j + 1) * H), (i * cols + j) * H);
  }
  return { data: out, shape: [nb + rank, cols, H] };
}

/** The gradients of `applyBilinearFactor` with respect to its two inputs. */
export interface BilinearFactorGrads {
  /** ∂ℓ/∂kf, complex [..., Lz]: conj(2/(1+ω))·g, and 0 at the Nyquist node (where kf is ignored). */
  kf: ComplexTensor;
  /** ∂ℓ/∂limit, real [...]: ½·Σ Re g over the Nyquist nodes (0 when there is none). */
  limit: Tensor;
}

/**
 * The vector-Jacobian product of `applyBilinearFactor(kf, omega, limit)`: given `grad` = ∂ℓ/∂out,
 * complex [..., Lz], returns the gradients with respect to `kf` and `limit` (the nodes ω are
 * constants). The output is kf·2/(1+ω) away from ω = −1 and limit/2 (real) there. Both results
 * have `grad`'s precision.
 *
 * @throws RangeError when `grad` is not [..., Lz] with Lz the node count of `omega`, or holds
 *   non-finite values.
 */
export function applyBilinearFactorVjp(grad: ComplexTensor, omega: ComplexArray): BilinearFactorGrads {
  const shape = grad?.shape;
  if (!Array.isArray(shape) || shape.length < 1) {
    throw new RangeError(`grad must have shape [..., Lz]; got [${shape?.join(', ') ?? ''}]`);
  }
  assertComplexLength('grad.data', grad.data, sizeOf(shape));
  assertFinite('grad', grad.data);
  const Lz = shape[shape.length - 1];
  assertComplexLength('omega', omega, Lz);
  const factor = bilinearFactor(omega);
  const lead = shape.slice(0, -1);
  const rows = sizeOf(lead);
  const gd = grad.data;
  const kf = allocateLike(gd, gd.length);
  const limit = allocateLike(gd, rows);
  for (let row = 0; row < rows; row++) {
    const base = 2 * row * Lz;
    for (let l = 0, q = 0; l < Lz; l++, q += 2) {
      const gr = gd[base + q];
      const gi = gd[base + q + 1];
      if (isNyquistNode(omega, l)) {
        limit[row] += 0.5 * gr;
        continue;
      }
      const fr = factor[q];
      const fi = factor[q + 1];
      kf[base + q] = fr * gr + fi * gi;
      kf[base + q + 1] = fr * gi - fi * gr;
    }
  }
  return { kf: { data: kf, shape: [...shape] }, limit: { data: limit, shape: lead } };
}
