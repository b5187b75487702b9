import type { GpuArray, GpuContext } from '../gpu-context';
import { MAX_WOODBURY_RANK, solver, woodburyHelpers } from './woodbury';

// The VJP of the S4 kernel's spectrum (woodbury.ts) back to the stacked Cauchy sums, one invocation
// per (h, l) node, fused with the two steps before it:
//
// 1. the adjoint of the inverse real FFT of length n: the gradient of bin l is (c_l/n)·rfft(g)_l,
//    c_l = 1 at bins 0 and n/2, 2 elsewhere (`irfftVjp`), from the spectrum G = rfft(∂ℓ/∂K);
// 2. the bilinear factor: ∂ℓ/∂k_f = conj(2/(1+ω_l))·(that), and at the Nyquist node, where the
//    spectrum is the limit/2, ∂ℓ/∂limit = ½·Re(that) instead (`applyBilinearFactorVjp`);
// 3. the Woodbury correction k_f = r00 − r01·(I + r11)⁻¹·r10 (`woodburyVjp`): with M = I + r11,
//    X = M⁻¹·r10, T = r01·M⁻¹ and G the gradient of k_f,
//    ∂ℓ/∂r00 = G, ∂ℓ/∂r01 = −G·X^H, ∂ℓ/∂r10 = −T^H·G, ∂ℓ/∂r11 = T^H·G·X^H.
//
// M⁻¹ is formed column by column with the forward's solver (closed forms for R ≤ 2, LU otherwise).

const WORKGROUP = 64;

function woodburyVjpWgsl(rank: number): string {
  const { prepare, solve } = solver(rank);
  return /* wgsl */ `
struct Dims { nb: u32, nc: u32, H: u32, Lz: u32, nyquist: u32, n: u32 }

@group(0) @binding(0) var<storage, read> r: array<vec2<f32>>;
@group(0) @binding(1) var<storage, read> spectrum: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read> factor: array<vec2<f32>>;
@group(0) @binding(3) var<storage, read_write> out: array<vec2<f32>>;
@group(0) @binding(4) var<storage, read_write> limit: array<f32>;
@group(0) @binding(5) var<uniform> dims: Dims;
${woodburyHelpers(rank)}
fn conj2(v: vec2<f32>) -> vec2<f32> {
  return vec2<f32>(v.x, -v.y);
}

// ∂ℓ/∂k_f[i, j] at node (h, l): the spectrum's gradient through the irfft adjoint and the factor.
fn gradient(i: u32, j: u32, h: u32, l: u32) -> vec2<f32> {
  let edge = l == 0u || 2u * l == dims.n;
  let scale = select(2.0, 1.0, edge) / f32(dims.n);
  return cmul(conj2(factor[l]), scale * spectrum[((i * dims.nc + j) * dims.H + h) * dims.Lz + l]);
}

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let l = id.x;
  let h = id.y;
  if (l >= dims.Lz) { return; }
  let p = h * dims.Lz + l;
  let cols = dims.nc + R;
  if (l == dims.nyquist) {
    // Cauchy sums are 0 at z = ∞: only the limit gets a gradient, ½·Re of the spectrum's there.
    for (var k = 0u; k < dims.nb * dims.nc; k++) {
      limit[k * dims.H + h] = 0.5 * spectrum[(k * dims.H + h) * dims.Lz + l].x / f32(dims.n);
    }
    for (var k = 0u; k < (dims.nb + R) * cols; k++) { out[k * dims.H * dims.Lz + p] = vec2<f32>(0.0); }
    return;
  }
  ${prepare}
  // M⁻¹, column by column.
  var inverse: array<vec2<f32>, ${rank * rank}>;
  for (var col = 0u; col < R; col++) {
    var y: array<vec2<f32>, ${rank}>;
    for (var row = 0u; row < R; row++) { y[row] = select(vec2<f32>(0.0), vec2<f32>(1.0, 0.0), row == col); }
    ${solve}
    for (var row = 0u; row < R; row++) { inverse[row * R + col] = y[row]; }
  }
  for (var i = 0u; i < dims.nb; i++) {
    for (var q = 0u; q < R; q++) { out[at(i, dims.nc + q, p)] = vec2<f32>(0.0); }
  }
  var corner: array<vec2<f32>, ${rank * rank}>;
  for (var j = 0u; j < dims.nc; j++) {
    // Column j of X = M⁻¹·r10, and of Y = T^H·G.
    var x: array<vec2<f32>, ${rank}>;
    var t: array<vec2<f32>, ${rank}>;
    for (var q = 0u; q < R; q++) {
      var s = vec2<f32>(0.0);
      for (var e = 0u; e < R; e++) { s += cmul(inverse[q * R + e], r[at(dims.nb + e, j, p)]); }
      x[q] = s;
      t[q] = vec2<f32>(0.0);
    }
    for (var i = 0u; i < dims.nb; i++) {
      let g = gradient(i, j, h, l);
      out[at(i, j, p)] = g;
      for (var q = 0u; q < R; q++) {
        // T[i, q] = Σ_e r01[i, e]·M⁻¹[e, q]
        var tiq = vec2<f32>(0.0);
        for (var e = 0u; e < R; e++) { tiq += cmul(r[at(i, dims.nc + e, p)], inverse[e * R + q]); }
        t[q] += cmul(conj2(tiq), g);
        out[at(i, dims.nc + q, p)] -= cmul(g, conj2(x[q]));
      }
    }
    for (var q = 0u; q < R; q++) {
      out[at(dims.nb + q, j, p)] = -t[q];
      for (var e = 0u; e < R; e++) { corner[q * R + e] += cmul(t[q], conj2(x[e])); }
    }
  }
  for (var q = 0u; q < R; q++) {
    for (var e = 0u; e < R; e++) { out[at(dims.nb + q, dims.nc + e, p)] = corner[q * R + e]; }
  }
}
`;
}

