import { assertComplexLength, assertFinite, type ComplexTensor, sizeOf } from '@statespace/complex';
import type { CauchyInput } from '@statespace/kernels';
import type { GpuArray, GpuContext } from '../gpu-context';
import { recordCauchyImaginaryNodes } from './cauchy-imaginary-nodes';
import { range } from './fft-wgsl';
import { INFINITE_WGSL } from './is-infinite';
import type { GpuOp } from './op';

// Conjugate-pair Cauchy sums r[b,h,l] = Σ_n v[b,h,n]/(z_l − w[h,n]) + conj(v[b,h,n])/(z_l − conj w[h,n]).
//
// Layout of the work: one workgroup per (block of ROWS batch rows, tile of nodes, feature h); each
// invocation owns ITEMS nodes l (strided by the workgroup size, so that stores are coalesced) and
// keeps ROWS × ITEMS accumulators in registers. The poles of h and the v rows of the block are
// staged in workgroup memory CHUNK modes at a time, packed two complex values per vec4 (pole, row 0,
// row 1, …) so that each mode costs ⌈(ROWS+1)/2⌉ broadcast loads. For each (n, l) the two
// reciprocals 1/(z−w), 1/(z−w̄) are computed once, folded into four real coefficients, and applied
// to every row of the block with four fused multiply-adds: the batch rows of one feature share
// their poles (the S4 kernel has (1 + states + R)·(channels + R) of them), so the divisions are
// amortised — with many rows this is a register-tiled matrix product whose right factor is
// computed on the fly.
//
// Numerics: with shared poles the two fractions are kept separate (the official CUDA kernel's
// advice: its fused numerator 2[z·Re v − Re(v w̄)] cancels), each as conj(d)/|d|². A row with its
// own poles (a block of one row) amortises nothing, and takes the pair over a common denominator
// in a form that does not cancel (`accumulate`): one division instead of two, 4% faster on an H100
// (bench/diagnose.ts); the shared-pole coefficients gain nothing from it.
//
// A node with an infinite component (the S4 Nyquist marker `(0, +Infinity)`) yields exactly 0, the
// CPU reference's r(∞); it is recognised from its bit pattern, which no fast-math rewrite can drop.

/** The shape of one Cauchy dispatch: workgroup size and register blocking. */
interface CauchyConfig {
  /** Invocations per workgroup. */
  readonly workgroup: number;
  /** Nodes per invocation. */
  readonly items: number;
  /** Batch rows per workgroup (sharing each computed reciprocal). */
  readonly rows: number;
  /** Modes staged in workgroup memory at a time. */
  readonly chunk: number;
}

/** Most batch rows one workgroup handles (their accumulators live in registers). */
const MAX_ROWS = 16;

/**
 * Rows per workgroup (≤ 16, their accumulators in registers), spread evenly over the row blocks so
 * that no last block is mostly empty; shared with the transposed sums (cauchy-transpose.ts).
 */
export function cauchyRows(batch: number): { rows: number; blocks: number } {
  const blocks = Math.max(1, Math.ceil(batch / MAX_ROWS));
  const rows = Math.max(1, Math.ceil(batch / blocks));
  return { rows, blocks: Math.ceil(batch / rows) };
}

/**
 * Register blocking by batch size (tuned on an H100): up to 16 rows share each reciprocal, the
 * rows spread evenly over the row blocks (no mostly-empty last block); with few rows each
 * invocation takes more nodes (a row with its own poles: 8 nodes, 6% faster than 4).
 */
function cauchyConfig(batch: number): CauchyConfig {
  const { rows } = cauchyRows(batch);
  return {
    workgroup: rows >= 12 ? 128 : 64,
    items: rows === 1 ? 8 : 2,
    rows,
    chunk: 64,
  };
}

