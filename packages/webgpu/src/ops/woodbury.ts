import type { GpuArray, GpuContext } from '../gpu-context';

// The Woodbury (low-rank) correction of S4 fused with the bilinear factor, one invocation per
// (h, l) node:
//
//   spectrum[i, j, h, l] = (r00 − r01·(I + r11)⁻¹·r10)[i, j] · 2/(1 + ω_l),
//
// with r the stacked Cauchy sums [nb+R, nc+R, H, Lz] (see the CPU `woodbury`). The R×R system is
// solved once per node: closed forms for R = 1 (1/(1 + r11)) and R = 2 (adjugate over the
// determinant), an LU factorisation with partial pivoting in registers for 3 ≤ R ≤ 8; then each
// column j of r10 is solved and applied to every row i. At the Nyquist node (ω = −1, z = ∞) the
// Cauchy sums are 0 and the factor infinite: the output there is the analytic limit, limit/2, with
// limit = `woodburyLimit(cauchyLimit(v))` computed on the host — exactly as `applyBilinearFactor`.

/** The largest rank the GPU Woodbury solve handles (registers hold the R×R factorisation). */
export const MAX_WOODBURY_RANK = 8;

const WORKGROUP = 64;

/**
 * WGSL that prepares the solve of (I + r11)·x = y at one node (reading `r` through `at(i, j, p)`,
 * with `dims.nb`, `dims.nc`, `R`, `cmul` and `cinv` in scope), and applies it to the array `y` of R
 * values, per rank. Its names (a, b, c, d, idet, m, perm) must not be reused around it.
 */
export function solver(rank: number): { prepare: string; solve: string } {
  if (rank === 1) {
    return {
      prepare: 'let m = cinv(vec2<f32>(1.0, 0.0) + r[at(dims.nb, dims.nc, p)]);',
      solve: 'y[0] = cmul(m, y[0]);',
    };
  }
  if (rank === 2) {
    return {
      prepare: `let a = vec2<f32>(1.0, 0.0) + r[at(dims.nb, dims.nc, p)];
  let b = r[at(dims.nb, dims.nc + 1u, p)];
  let c = r[at(dims.nb + 1u, dims.nc, p)];
  let d = vec2<f32>(1.0, 0.0) + r[at(dims.nb + 1u, dims.nc + 1u, p)];
  let idet = cinv(cmul(a, d) - cmul(b, c));`,
      solve: `let y0 = y[0];
    y[0] = cmul(idet, cmul(d, y0) - cmul(b, y[1]));
    y[1] = cmul(idet, cmul(a, y[1]) - cmul(c, y0));`,
    };
  }
  // LU with partial pivoting, LAPACK style: whole rows swap, m holds the multipliers below the
  // diagonal and the inverted pivots on it.
  return {
    prepare: `var m: array<vec2<f32>, ${rank * rank}>;
  var perm: array<u32, ${rank}>;
  for (var a = 0u; a < R; a++) {
    for (var b = 0u; b < R; b++) {
      m[a * R + b] = r[at(dims.nb + a, dims.nc + b, p)] + select(vec2<f32>(0.0), vec2<f32>(1.0, 0.0), a == b);
    }
  }
  for (var c = 0u; c < R; c++) {
    var best = c;
    var bestMag = dot(m[c * R + c], m[c * R + c]);
    for (var a = c + 1u; a < R; a++) {
      let mag = dot(m[a * R + c], m[a * R + c]);
      if (mag > bestMag) { best = a; bestMag = mag; }
    }
    perm[c] = best;
    if (best != c) {
      for (var b = 0u; b < R; b++) {
        let s = m[c * R + b];
        m[c * R + b] = m[best * R + b];
        m[best * R + b] = s;
      }
    }
    let pivot = cinv(m[c * R + c]);
    m[c * R + c] = pivot;
    for (var a = c + 1u; a < R; a++) {
      let f = cmul(m[a * R + c], pivot);
      m[a * R + c] = f;
      for (var b = c + 1u; b < R; b++) { m[a * R + b] -= cmul(f, m[c * R + b]); }
    }
  }`,
    solve: `for (var c = 0u; c < R; c++) {
      let s = y[perm[c]];
      y[perm[c]] = y[c];
      y[c] = s;
    }
    for (var c = 0u; c < R; c++) {
      for (var a = c + 1u; a < R; a++) { y[a] -= cmul(m[a * R + c], y[c]); }
    }
    for (var c = R; c > 0u; c--) {
      var s = y[c - 1u];
      for (var b = c; b < R; b++) { s -= cmul(m[(c - 1u) * R + b], y[b]); }
      y[c - 1u] = cmul(s, m[(c - 1u) * R + c - 1u]);
    }`,
  };
}

