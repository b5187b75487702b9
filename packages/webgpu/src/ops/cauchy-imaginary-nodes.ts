import type { GpuArray, GpuContext } from '../gpu-context';
import { INFINITE_WGSL } from './is-infinite';

// Conjugate-pair Cauchy sums for rows with their own poles (batch 1: r[h,l] for the poles of h) at
// nodes on the imaginary axis, z = i·y — where S4's bilinear nodes 2(1−ω)/(1+ω) lie exactly.
//
// With w = a + i·b and v = c + i·d, over the common denominator D = (z−w)(z−w̄):
//   v/(z−w) + v̄/(z−w̄) = 2·n·conj(D)/|D|²,  n = nr + i·c·y,  nr = −(c·a + d·b),
//   Re D = a² − (y−b)(y+b)   (a product, so that it does not cancel near a pole),  Im D = −2a·y,
//   n·conj(D) = (nr·Re D + p1·y²) + i·y·(c·Re D + p2),  p1 = −2a·c,  p2 = 2a·nr,
//   |D|² = (Re D)² + 4a²·y².
// Everything but (y−b)(y+b) is per pair (staged once per workgroup) or per node (kept in registers,
// the factor y of the imaginary part applied once at the end), so that a (row, node, pair) costs ten
// float32 operations and a reciprocal instead of about seventeen for a general node: the kernel is
// bound by instruction issue (bench/diagnose.ts).

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

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

function imaginaryNodesWgsl({ workgroup, items }: ImaginaryNodesShape): string {
  const each = (f: (i: number) => string) => range(items).map(f).join('\n');
  return /* wgsl */ `
struct Dims { H: u32, N2: u32, Lz: u32 }

@group(0) @binding(0) var<storage, read> v: array<vec2<f32>>;
@group(0) @binding(1) var<storage, read> w: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read> z: array<vec2<f32>>;
@group(0) @binding(3) var<storage, read_write> out: array<vec2<f32>>;
@group(0) @binding(4) var<uniform> dims: Dims;

// The per-pair constants of the staged modes: (b, a², c, p2) and (nr, p1).
var<workgroup> pairs: array<vec4<f32>, ${CHUNK}>;
var<workgroup> pairsN: array<vec2<f32>, ${CHUNK}>;

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
  let yy${i} = y${i} * y${i};
  let yy4${i} = 4.0 * yy${i};
  var re${i} = 0.0;
  var im${i} = 0.0;`,
)}
  for (var n0 = 0u; n0 < dims.N2; n0 += ${CHUNK}u) {
    let count = min(${CHUNK}u, dims.N2 - n0);
    for (var n = t; n < count; n += ${workgroup}u) {
      let p = w[h * dims.N2 + n0 + n];
      let x = v[h * dims.N2 + n0 + n];
      let a = p.x;
      let nr = -fma(x.x, a, x.y * p.y);
      pairs[n] = vec4<f32>(p.y, a * a, x.x, 2.0 * a * nr);
      pairsN[n] = vec2<f32>(nr, -2.0 * a * x.x);
    }
    workgroupBarrier();
    for (var n = 0u; n < count; n++) {
      let k = pairs[n];
      let m = pairsN[n];
      // Phase by phase across the nodes (8% faster than node by node at 13 nodes on an H100).
${each((i) => `      let reD${i} = fma(-(y${i} - k.x), y${i} + k.x, k.y);`)}
${each((i) => `      let q${i} = 1.0 / fma(reD${i}, reD${i}, k.y * yy4${i});`)}
${each(
  (i) => `      re${i} = fma(fma(m.x, reD${i}, m.y * yy${i}), q${i}, re${i});
      im${i} = fma(fma(k.z, reD${i}, k.w), q${i}, im${i});`,
)}
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
