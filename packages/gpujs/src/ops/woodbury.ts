import { type DeviceValue, type GpuJsRuntime, type KernelThis, kernelSource } from '../runtime';

// The Woodbury (low-rank) correction of S4 fused with the bilinear factor, one thread per output
// number of each (i, j, h, l):
//
//   spectrum[i, j, h, l] = (r00 − r01·(I + r11)⁻¹·r10)[i, j] · 2/(1 + ω_l),
//
// r the stacked Cauchy sums [nb+R, nc+R, H, Lz] on the device (rows (i·cols + j)·H + h of
// [2·Lz, ·]). Ranks 1 and 2 use the official closed forms (1/(1 + r11); the 2×2 adjugate over the
// determinant): gpu.js kernels have no local arrays for a general solve, so higher ranks are
// refused (see MAX_GPUJS_RANK). At the Nyquist node (ω = −1, z = ∞) the output is the analytic
// limit, limit/2 (real), with limit = `woodburyLimit(cauchyLimit(v))` computed on the host, as the
// CPU `applyBilinearFactor` does.

/** The largest rank of P the gpu.js Woodbury kernel solves (closed forms). */
export const MAX_GPUJS_RANK = 2;

function woodburyKernel(this: KernelThis, r: number[][], factor: number[], limit: number[]): number {
  const col = this.thread.x;
  const row = this.thread.y;
  const l = Math.floor(col / 2);
  const part = col - 2 * l;
  if (l === this.constants.nyquist) {
    if (part < 0.5) return 0.5 * limit[row];
    return 0;
  }
  const H = this.constants.H;
  const nb = this.constants.nb;
  const nc = this.constants.nc;
  const cols = this.constants.cols;
  const ij = Math.floor((row + 0.5) / H);
  const h = row - ij * H;
  const i = Math.floor((ij + 0.5) / nc);
  const j = ij - i * nc;
  const re = 2 * l;
  const im = 2 * l + 1;
  const r00 = (i * cols + j) * H + h;
  let kr = r[r00][re];
  let ki = r[r00][im];
  const a0 = (i * cols + nc) * H + h;
  const y0 = (nb * cols + j) * H + h;
  const m00 = (nb * cols + nc) * H + h;
  if (this.constants.rank < 1.5) {
    // k = r00 − r01·r10/(1 + r11).
    const mr = 1 + r[m00][re];
    const mi = r[m00][im];
    const den = mr * mr + mi * mi;
    const yr = r[y0][re];
    const yi = r[y0][im];
    const sr = (yr * mr + yi * mi) / den;
    const si = (yi * mr - yr * mi) / den;
    const ar = r[a0][re];
    const ai = r[a0][im];
    kr -= ar * sr - ai * si;
    ki -= ar * si + ai * sr;
  } else {
    // (I + r11)⁻¹ = adj(M)/det M, M = [[1 + m00, m01], [m10, 1 + m11]].
    const m01 = m00 + H;
    const m10 = m00 + cols * H;
    const m11 = m10 + H;
    const pr = 1 + r[m00][re];
    const pi = r[m00][im];
    const qr = r[m01][re];
    const qi = r[m01][im];
    const ur = r[m10][re];
    const ui = r[m10][im];
    const vr = 1 + r[m11][re];
    const vi = r[m11][im];
    const dr = pr * vr - pi * vi - (qr * ur - qi * ui);
    const di = pr * vi + pi * vr - (qr * ui + qi * ur);
    const den = dr * dr + di * di;
    const y0r = r[y0][re];
    const y0i = r[y0][im];
    const y1r = r[y0 + cols * H][re];
    const y1i = r[y0 + cols * H][im];
    // s = adj(M)·y / det.
    const t0r = vr * y0r - vi * y0i - (qr * y1r - qi * y1i);
    const t0i = vr * y0i + vi * y0r - (qr * y1i + qi * y1r);
    const t1r = pr * y1r - pi * y1i - (ur * y0r - ui * y0i);
    const t1i = pr * y1i + pi * y1r - (ur * y0i + ui * y0r);
    const s0r = (t0r * dr + t0i * di) / den;
    const s0i = (t0i * dr - t0r * di) / den;
    const s1r = (t1r * dr + t1i * di) / den;
    const s1i = (t1i * dr - t1r * di) / den;
    const a0r = r[a0][re];
    const a0i = r[a0][im];
    const a1r = r[a0 + H][re];
    const a1i = r[a0 + H][im];
    kr -= a0r * s0r - a0i * s0i + (a1r * s1r - a1i * s1i);
    ki -= a0r * s0i + a0i * s0r + (a1r * s1i + a1i * s1r);
  }
  const fr = factor[2 * l];
  const fi = factor[2 * l + 1];
  if (part < 0.5) return kr * fr - ki * fi;
  return kr * fi + ki * fr;
}

const WOODBURY_SOURCE = kernelSource(woodburyKernel);

/** The sizes of a Woodbury correction. */
export interface WoodburyDims {
  /** B-side rows (B, then any state rows) and C-side rows (channels). */
  nb: number;
  nc: number;
  rank: number;
  H: number;
  Lz: number;
  /** The index of the Nyquist node, if any (ω = −1 exactly). */
  nyquist: number | undefined;
}

/**
 * Runs the Woodbury correction with the bilinear factor on the device: `r` the stacked Cauchy
 * sums there ([2·Lz, (nb+R)·(nc+R)·H]), `factor` 2/(1+ω) per node (interleaved, its Nyquist entry
 * unused), `limit` real [nb·nc·H] (the Nyquist values; any one number without one). Returns the
 * spectra [2·Lz, nb·nc·H] on the device.
 */
export function runWoodbury(
  rt: GpuJsRuntime,
  r: DeviceValue,
  factor: Float32Array,
  limit: Float32Array,
  { nb, nc, rank, H, Lz, nyquist }: WoodburyDims,
): Promise<DeviceValue> {
  if (!(rank >= 1 && rank <= MAX_GPUJS_RANK)) {
    throw new RangeError(`P must have rank 1 … ${MAX_GPUJS_RANK} on the gpu.js backend; got rank ${rank}`);
  }
  const cols = nc + rank;
  return rt.run(
    {
      key: `woodbury:${nb}x${nc}r${rank}:${H}:${Lz}:${nyquist ?? -1}`,
      source: WOODBURY_SOURCE,
      output: [2 * Lz, nb * nc * H],
      constants: { H, nb, nc, cols, rank, nyquist: nyquist ?? -1 },
    },
    [r, factor, limit],
  );
}
