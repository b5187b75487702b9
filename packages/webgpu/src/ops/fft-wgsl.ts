import type { GpuArray, GpuContext } from '../gpu-context';

// The plumbing shared by the FFT and convolution kernels: complex helpers in WGSL, uniform blocks of
// named u32/f32 fields, two-dimensional grids for large dispatches, and element-wise kernels (one
// invocation per output element) declared once and dispatched by name.

/** 0, 1, …, n − 1: the copies of a statement that the WGSL generators write out. */
export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Complex multiplication and conjugation of `vec2<f32>` values, for every FFT shader. */
export const COMPLEX_WGSL = /* wgsl */ `
fn cmul(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  return vec2<f32>(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x);
}
fn conj(a: vec2<f32>) -> vec2<f32> {
  return vec2<f32>(a.x, -a.y);
}
`;

/**
 * Phony uses of every binding: a pipeline's automatic layout drops the bindings its entry point
 * does not use, and binding an array to a dropped slot is a validation error.
 */
export function staticUses(bindings: readonly MapBinding[]): string {
  return bindings.map(([name]) => `  _ = &${name};`).join('\n');
}

/** Invocations per workgroup of the element-wise kernels. */
const MAP_WORKGROUP = 256;

/** The fields of a uniform block: u32 fields first, then f32 fields, each 4 bytes, in this order. */
export interface UniformFields<U extends string, F extends string> {
  u32: readonly U[];
  f32?: readonly F[];
}

/** The WGSL struct `Params` of a uniform block. */
export function paramsStruct(fields: UniformFields<string, string>): string {
  const members = [
    ...fields.u32.map((name) => `  ${name}: u32,`),
    ...(fields.f32 ?? []).map((name) => `  ${name}: f32,`),
  ];
  return `struct Params {\n${members.join('\n')}\n}`;
}

/** Packs the values of a uniform block as `paramsStruct` lays it out. */
export function packParams<U extends string, F extends string>(
  fields: UniformFields<U, F>,
  values: Record<U | F, number>,
): ArrayBuffer {
  const floats = fields.f32 ?? [];
  const buffer = new ArrayBuffer(4 * (fields.u32.length + floats.length));
  const view = new DataView(buffer);
  for (const [i, name] of fields.u32.entries()) {
    const value = values[name];
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      throw new RangeError(`uniform ${name} must be a u32; got ${value}`);
    }
    view.setUint32(4 * i, value, true);
  }
  for (const [i, name] of floats.entries()) view.setFloat32(4 * (fields.u32.length + i), values[name], true);
  return buffer;
}

/**
 * `count` workgroups as a grid within the per-dimension limit (x first). Shaders recover the flat
 * index as `wg.x + wg.y * nwg.x` and must ignore indices ≥ count.
 */
export function grid(ctx: GpuContext, count: number): [number, number] {
  const max = ctx.gpu.limits.maxComputeWorkgroupsPerDimension;
  return [Math.min(count, max), Math.max(1, Math.ceil(count / max))];
}

/** A storage binding of an element-wise kernel: its name, element type and access. */
export type MapBinding = readonly [name: string, type: 'f32' | 'vec2<f32>', access: 'read' | 'read_write'];

/** An element-wise kernel: one invocation per element index `i < total`. */
export interface MapKernelSpec<U extends string, F extends string> extends UniformFields<U, F> {
  /** The pipeline key (unique in the package). */
  key: string;
  /** Storage bindings, in the order of the arrays given to the dispatch. */
  bindings: readonly MapBinding[];
  /** WGSL statements run for the element index `i: u32`; uniforms are `P.<name>`. */
  body: string;
  /** WGSL functions the body calls. */
  functions?: string;
}

/** Records an element-wise kernel over `total` elements. */
export type MapKernel<U extends string, F extends string> = (
  ctx: GpuContext,
  arrays: readonly GpuArray[],
  total: number,
  values: Record<U | F, number>,
) => void;

/**
 * Declares an element-wise kernel. Its uniform block starts with `total` (the element count),
 * followed by the fields of `spec`.
 */
export function mapKernel<U extends string, F extends string = never>(
  spec: MapKernelSpec<U, F>,
): MapKernel<U, F> {
  const fields: UniformFields<U | 'total', F> = { u32: ['total', ...spec.u32], f32: spec.f32 };
  const code = () => {
    const declarations = spec.bindings.map(
      ([name, type, access], i) =>
        `@group(0) @binding(${i}) var<storage, ${access}> ${name}: array<${type}>;`,
    );
    return /* wgsl */ `
${paramsStruct(fields)}
${declarations.join('\n')}
@group(0) @binding(${spec.bindings.length}) var<uniform> P: Params;
${COMPLEX_WGSL}
${spec.functions ?? ''}
@compute @workgroup_size(${MAP_WORKGROUP})
fn main(
  @builtin(workgroup_id) wg: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
${staticUses(spec.bindings)}
  let i = (wg.x + wg.y * nwg.x) * ${MAP_WORKGROUP}u + lid;
  if (i >= P.total) {
    return;
  }
${spec.body}
}`;
  };
  return (ctx, arrays, total, values) => {
    if (arrays.length !== spec.bindings.length) {
      throw new RangeError(`${spec.key} binds ${spec.bindings.length} arrays; got ${arrays.length}`);
    }
    if (total === 0) return;
    const uniforms = packParams(fields, { ...values, total } as Record<U | 'total' | F, number>);
    ctx.dispatch(ctx.pipeline(spec.key, code), arrays, grid(ctx, Math.ceil(total / MAP_WORKGROUP)), uniforms);
  };
}
