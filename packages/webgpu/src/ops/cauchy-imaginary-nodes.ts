import type { GpuArray, GpuContext } from '../gpu-context';
import { range } from './fft-wgsl';
import { INFINITE_WGSL } from './is-infinite';

// Conjugate-pair Cauchy sums for rows with their own poles (batch 1: r[h,l] for the poles of h) at
// nodes on the imaginary axis, z = i·y — where S4's bilinear nodes 2(1−ω)/(1+ω) lie exactly.
//
// With w = a + i·b and v = c + i·d, over the common denominator D = (z−w)(z−w̄):
//   v/(z−w) + v̄/(z−w̄) = 2·n·conj(D)/|D|²,  n = nr + i·c·y,  nr = −(c·a + d·b),
//   Re D = a² − (y−b)(y+b),  Im D = −2a·y.
// Written in s = Re D − 2a² = −a² − (y−b)(y+b) (a product, so that it does not cancel near a pole),
// and with y² = a² + b² − Re D, everything else is one multiply-add of s with per-pair constants:
//   |D|² = s² + 4a²b²   (two non-negative terms: no cancellation),
//   n·conj(D) = (α·s + β) + i·y·(c·s + γ),  α = nr + 2a·c,  β = 2a²·α − 2a·c·(a² + b²),
//   γ = 2a·(nr + a·c).
// Far from a pole s may be formed directly, s = (b² − a²) − y², one operation instead of three: a
// pair whose poles are far from every node of a workgroup (|s| ≥ (a² + b² + y²)/4 over the
// workgroup's range of y², so that the rounding of b² − a² costs at most a few ulps of s) takes that
// path, the others the product. The per-pair constants are staged once per workgroup, the per-node
// ones kept in registers (the factor y of the imaginary part applied once at the end), so that a
// (row, node, pair) costs six float32 operations and a reciprocal away from the poles, eight next to
// them, instead of about seventeen for a general node: the kernel is bound by instruction issue
// (bench/diagnose.ts).

/** The shape of the dispatch: invocations per workgroup and nodes per invocation. */
export interface ImaginaryNodesShape {
  readonly workgroup: number;
  readonly items: number;
}

/** Invocations per workgroup (H100: 64 beats 32 and 128). */
const WORKGROUP = 64;

/**
 * The tuned shape for Lz nodes (H100, bench/diagnose.ts): 8 to 13 nodes per invocation, as many as
 * keep the last workgroup of a row from being mostly idle — more nodes per invocation amortise the
 * staged loads (at Lz = 8193, 13 nodes: 10 workgroups per row, 0.135 ms; 8 nodes: 17 workgroups, the last
 * with one node, 0.153 ms).
 */
export function imaginaryNodesShape(Lz: number): ImaginaryNodesShape {
  let best = { workgroup: WORKGROUP, items: 8 };
  const slots = (items: number) => Math.ceil(Lz / (WORKGROUP * items)) * WORKGROUP * items;
  for (let items = 9; items <= 13; items++)
    if (slots(items) <= slots(best.items)) best = { workgroup: WORKGROUP, items };
  return best;
}
/** Modes staged in workgroup memory at a time. */
const CHUNK = 64;

/** The largest float32: what an infinite node contributes to the least y² (nothing). */
const FLOAT32_MAX = 'bitcast<f32>(0x7f7fffffu)';
/** A WGSL expression folding `terms` with a two-argument builtin such as `min`. */
const fold = (builtin: string, terms: string[]): string =>
  terms.reduce((folded, term) => `${builtin}(${folded}, ${term})`);