function cauchyWgsl({ workgroup, items, rows, chunk }: CauchyConfig): string {
  const slots = Math.ceil((rows + 1) / 2);
  const I = range(items);
  const R = range(rows);
  const each = (f: (i: number) => string) => I.map(f).join('\n');
  const eachRow = (f: (r: number, i: number) => string) => R.flatMap((r) => I.map((i) => f(r, i))).join('\n');
  // Staged value q of a mode (0: the pole, r + 1: row r) sits in slot q/2, half q%2.
  const staged = (q: number) => `s${q >> 1}.${q % 2 === 0 ? 'xy' : 'zw'}`;
  return /* wgsl */ `
struct Dims { batch: u32, H: u32, N2: u32, Lz: u32 }

@group(0) @binding(0) var<storage, read> v: array<vec2<f32>>;
@group(0) @binding(1) var<storage, read> w: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read> z: array<vec2<f32>>;
@group(0) @binding(3) var<storage, read_write> out: array<vec2<f32>>;
@group(0) @binding(4) var<uniform> dims: Dims;

const SLOTS = ${slots}u;
var<workgroup> staging: array<vec4<f32>, ${chunk * slots}>;

${INFINITE_WGSL}
// Value q of mode n0 + n for the rows from row0: the pole for q = 0, v of row row0 + q − 1 otherwise.
fn stagedValue(q: u32, n: u32, n0: u32, count: u32, h: u32, row0: u32) -> vec2<f32> {
  if (n >= count || q > ${rows}u) { return vec2<f32>(0.0); }
  if (q == 0u) { return w[h * dims.N2 + n0 + n]; }
  let b = row0 + q - 1u;
  if (b >= dims.batch) { return vec2<f32>(0.0); }
  return v[(b * dims.H + h) * dims.N2 + n0 + n];
}

// Real coefficients c with v/(z−w) + conj(v)/(z−w̄) = (v.x·c.x + v.y·c.y, v.x·c.z + v.y·c.w).
fn coefficients(zr: f32, zi: f32, p: vec2<f32>) -> vec4<f32> {
  let dr = zr - p.x;
  let d1 = zi - p.y;
  let d2 = zi + p.y;
  let dr2 = dr * dr;
  let q1 = 1.0 / fma(d1, d1, dr2);
  let q2 = 1.0 / fma(d2, d2, dr2);
  let e1 = d1 * q1;
  let e2 = d2 * q2;
  return vec4<f32>(dr * (q1 + q2), e1 - e2, -(e1 + e2), dr * (q1 - q2));
}

// acc + v/(z−w) + conj(v)/(z−w̄) for a row with its own poles, over the common denominator
// D = (z−w)(z−w̄) = a² + (Im w)², a = z − Re w: the numerator is 2(Re v·a − Im v·Im w). One division
// instead of two; Re D is formed as a product, (Re a)² − (Im z − Im w)(Im z + Im w), so that it does
// not cancel near a pole.
fn accumulate(acc: vec2<f32>, zr: f32, zi: f32, p: vec2<f32>, x: vec2<f32>) -> vec2<f32> {
  let ar = zr - p.x;
  let Dr = fma(ar, ar, -(zi - p.y) * (zi + p.y));
  let Di = 2.0 * ar * zi;
  let q = 2.0 / fma(Dr, Dr, Di * Di);
  let Nr = fma(x.x, ar, -x.y * p.y);
  let Ni = x.x * zi;
  return vec2<f32>(fma(fma(Nr, Dr, Ni * Di), q, acc.x), fma(fma(Ni, Dr, -Nr * Di), q, acc.y));
}

@compute @workgroup_size(${workgroup})
fn main(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) g: vec3<u32>) {
  let h = g.z;
  let row0 = g.y * ${rows}u;
  let first = g.x * ${workgroup * items}u + t;
${each(
  (i) => `  let l${i} = first + ${i * workgroup}u;
  let z${i} = z[min(l${i}, dims.Lz - 1u)];
  let finite${i} = !(isInfinite(z${i}.x) || isInfinite(z${i}.y));
  let zr${i} = select(0.0, z${i}.x, finite${i});
  let zi${i} = select(0.0, z${i}.y, finite${i});`,
)}
${eachRow((r, i) => `  var acc${r}_${i} = vec2<f32>(0.0);`)}
  for (var n0 = 0u; n0 < dims.N2; n0 += ${chunk}u) {
    let count = min(${chunk}u, dims.N2 - n0);
    for (var k = t; k < ${chunk * slots}u; k += ${workgroup}u) {
      let n = k / SLOTS;
      let q = 2u * (k - n * SLOTS);
      staging[k] = vec4<f32>(stagedValue(q, n, n0, count, h, row0), stagedValue(q + 1u, n, n0, count, h, row0));
    }
    workgroupBarrier();
    for (var n = 0u; n < count; n++) {
${range(slots)
  .map((j) => `      let s${j} = staging[n * SLOTS + ${j}u];`)
  .join('\n')}
${
  rows === 1
    ? each((i) => `      acc0_${i} = accumulate(acc0_${i}, zr${i}, zi${i}, ${staged(0)}, ${staged(1)});`)
    : `${each((i) => `      let c${i} = coefficients(zr${i}, zi${i}, ${staged(0)});`)}
${R.map(
  (r) => `      let x${r} = ${staged(r + 1)};
${each(
  (i) =>
    `      acc${r}_${i} = vec2<f32>(fma(x${r}.x, c${i}.x, fma(x${r}.y, c${i}.y, acc${r}_${i}.x)), fma(x${r}.x, c${i}.z, fma(x${r}.y, c${i}.w, acc${r}_${i}.y)));`,
)}`,
).join('\n')}`
}
    }
    workgroupBarrier();
  }
${R.map(
  (r) => `  if (row0 + ${r}u < dims.batch) {
    let o = ((row0 + ${r}u) * dims.H + h) * dims.Lz;
${each(
  (i) => `    if (l${i} < dims.Lz) { out[o + l${i}] = select(vec2<f32>(0.0), acc${r}_${i}, finite${i}); }`,
)}
  }`,
).join('\n')}
}
`;
}

