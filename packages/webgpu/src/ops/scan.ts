import { assertComplexLength, assertFinite, type ComplexTensor } from '@statespace/complex';
import type { GpuArray, GpuContext } from '../gpu-context';

// A parallel scan of diagonal linear recurrences x_t = a_t ⊙ x_{t−1} + b_t (complex, elementwise
// over channels), the associative operator of S5: (a_i, b_i)∘(a_j, b_j) = (a_j·a_i, a_j·b_i + b_j).
// Chunked: each thread folds one chunk of CHUNK steps of one channel into its aggregate (reduce),
// the sequence of chunk aggregates — itself such a recurrence, CHUNK times shorter — is scanned
// the same way (recursively, until one chunk remains), and each thread then replays its chunk from
// the state before it (sweep). Work O(L), depth O(CHUNK·log_CHUNK L), float32 as the sequential
// recurrence (at most CHUNK sequential steps before a combine).

/** Steps folded sequentially by one thread. */
const CHUNK = 32;
const WG = 64;

/** How `a` is laid out: per batch row and step, shared by the batch rows, or constant in time. */
export type ScanCoefficientLayout = 'full' | 'shared' | 'constant';

/** The reduce (`aggregate`) and sweep (`states`) kernels, from one template. */
function scanWgsl(kind: 'aggregate' | 'states'): string {
  const aggregate = kind === 'aggregate';
  const buffers = aggregate
    ? `@group(0) @binding(2) var<storage, read_write> outA: array<vec2<f32>>;
@group(0) @binding(3) var<storage, read_write> outB: array<vec2<f32>>;
@group(0) @binding(4) var<uniform> U: Params;`
    : `@group(0) @binding(2) var<storage, read> carry: array<vec2<f32>>; // [batch, chunks, channels]
@group(0) @binding(3) var<storage, read> x0: array<vec2<f32>>;    // [batch, channels]
@group(0) @binding(4) var<storage, read_write> out: array<vec2<f32>>;
@group(0) @binding(5) var<uniform> U: Params;`;
  const init = aggregate
    ? 'var A = vec2<f32>(1.0, 0.0);\n  var x = vec2<f32>(0.0);'
    : 'var x = x0[batch * U.channels + p];\n  if (chunk > 0u) { x = carry[i - U.channels]; }';
  const step = aggregate
    ? 'A = cmul(at, A);\n    x = cmul(at, x) + b[k];'
    : 'x = cmul(at, x) + b[k];\n    out[k] = x;';
  const finish = aggregate ? 'outA[i] = A;\n  outB[i] = x;' : '';
  return /* wgsl */ `
struct Params { count: u32, chunks: u32, channels: u32, length: u32, aBatch: u32, aTime: u32 }
@group(0) @binding(0) var<storage, read> a: array<vec2<f32>>;
@group(0) @binding(1) var<storage, read> b: array<vec2<f32>>; // [batch, length, channels]
${buffers}

fn cmul(u: vec2<f32>, v: vec2<f32>) -> vec2<f32> {
  return vec2<f32>(u.x * v.x - u.y * v.y, u.x * v.y + u.y * v.x);
}

// Thread i = (batch·chunks + chunk)·channels + p: one chunk of one channel.
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) t: u32) {
  let i = (wid.x + wid.y * nwg.x) * ${WG}u + t;
  if (i >= U.count) { return; }
  let p = i % U.channels;
  let chunk = (i / U.channels) % U.chunks;
  let batch = i / (U.channels * U.chunks);
  let start = chunk * ${CHUNK}u;
  let end = min(U.length, start + ${CHUNK}u);
  ${init}
  for (var s = start; s < end; s++) {
    let k = (batch * U.length + s) * U.channels + p;
    let at = a[batch * U.aBatch + s * U.aTime + p];
    ${step}
  }
  ${finish}
}
`;
}

/** GPU-resident operands of {@link recordDiagonalScan}. */
export interface DiagonalScanArrays {
  /** Complex: [batch, length, channels] (`full`), [length, channels] (`shared`) or [channels] (`constant`). */
  a: GpuArray;
  aLayout: ScanCoefficientLayout;
  /** Complex [batch, length, channels]. */
  b: GpuArray;
  /** Initial states x_{−1}, complex [batch, channels]; zero when omitted. */
  x0?: GpuArray;
  batch: number;
  length: number;
  channels: number;
}

/**
 * Records the scan of x_t = a_t ⊙ x_{t−1} + b_t (t = 0 … length − 1, x_{−1} = x0) and returns the
 * new array of all states, complex [batch, length, channels] (the caller releases it). Nothing is
 * submitted; intermediate arrays are released when the recorded work is submitted.
 */