/**
 * WGSL shared by the Woodbury kernels (forward and VJP): the rank R, complex product and inverse,
 * and `at(i, j, p)`, the index of r[i, j, h, l] (p = h·Lz + l) in the [nb+R, nc+R, H, Lz] stack
 * (reading `dims.nc`, `dims.H` and `dims.Lz`).
 */
export function woodburyHelpers(rank: number): string {
  return /* wgsl */ `
const R = ${rank}u;

fn cmul(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  return vec2<f32>(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x);
}

fn cinv(a: vec2<f32>) -> vec2<f32> {
  return vec2<f32>(a.x, -a.y) / dot(a, a);
}

fn at(i: u32, j: u32, p: u32) -> u32 {
  return (i * (dims.nc + R) + j) * dims.H * dims.Lz + p;
}
`;
}

function woodburyWgsl(rank: number): string {
  const { prepare, solve } = solver(rank);
  return /* wgsl */ `
struct Dims { nb: u32, nc: u32, H: u32, Lz: u32, nyquist: u32 }

@group(0) @binding(0) var<storage, read> r: array<vec2<f32>>;
@group(0) @binding(1) var<storage, read> factor: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read> limit: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<vec2<f32>>;
@group(0) @binding(4) var<uniform> dims: Dims;

${woodburyHelpers(rank)}
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let l = id.x;
  let h = id.y;
  if (l >= dims.Lz) { return; }
  let p = h * dims.Lz + l;
  let plane = dims.H * dims.Lz;
  if (l == dims.nyquist) {
    for (var k = 0u; k < dims.nb * dims.nc; k++) {
      out[k * plane + p] = vec2<f32>(0.5 * limit[k * dims.H + h], 0.0);
    }
    return;
  }
  let f = factor[l];
  ${prepare}
  var y: array<vec2<f32>, ${rank}>;
  for (var j = 0u; j < dims.nc; j++) {
    for (var a = 0u; a < R; a++) { y[a] = r[at(dims.nb + a, j, p)]; }
    ${solve}
    for (var i = 0u; i < dims.nb; i++) {
      var k = r[at(i, j, p)];
      for (var a = 0u; a < R; a++) { k -= cmul(r[at(i, dims.nc + a, p)], y[a]); }
      out[(i * dims.nc + j) * plane + p] = cmul(k, f);
    }
  }
}
`;
}

/** Inputs of {@link recordWoodbury}. */
export interface WoodburyInputs {
  /** Stacked Cauchy sums, complex [nb+R, nc+R, H, Lz] (from `recordCauchy` with batch (nb+R)(nc+R)). */
  r: GpuArray;
  /** The bilinear factor 2/(1+ω) per node, complex [Lz] (any value at the Nyquist node). */
  factor: GpuArray;
  /** lim z·k_f(z) = `woodburyLimit(cauchyLimit(v), R)`, real [nb, nc, H]; read only at the Nyquist node. */
  limit: GpuArray;
  /** B-side rows (B and the state rows). */
  nb: number;
  /** C-side rows (the channels). */
  nc: number;
  /** Rank R of the low-rank term, 1 ≤ R ≤ {@link MAX_WOODBURY_RANK}. */
  rank: number;
  H: number;
  Lz: number;
  /** Index of the Nyquist node (ω = −1), or `undefined` when there is none (odd lengths). */
  nyquist: number | undefined;
}

/**
 * Records the Woodbury correction fused with the bilinear factor and the Nyquist node's limit:
 * returns a new array, complex [nb, nc, H, Lz] — the S4 kernel's spectrum at the nodes, ready for
 * the inverse real FFT. Owned by the caller (release it). A singular I + r11 gives non-finite
 * values (not checked here).
 * @throws RangeError for a rank outside 1 … {@link MAX_WOODBURY_RANK}.
 */
export function recordWoodbury(ctx: GpuContext, inputs: WoodburyInputs): GpuArray {
  const { r, factor, limit, nb, nc, rank, H, Lz, nyquist } = inputs;
  if (!Number.isInteger(rank) || rank < 1 || rank > MAX_WOODBURY_RANK) {
    throw new RangeError(`rank must be an integer in 1 … ${MAX_WOODBURY_RANK} on the GPU; got ${rank}`);
  }
  const pipeline = ctx.pipeline(`woodbury-r${rank}`, () => woodburyWgsl(rank));
  const out = ctx.allocate(8 * nb * nc * H * Lz);
  const uniforms = new Uint32Array([nb, nc, H, Lz, nyquist ?? 0xffffffff]).buffer;
  ctx.dispatch(pipeline, [r, factor, limit, out], [Math.ceil(Lz / WORKGROUP), H], uniforms);
  return out;
}