/** Dimensions of a Cauchy evaluation on the GPU. */
export interface CauchyDims {
  /** Rows sharing the poles of each feature. */
  batch: number;
  /** Features (independent pole sets). */
  H: number;
  /** Stored modes per feature (their conjugates are implied). */
  N2: number;
  /** Nodes. */
  Lz: number;
  /**
   * Whether every node lies on the imaginary axis (`z[l].x` exactly 0, as S4's nodes do): rows with
   * their own poles (batch 1) then take a kernel with half the arithmetic or less.
   */
  imaginaryNodes?: boolean;
}

/**
 * Records the conjugate-pair Cauchy sums on the GPU (no submission, no readback):
 * r[b,h,l] = Σ_n v[b,h,n]/(z_l − w[h,n]) + conj(v[b,h,n])/(z_l − conj w[h,n]).
 *
 * `v` is complex [batch, H, N2], `w` complex [H, N2], `z` complex [Lz], all `vec2<f32>`. Returns
 * a new array, complex [batch, H, Lz], owned by the caller (release it). A node with an infinite
 * component gives exactly 0; a finite node on a pole gives non-finite values (not checked here).
 */
export function recordCauchy(
  ctx: GpuContext,
  { v, w, z, batch, H, N2, Lz, imaginaryNodes }: { v: GpuArray; w: GpuArray; z: GpuArray } & CauchyDims,
): GpuArray {
  if (imaginaryNodes && batch === 1) return recordCauchyImaginaryNodes(ctx, { v, w, z, H, N2, Lz });
  const config = cauchyConfig(batch);
  const { workgroup, items, rows, chunk } = config;
  const pipeline = ctx.pipeline(`cauchy-w${workgroup}-i${items}-r${rows}-c${chunk}`, () =>
    cauchyWgsl(config),
  );
  const out = ctx.allocate(8 * batch * H * Lz);
  const uniforms = new Uint32Array([batch, H, N2, Lz]).buffer;
  ctx.dispatch(
    pipeline,
    [v, w, z, out],
    [Math.ceil(Lz / (workgroup * items)), Math.ceil(batch / rows), H],
    uniforms,
  );
  return out;
}

