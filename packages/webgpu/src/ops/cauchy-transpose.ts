import type { GpuArray, GpuContext } from '../gpu-context';
import { cauchyRows } from './cauchy';
import { COMPLEX_WGSL, mapKernel, range } from './fft-wgsl';
import { INFINITE_WGSL } from './is-infinite';

// The transposed conjugate-pair Cauchy sums of the Cauchy VJP (`cauchyVjp` of @statespace/kernels):
// for the gradient g[b,h,l] of r[b,h,l] = Σ_n v/(z_l − w) + conj(v)/(z_l − w̄), with
// a = 1/(z_l − w[h,n]) and c = 1/(z_l − conj w[h,n]),
//
//   S1[b,h,n] = Σ_l conj(a)·g + c·conj(g)            (= ∂ℓ/∂v),
//   S2[b,h,n] = Σ_l conj(a²)·g + c²·conj(g)          (∂ℓ/∂w = Σ_b conj(v)·S2),
//   S3[b,h,n] = Σ_l conj(z_l·a²)·g + z_l·c²·conj(g)  (∂ℓ/∂Δ = Σ_b Re(conj(v)·S3)/Δ, see
//                                                      `DplrCauchyGrads.delta`: no cancellation).
//
// v ↦ a·v + c·conj(v) is real-linear with the 2×2 matrix of `pairMatrix`; S1 applies its transpose
// to g, S2 and S3 those of (a², c²) and (z·a², z·c²). The structure mirrors the forward kernel's (cauchy.ts) with the roles of
// the modes and the nodes exchanged: a workgroup takes the modes of one feature h (one mode per
// invocation) for one block of rows and one segment of nodes, stages the nodes and the gradient rows
// of the block in workgroup memory CHUNK nodes at a time (packed two complex values per vec4, as
// the forward stages poles and rows), and computes the reciprocals of each (node, mode) pair once for
// every row of the block. The segments' partial sums are added by a second, element-wise pass.
// Nodes with an infinite component (the S4 Nyquist marker) contribute nothing, as on the CPU.

/** Nodes per segment: each segment is one workgroup's share of the node sum. */
const SEGMENT = 512;
/** Nodes staged in workgroup memory at a time. */
const CHUNK = 64;

function transposeWgsl(workgroup: number, rows: number): string {
  const slots = Math.ceil((rows + 1) / 2);
  const R = range(rows);
  // Staged value q of a node (0: the node z, r + 1: gradient row r) sits in slot q/2, half q%2.
  const staged = (q: number) => `s${q >> 1}.${q % 2 === 0 ? 'xy' : 'zw'}`;
  return /* wgsl */ `
struct Dims { batch: u32, H: u32, N2: u32, Lz: u32, segments: u32 }

@group(0) @binding(0) var<storage, read> g: array<vec2<f32>>;
@group(0) @binding(1) var<storage, read> w: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read> z: array<vec2<f32>>;
@group(0) @binding(3) var<storage, read_write> out: array<vec2<f32>>;
@group(0) @binding(4) var<uniform> dims: Dims;

const SLOTS = ${slots}u;
var<workgroup> staging: array<vec4<f32>, ${CHUNK * slots}>;

${INFINITE_WGSL}
${COMPLEX_WGSL}
// The real 2×2 matrix [[m.x, m.y], [m.z, m.w]] of v ↦ a·v + c·conj(v) on (Re v, Im v).
fn pairMatrix(a: vec2<f32>, c: vec2<f32>) -> vec4<f32> {
  return vec4<f32>(a.x + c.x, c.y - a.y, a.y + c.y, a.x - c.x);
}

// Its transpose applied to x.
fn transposed(m: vec4<f32>, x: vec2<f32>) -> vec2<f32> {
  return vec2<f32>(fma(m.x, x.x, m.z * x.y), fma(m.y, x.x, m.w * x.y));
}

// Value q of node l0 + i for the rows from row0: the node for q = 0, g of row row0 + q − 1 otherwise.
fn stagedValue(q: u32, i: u32, l0: u32, count: u32, h: u32, row0: u32) -> vec2<f32> {
  if (i >= count || q > ${rows}u) { return vec2<f32>(0.0); }
  if (q == 0u) { return z[l0 + i]; }
  let b = row0 + q - 1u;
  if (b >= dims.batch) { return vec2<f32>(0.0); }
  return g[(b * dims.H + h) * dims.Lz + l0 + i];
}

@compute @workgroup_size(${workgroup})
fn main(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) wg: vec3<u32>) {
  let h = wg.z;
  let row0 = wg.y * ${rows}u;
  let segment = wg.x % dims.segments;
  let n = (wg.x / dims.segments) * ${workgroup}u + t;
  let p = w[h * dims.N2 + min(n, dims.N2 - 1u)];
  let first = segment * ${SEGMENT}u;
  let last = min(first + ${SEGMENT}u, dims.Lz);
${R.map((r) => `  var s1_${r} = vec2<f32>(0.0);\n  var s2_${r} = vec2<f32>(0.0);\n  var s3_${r} = vec2<f32>(0.0);`).join('\n')}
  for (var l0 = first; l0 < last; l0 += ${CHUNK}u) {
    let count = min(${CHUNK}u, last - l0);
    for (var k = t; k < ${CHUNK * slots}u; k += ${workgroup}u) {
      let i = k / SLOTS;
      let q = 2u * (k - i * SLOTS);
      staging[k] = vec4<f32>(stagedValue(q, i, l0, count, h, row0), stagedValue(q + 1u, i, l0, count, h, row0));
    }
    workgroupBarrier();
    for (var i = 0u; i < count; i++) {
${range(slots)
  .map((j) => `      let s${j} = staging[i * SLOTS + ${j}u];`)
  .join('\n')}
      let node = ${staged(0)};
      if (isInfinite(node.x) || isInfinite(node.y)) { continue; }
      let dr = node.x - p.x;
      let d1 = node.y - p.y;
      let d2 = node.y + p.y;
      let q1 = 1.0 / fma(d1, d1, dr * dr);
      let q2 = 1.0 / fma(d2, d2, dr * dr);
      let a = vec2<f32>(dr * q1, -d1 * q1);
      let c = vec2<f32>(dr * q2, -d2 * q2);
      let m1 = pairMatrix(a, c);
      let a2 = cmul(a, a);
      let c2 = cmul(c, c);
      let m2 = pairMatrix(a2, c2);
      let m3 = pairMatrix(cmul(node, a2), cmul(node, c2));
${R.map(
  (r) => `      let g${r} = ${staged(r + 1)};
      s1_${r} += transposed(m1, g${r});
      s2_${r} += transposed(m2, g${r});
      s3_${r} += transposed(m3, g${r});`,
).join('\n')}
    }
    workgroupBarrier();
  }
  if (n >= dims.N2) { return; }
  // Partial sums [segments, 3, batch, H, N2]: S1, S2, then S3, per segment.
  let plane = dims.batch * dims.H * dims.N2;
  let base = 3u * segment * plane + h * dims.N2 + n;
${R.map(
  (r) => `  if (row0 + ${r}u < dims.batch) {
    out[base + (row0 + ${r}u) * dims.H * dims.N2] = s1_${r};
    out[base + plane + (row0 + ${r}u) * dims.H * dims.N2] = s2_${r};
    out[base + 2u * plane + (row0 + ${r}u) * dims.H * dims.N2] = s3_${r};
  }`,
).join('\n')}
}
`;
}