function imaginaryNodesWgsl({ workgroup, items }: ImaginaryNodesShape): string {
  const each = (f: (i: number) => string) => range(items).map(f).join('\n');
  // The reciprocal of |D|² and the sums, from s (either path).
  const sums = (indent: string) =>
    [
      each((i) => `${indent}let q${i} = 1.0 / fma(s${i}, s${i}, k.z);`),
      each((i) => `${indent}re${i} = fma(fma(m.x, s${i}, m.y), q${i}, re${i});`),
      each((i) => `${indent}im${i} = fma(fma(k.w, s${i}, m.z), q${i}, im${i});`),
    ].join('\n');
  return /* wgsl */ `
struct Dims { H: u32, N2: u32, Lz: u32 }

@group(0) @binding(0) var<storage, read> v: array<vec2<f32>>;
@group(0) @binding(1) var<storage, read> w: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read> z: array<vec2<f32>>;
@group(0) @binding(3) var<storage, read_write> out: array<vec2<f32>>;
@group(0) @binding(4) var<uniform> dims: Dims;

// The per-pair constants of the staged modes: (b — or b² − a² on the far path —, −a², 4a²b², c)
// and (α, β, γ, 1 on the far path else 0).
var<workgroup> pairs: array<vec4<f32>, ${CHUNK}>;
var<workgroup> pairsN: array<vec4<f32>, ${CHUNK}>;
// The least and greatest y² of the workgroup's finite nodes, as bits (ordered like the values: y² ≥ 0).
var<workgroup> nodeRange: array<atomic<u32>, 2>;

${INFINITE_WGSL}
@compute @workgroup_size(${workgroup})
fn main(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) g: vec3<u32>) {
  let h = g.z;
  let first = g.x * ${workgroup * items}u + t;
${each(
  (i) => `  let l${i} = first + ${i * workgroup}u;
  let node${i} = z[min(l${i}, dims.Lz - 1u)].y;
  let finite${i} = !isInfinite(node${i});
  let y${i} = select(0.0, node${i}, finite${i});
  var re${i} = 0.0;
  var im${i} = 0.0;`,
)}
  if (t == 0u) {
    atomicStore(&nodeRange[0], 0x7f800000u);
    atomicStore(&nodeRange[1], 0u);
  }
  workgroupBarrier();
  atomicMin(&nodeRange[0], bitcast<u32>(${fold(
    'min',
    range(items).map((i) => `select(${FLOAT32_MAX}, y${i} * y${i}, finite${i})`),
  )}));
  atomicMax(&nodeRange[1], bitcast<u32>(${fold(
    'max',
    range(items).map((i) => `y${i} * y${i}`),
  )}));
  workgroupBarrier();
  let lo = bitcast<f32>(atomicLoad(&nodeRange[0]));
  let hi = bitcast<f32>(atomicLoad(&nodeRange[1]));
  for (var n0 = 0u; n0 < dims.N2; n0 += ${CHUNK}u) {
    let count = min(${CHUNK}u, dims.N2 - n0);
    for (var n = t; n < count; n += ${workgroup}u) {
      let p = w[h * dims.N2 + n0 + n];
      let x = v[h * dims.N2 + n0 + n];
      let a = p.x;
      let b = p.y;
      let nr = -fma(x.x, a, x.y * b);
      let alpha = fma(2.0 * a, x.x, nr);
      let aa = a * a;
      let bb = b * b;
      let far = bb - aa - hi >= 0.25 * (aa + bb + hi) || lo - (bb - aa) >= 0.25 * (aa + bb + lo);
      pairs[n] = vec4<f32>(select(b, bb - aa, far), -aa, 4.0 * aa * bb, x.x);
      pairsN[n] = vec4<f32>(alpha, 2.0 * a * fma(a, alpha, -x.x * (aa + bb)), 2.0 * a * fma(a, x.x, nr), f32(far));
    }
    workgroupBarrier();
    for (var n = 0u; n < count; n++) {
      let k = pairs[n];
      let m = pairsN[n];
      // Phase by phase across the nodes (8% faster than node by node at 13 nodes on an H100).
      if (m.w != 0.0) {
${each((i) => `        let s${i} = fma(-y${i}, y${i}, k.x);`)}
${sums('        ')}
      } else {
${each((i) => `        let s${i} = fma(-(y${i} - k.x), y${i} + k.x, k.y);`)}
${sums('        ')}
      }
    }
    workgroupBarrier();
  }
  let o = h * dims.Lz;
${each(
  (i) =>
    `  if (l${i} < dims.Lz) { out[o + l${i}] = select(vec2<f32>(0.0), 2.0 * vec2<f32>(re${i}, y${i} * im${i}), finite${i}); }`,
)}
}
`;
}

/**
 * Records the conjugate-pair Cauchy sums of rows with their own poles at imaginary nodes (every
 * `z[l].x` exactly 0; the Nyquist marker `(0, +Infinity)` gives 0): r[h,l] = Σ_n v[h,n]/(z_l − w[h,n])
 * + conj(v[h,n])/(z_l − conj w[h,n]). `v` and `w` are complex [H, N2], `z` complex [Lz]; returns a new
 * complex [H, Lz] array owned by the caller. {@link recordCauchy} takes this path when it applies;
 * `shape` is for tuning only.
 */
export function recordCauchyImaginaryNodes(
  ctx: GpuContext,
  { v, w, z, H, N2, Lz }: { v: GpuArray; w: GpuArray; z: GpuArray; H: number; N2: number; Lz: number },
  shape: ImaginaryNodesShape = imaginaryNodesShape(Lz),
): GpuArray {
  const { workgroup, items } = shape;
  const pipeline = ctx.pipeline(`cauchy-imaginary-w${workgroup}-i${items}-c${CHUNK}`, () =>
    imaginaryNodesWgsl(shape),
  );
  const out = ctx.allocate(8 * H * Lz);
  ctx.dispatch(
    pipeline,
    [v, w, z, out],
    [Math.ceil(Lz / (workgroup * items)), 1, H],
    new Uint32Array([H, N2, Lz]).buffer,
  );
  return out;
}