/** The dimensions of a Cauchy input, checked as the CPU `cauchy` checks them. */
function cauchyDims({ v, w, z }: CauchyInput): CauchyDims {
  const dims = (arg: string, t: ComplexTensor, names: string[]): number[] => {
    const shape = t?.shape;
    if (!Array.isArray(shape) || shape.length !== names.length) {
      throw new RangeError(`${arg} must have shape [${names.join(', ')}]; got [${shape?.join(', ') ?? ''}]`);
    }
    assertComplexLength(`${arg}.data`, t.data, sizeOf(shape));
    return [...shape];
  };
  const [batch, H, N2] = dims('v', v, ['batch', 'H', 'N2']);
  const [wH, wN2] = dims('w', w, ['H', 'N2']);
  if (wH !== H || wN2 !== N2) {
    throw new RangeError(`w must have shape [H, N2] = [${H}, ${N2}]; got [${w.shape.join(', ')}]`);
  }
  const [Lz] = dims('z', z, ['Lz']);
  return { batch, H, N2, Lz };
}

/** Index of the first entry satisfying `test`, or −1 (a plain function, so that V8 optimises its loop). */
function firstIndex(data: ArrayLike<number>, test: (x: number) => boolean): number {
  for (let i = 0; i < data.length; i++) if (test(data[i])) return i;
  return -1;
}

/** Whether every value of interleaved complex data has real part 0 (S4's frequency nodes do). */
function onImaginaryAxis(data: ArrayLike<number>): boolean {
  for (let i = 0; i < data.length; i += 2) if (data[i] !== 0) return false;
  return true;
}

/**
 * The backend's `cauchy` on the GPU: checks shapes and values as the CPU `cauchy` does, uploads,
 * computes and reads back complex [batch, H, Lz].
 * @throws RangeError on mismatched shapes, non-finite v or w, NaN in z, and when a result is not
 *   finite (a finite z on a pole in float32, where the CPU version throws too).
 */
export const cauchyOp: GpuOp<CauchyInput, { out: ComplexTensor }> = {
  async run(ctx, input) {
    const dims = cauchyDims(input);
    assertFinite('v', input.v.data);
    assertFinite('w', input.w.data);
    const nan = firstIndex(input.z.data, Number.isNaN);
    if (nan >= 0) throw new RangeError(`z must not hold NaN; found NaN at index ${nan}`);
    const v = ctx.upload(input.v.data as Float32Array);
    const w = ctx.upload(input.w.data as Float32Array);
    const z = ctx.upload(input.z.data as Float32Array);
    const out = recordCauchy(ctx, { v, w, z, ...dims, imaginaryNodes: onImaginaryAxis(input.z.data) });
    ctx.release(v, w, z);
    const data = await ctx.read(out);
    ctx.release(out);
    const bad = firstIndex(data, (x) => !Number.isFinite(x));
    if (bad >= 0) {
      const l = (bad >> 1) % dims.Lz;
      const row = Math.floor((bad >> 1) / dims.Lz);
      throw new RangeError(
        `r[${Math.floor(row / dims.H)}, ${row % dims.H}, ${l}] is not finite: z[${l}] coincides with a pole w[${row % dims.H}, n] or its conjugate (in float32), or the sums overflowed`,
      );
    }
    return { out: { data, shape: [dims.batch, dims.H, dims.Lz] } };
  },
  largestBuffer({ v, z }) {
    const [batch = 0, H = 0, N2 = 0] = v?.shape ?? [];
    const Lz = z?.shape?.[0] ?? 0;
    return 8 * Math.max(batch * H * Lz, batch * H * N2);
  },
};