/** out[i] = Σ_s partial[s·total + i]: the segments' partial sums added. */
const sumSegments = mapKernel({
  key: 'cauchy-transpose.sum-segments',
  bindings: [
    ['partial', 'vec2<f32>', 'read'],
    ['sum', 'vec2<f32>', 'read_write'],
  ],
  u32: ['segments'],
  body: /* wgsl */ `
  var s = vec2<f32>(0.0);
  for (var k = 0u; k < P.segments; k++) {
    s += partial[k * P.total + i];
  }
  sum[i] = s;`,
});

/** Dimensions of a transposed Cauchy evaluation. */
export interface CauchyTransposeDims {
  /** Gradient rows sharing the poles of each feature. */
  batch: number;
  H: number;
  N2: number;
  /** Nodes. */
  Lz: number;
}

/** The largest buffer of {@link recordCauchyTranspose}, in bytes: the segments' partial sums. */
export function cauchyTransposeBytes({ batch, H, N2, Lz }: CauchyTransposeDims): number {
  return 24 * Math.max(1, Math.ceil(Lz / SEGMENT)) * batch * H * N2;
}

/**
 * Records the transposed conjugate-pair Cauchy sums of a Cauchy VJP (see above) on the GPU: from
 * `g` complex [batch, H, Lz] (the gradient of the Cauchy sums), the poles `w` complex [H, N2] and
 * the nodes `z` complex [Lz], returns a new array complex [3, batch, H, N2] holding S1 (∂ℓ/∂v),
 * S2 (∂ℓ/∂w = Σ_b conj(v)·S2) and S3 (∂ℓ/∂Δ = Σ_b Re(conj(v)·S3)/Δ). Owned by the caller. A node
 * on a pole gives non-finite values.
 */
export function recordCauchyTranspose(
  ctx: GpuContext,
  { g, w, z, batch, H, N2, Lz }: { g: GpuArray; w: GpuArray; z: GpuArray } & CauchyTransposeDims,
): GpuArray {
  const workgroup = N2 > 32 ? 64 : 32;
  const { rows, blocks } = cauchyRows(batch);
  const segments = Math.max(1, Math.ceil(Lz / SEGMENT));
  const total = 3 * batch * H * N2;
  const partial = ctx.allocate(8 * segments * total);
  const pipeline = ctx.pipeline(`cauchy-transpose-w${workgroup}-r${rows}`, () =>
    transposeWgsl(workgroup, rows),
  );
  ctx.dispatch(
    pipeline,
    [g, w, z, partial],
    [segments * Math.ceil(N2 / workgroup), blocks, H],
    new Uint32Array([batch, H, N2, Lz, segments]).buffer,
  );
  if (segments === 1) return partial;
  const out = ctx.allocate(8 * total);
  sumSegments(ctx, [partial, out], total, { segments });
  ctx.release(partial);
  return out;
}