/** Inputs of {@link recordWoodburyVjp}. */
export interface WoodburyVjpInputs {
  /** The forward's stacked Cauchy sums, complex [nb+R, nc+R, H, Lz]. */
  r: GpuArray;
  /** rfft(∂ℓ/∂K) of length n, complex [nb, nc, H, Lz]. */
  spectrum: GpuArray;
  /** The bilinear factor 2/(1+ω) per node, complex [Lz] (any value at the Nyquist node). */
  factor: GpuArray;
  nb: number;
  nc: number;
  /** Rank R of the low-rank term, 1 ≤ R ≤ {@link MAX_WOODBURY_RANK}. */
  rank: number;
  H: number;
  Lz: number;
  /** The inverse FFT's length (the S4 kernel's discrete length). */
  n: number;
  /** Index of the Nyquist node (ω = −1), or `undefined` when there is none (odd n). */
  nyquist: number | undefined;
}

/**
 * Records the gradient of the stacked Cauchy sums r from the spectrum of ∂ℓ/∂K (see above):
 * returns new arrays `r`, complex [nb+R, nc+R, H, Lz] (0 at the Nyquist node), and `limit`, real
 * [nb, nc, H], the gradient of the Woodbury-corrected limit at the Nyquist node (unwritten without
 * one). Owned by the caller.
 * @throws RangeError for a rank outside 1 … {@link MAX_WOODBURY_RANK}.
 */
export function recordWoodburyVjp(
  ctx: GpuContext,
  inputs: WoodburyVjpInputs,
): { r: GpuArray; limit: GpuArray } {
  const { r, spectrum, factor, nb, nc, rank, H, Lz, n, nyquist } = inputs;
  if (!Number.isInteger(rank) || rank < 1 || rank > MAX_WOODBURY_RANK) {
    throw new RangeError(`rank must be an integer in 1 … ${MAX_WOODBURY_RANK} on the GPU; got ${rank}`);
  }
  const pipeline = ctx.pipeline(`woodbury-vjp-r${rank}`, () => woodburyVjpWgsl(rank));
  const out = ctx.allocate(8 * (nb + rank) * (nc + rank) * H * Lz);
  const limit = ctx.allocate(4 * nb * nc * H);
  const uniforms = new Uint32Array([nb, nc, H, Lz, nyquist ?? 0xffffffff, n]).buffer;
  ctx.dispatch(pipeline, [r, spectrum, factor, out, limit], [Math.ceil(Lz / WORKGROUP), H], uniforms);
  return { r: out, limit };
}