export function recordDiagonalScan(ctx: GpuContext, s: DiagonalScanArrays): GpuArray {
  const { batch, channels } = s;
  const x0 = s.x0 ?? ctx.zeros(8 * batch * channels);
  const aStrides = {
    full: [s.length * channels, channels],
    shared: [0, channels],
    constant: [0, 0],
  }[s.aLayout];
  const states = scanLevel(ctx, s.a, aStrides, s.b, s.length, batch, channels, x0);
  if (!s.x0) ctx.release(x0);
  return states;
}

function scanLevel(
  ctx: GpuContext,
  a: GpuArray,
  [aBatch, aTime]: number[],
  b: GpuArray,
  length: number,
  batch: number,
  channels: number,
  x0: GpuArray,
): GpuArray {
  const chunks = Math.ceil(length / CHUNK);
  const count = batch * chunks * channels;
  const out = ctx.allocate(8 * batch * length * channels);
  if (count === 0) return out;
  const uniforms = new Uint32Array([count, chunks, channels, length, aBatch, aTime]).buffer;
  const grid = ctx.grid(Math.ceil(count / WG));
  let carry = x0;
  if (chunks > 1) {
    const aggA = ctx.allocate(8 * count);
    const aggB = ctx.allocate(8 * count);
    ctx.dispatch(
      ctx.pipeline('scan-aggregate', () => scanWgsl('aggregate')),
      [a, b, aggA, aggB],
      grid,
      uniforms,
    );
    carry = scanLevel(ctx, aggA, [chunks * channels, channels], aggB, chunks, batch, channels, x0);
    ctx.release(aggA, aggB, carry);
  }
  ctx.dispatch(
    ctx.pipeline('scan-states', () => scanWgsl('states')),
    [a, b, carry, x0, out],
    grid,
    uniforms,
  );
  return out;
}

/** Inputs of {@link diagonalScan}. */
export interface DiagonalScanInput {
  /** Complex [batch, L, channels], [L, channels] (shared by the batch rows) or [channels] (constant). */
  a: ComplexTensor;
  /** Complex [batch, L, channels]. */
  b: ComplexTensor;
  /** Initial states, complex [batch, channels] (default zero). */
  x0?: ComplexTensor;
}

/**
 * All states of the diagonal linear recurrences x_t = a_t ⊙ x_{t−1} + b_t (x_{−1} = x0), by a
 * parallel scan on the GPU (S5-style layers): returns complex [batch, L, channels], float32.
 * @throws RangeError on shapes that do not match b's [batch, L, channels] or non-finite values.
 */
export async function diagonalScan(ctx: GpuContext, { a, b, x0 }: DiagonalScanInput): Promise<ComplexTensor> {
  const shape = b?.shape;
  if (!Array.isArray(shape) || shape.length !== 3) {
    throw new RangeError(`b must have shape [batch, L, channels]; got [${shape?.join(', ') ?? ''}]`);
  }
  const [batch, length, channels] = shape;
  assertComplexLength('b.data', b.data, batch * length * channels);
  assertFinite('b', b.data);
  const layouts: Record<number, [ScanCoefficientLayout, number[]]> = {
    3: ['full', [batch, length, channels]],
    2: ['shared', [length, channels]],
    1: ['constant', [channels]],
  };
  const [aLayout, aShape] = layouts[a?.shape?.length] ?? ['full', [batch, length, channels]];
  if (a?.shape?.length !== aShape.length || a.shape.some((d, i) => d !== aShape[i])) {
    throw new RangeError(
      `a must have shape [${batch}, ${length}, ${channels}], [${length}, ${channels}] or [${channels}]; got [${a?.shape?.join(', ') ?? ''}]`,
    );
  }
  assertComplexLength(
    'a.data',
    a.data,
    aShape.reduce((p, d) => p * d, 1),
  );
  assertFinite('a', a.data);
  if (x0 !== undefined) {
    if (x0.shape?.length !== 2 || x0.shape[0] !== batch || x0.shape[1] !== channels) {
      throw new RangeError(`x0 must have shape [${batch}, ${channels}]; got [${x0.shape?.join(', ') ?? ''}]`);
    }
    assertComplexLength('x0.data', x0.data, batch * channels);
    assertFinite('x0', x0.data);
  }
  const arrays = [ctx.upload(a.data), ctx.upload(b.data), ...(x0 ? [ctx.upload(x0.data)] : [])];
  const states = recordDiagonalScan(ctx, {
    a: arrays[0],
    aLayout,
    b: arrays[1],
    x0: arrays[2],
    batch,
    length,
    channels,
  });
  const data = await ctx.read(states);
  ctx.release(...arrays, states);
  return { data, shape: [batch, length, channels] };
}
