import type { Complex } from '@statespace/complex';
import type { GpuArray, GpuContext } from '../gpu-context';

// Complex elementwise kernels on interleaved arrays (vec2<f32>), generated from one template: an
// expression in `a` (the element of the first operand), `b` (of the second, broadcast over leading
// dimensions: element i reads b[i mod len(b)]) and `s` (a complex scalar uniform).

const WG = 256;

/** The complex elementwise operations: their WGSL expression and whether they read `b`. */
const OPS = {
  mul: { binary: true, expr: 'vec2<f32>(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x)' },
  add: { binary: true, expr: 'a + b' },
  scale: { binary: false, expr: 'vec2<f32>(s.x * a.x - s.y * a.y, s.x * a.y + s.y * a.x)' },
  conj: { binary: false, expr: 'vec2<f32>(a.x, -a.y)' },
} as const;

/** The name of a complex elementwise operation. */
export type ComplexElementwiseOp = keyof typeof OPS;

function elementwiseWgsl(op: ComplexElementwiseOp): string {
  const { binary, expr } = OPS[op];
  const out = binary ? 2 : 1;
  return /* wgsl */ `
struct Params { count: u32, bCount: u32, s: vec2<f32> }
@group(0) @binding(0) var<storage, read> A: array<vec2<f32>>;
${binary ? '@group(0) @binding(1) var<storage, read> B: array<vec2<f32>>;' : ''}
@group(0) @binding(${out}) var<storage, read_write> out: array<vec2<f32>>;
@group(0) @binding(${out + 1}) var<uniform> U: Params;

@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) t: u32) {
  let i = (wid.x + wid.y * nwg.x) * ${WG}u + t;
  if (i >= U.count) { return; }
  let a = A[i];
  ${binary ? 'let b = B[i % U.bCount];' : 'let s = U.s;'}
  out[i] = ${expr};
}
`;
}

/** Records one operation over the complex elements of `a`; returns the new output array. */
function record(ctx: GpuContext, op: ComplexElementwiseOp, a: GpuArray, b?: GpuArray, s?: Complex): GpuArray {
  const count = Math.floor(a.bytes / 8);
  const bCount = b ? Math.floor(b.bytes / 8) : 1;
  if (b && (bCount < 1 || count % bCount !== 0)) {
    throw new RangeError(
      `b must hold a divisor of a's ${count} complex values (it is broadcast); got ${bCount}`,
    );
  }
  const out = ctx.allocate(a.bytes);
  if (count === 0) return out;
  const uniforms = new ArrayBuffer(16);
  new Uint32Array(uniforms, 0, 2).set([count, bCount]);
  new Float32Array(uniforms, 8, 2).set([s?.re ?? 0, s?.im ?? 0]);
  const arrays = b ? [a, b, out] : [a, out];
  ctx.dispatch(
    ctx.pipeline(`complex-${op}`, () => elementwiseWgsl(op)),
    arrays,
    ctx.grid(Math.ceil(count / WG)),
    uniforms,
  );
  return out;
}

/**
 * Records out = a ⊙ b (complex product) and returns `out` (the caller releases it). `b` is
 * broadcast over leading dimensions: its length must divide a's, and element i reads b[i mod len(b)].
 */
export function recordComplexMul(ctx: GpuContext, a: GpuArray, b: GpuArray): GpuArray {
  return record(ctx, 'mul', a, b);
}

/** Records out = a + b (b broadcast as in {@link recordComplexMul}) and returns `out`. */
export function recordComplexAdd(ctx: GpuContext, a: GpuArray, b: GpuArray): GpuArray {
  return record(ctx, 'add', a, b);
}

/** Records out = s·a for a complex scalar `s` and returns `out`. */
export function recordComplexScale(ctx: GpuContext, a: GpuArray, s: Complex): GpuArray {
  return record(ctx, 'scale', a, undefined, s);
}

/** Records out = conj(a) and returns `out`. */
export function recordComplexConj(ctx: GpuContext, a: GpuArray): GpuArray {
  return record(ctx, 'conj', a);
}
