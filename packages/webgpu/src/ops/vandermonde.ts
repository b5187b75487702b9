import {
  assertComplexLength,
  assertFinite,
  assertInteger,
  type ComplexTensor,
  sizeOf,
  type Tensor,
} from '@statespace/complex';
import type { VandermondeInput, VandermondeTransposeInput } from '@statespace/kernels';
import type { GpuArray, GpuContext } from '../gpu-context';
import type { GpuOp } from './op';

// Vandermonde products Σ v·exp(x·(l − shift)) in float32 that stay accurate for long L and large
// phases. Per mode, the host (float64) prepares a table entry: the phase per step in turns split
// into a 32-bit fixed-point fraction and a small remainder, so that the GPU forms (Im x·j mod 2π)
// for any integer j with exact u32 arithmetic (wrapping multiplication) plus a term below 2⁻¹⁸
// turn; and exp(±STRIDE·x), the factor between the outputs of one thread. A thread computes
// exp(x·j) directly at the start of its chain and steps at most `STEPS` times from there, so
// rounding never builds up over L. Chains run towards decreasing magnitude (downwards in l when
// Re x > 0), so a start value never underflows while later values of its chain matter.

/** Threads per workgroup; consecutive threads take consecutive l (coalesced). */
const WG = 64;
/** Distance in l between the outputs of one thread (the workgroup's width). */
const STRIDE = WG;
/** Most outputs per thread (steps per chain). */
const STEPS = 16;
/** 32-bit words per mode in the table. */
const MODE_WORDS = 8;
const TWO_32 = 2 ** 32;

/** The per-mode table entry, and the direct exp(x·j) and complex product both kernels use. */
const MODE_WGSL = /* wgsl */ `
struct Mode {
  step: vec2<f32>, // exp(±STRIDE·x): + when chains run upwards in l, − when downwards (rev)
  xr: f32,         // Re x
  flo: f32,        // Im x/2π = (integer) + (fhi + flo)·2⁻³², 0 ≤ flo < 1
  fhi: u32,
  shift: i32,      // the term is v·exp(x·(l − shift))
  rev: u32,        // 1 when Re x > 0: chains start at their largest l and step down
  pad: u32,
}

const TWO_PI: f32 = 6.283185307179586;
const TWO_M32: f32 = 2.3283064365386963e-10;

fn cmul(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  return vec2<f32>(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x);
}

// (cos, sin)(2π·t) for |t| ≤ ½, accurate to float32. The built-in sin and cos may err by 2⁻¹¹ on
// [−π, π] (the WGSL spec's bound; SwiftShader, Chromium's software adapter, errs by ~2·10⁻⁴, which
// alone broke the 10⁻⁴ tolerance of the S4D kernel there): t is reduced to the nearest quarter
// turn q, leaving |a| ≤ π/4, where Taylor polynomials of degree 9 and 10 err below 2·10⁻⁹; the
// quarter then rotates the result.
fn cosSinTurns(t: f32) -> vec2<f32> {
  let q = floor(4.0 * t + 0.5);
  let a = TWO_PI * (t - 0.25 * q);
  let a2 = a * a;
  let s = a * (1.0 + a2 * (-0.16666666666666666 + a2 * (0.008333333333333333 + a2 * (-0.0001984126984126984 + a2 * 0.0000027557319223985893))));
  let c = 1.0 + a2 * (-0.5 + a2 * (0.041666666666666664 + a2 * (-0.001388888888888889 + a2 * (0.0000248015873015873 - a2 * 2.755731922398589e-7))));
  switch ((i32(q) + 4) % 4) {
    case 1: { return vec2<f32>(-s, c); }
    case 2: { return vec2<f32>(-c, -s); }
    case 3: { return vec2<f32>(s, -c); }
    default: { return vec2<f32>(c, s); }
  }
}

// exp(x·j): the phase in turns is fract((fhi + flo)·2⁻³²·j), its main part exact in u32 and
// brought to [−½, ½) by the signed reinterpretation.
fn direct(m: Mode, j: i32) -> vec2<f32> {
  let jf = f32(j);
  let turns = f32(bitcast<i32>(m.fhi * bitcast<u32>(j))) * TWO_M32 + m.flo * jf * TWO_M32;
  return exp(m.xr * jf) * cosSinTurns(turns);
}
`;

/**
 * The mode table of a Vandermonde product with exponents `x` (interleaved complex, one entry per
 * mode, any precision; read as float64) and optional integer index shifts (term
 * v·exp(x·(l − shift))). Built on the host in float64; bind it as `modes` of the recorders.
 */
export function vandermondeModes(x: ArrayLike<number>, shift?: ArrayLike<number>): Uint32Array {
  const count = x.length / 2;
  const words = new Uint32Array(Math.max(1, count) * MODE_WORDS);
  const floats = new Float32Array(words.buffer);
  const ints = new Int32Array(words.buffer);
  for (let m = 0; m < count; m++) {
    const xr = x[2 * m];
    const turns = x[2 * m + 1] / (2 * Math.PI);
    const f = turns - Math.floor(turns);
    const scaled = f * TWO_32;
    const fhi = Math.floor(scaled);
    // The step exp(±STRIDE·x), |·| ≤ 1, its phase reduced exactly (STRIDE·f is exact).
    const rev = xr > 0;
    const g = STRIDE * f;
    const angle = 2 * Math.PI * (g - Math.round(g));
    const mag = Math.exp(-STRIDE * Math.abs(xr));
    const o = m * MODE_WORDS;
    floats[o] = mag * Math.cos(angle);
    floats[o + 1] = (rev ? -mag : mag) * Math.sin(angle);
    floats[o + 2] = xr;
    floats[o + 3] = scaled - fhi;
    words[o + 4] = fhi;
    ints[o + 5] = shift === undefined ? 0 : shift[m];
    words[o + 6] = rev ? 1 : 0;
  }
  return words;
}

/** Outputs per thread for length L: a power of two ≤ STEPS, so short kernels waste no threads. */
function stepsFor(L: number): number {
  let steps = 1;
  while (steps < STEPS && steps * STRIDE < L) steps *= 2;
  return steps;
}

/**
 * One chain of `steps` outputs: `body(p)` with z = exp(x·(l − shift)) for l = l0 + STRIDE·p, in
 * the direction of decreasing |z|. Both directions are written out with constant indices so that
 * per-thread accumulator arrays stay in registers.
 */
function chainWgsl(steps: number, body: (p: string) => string): string {
  const run = (p: string, first: string) => /* wgsl */ `
        var z = direct(m, i32(l0 + ${first}) - m.shift);
        for (var k = 0u; k < ${steps}u; k++) {
          ${body(p)}
          z = cmul(z, m.step);
        }`;
  return /* wgsl */ `
      if (m.rev == 0u) {${run('k', '0u')}
      } else {${run(`${steps - 1}u - k`, `${STRIDE * (steps - 1)}u`)}
      }`;
}

/** K[r, h, l] = 2·Re Σ_n v[r,h,n]·exp(x[h,n]·(l − shift[h,n])); workgroup = (row r·H + h, l tile). */
function forwardWgsl(steps: number): string {
  return /* wgsl */ `${MODE_WGSL}
struct Params { H: u32, N2: u32, L: u32, tiles: u32, count: u32 }
@group(0) @binding(0) var<storage, read> v: array<vec2<f32>>;
@group(0) @binding(1) var<storage, read> modes: array<Mode>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> U: Params;

var<workgroup> sv: array<vec2<f32>, ${WG}>;
var<workgroup> sm: array<Mode, ${WG}>;

@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) t: u32) {
  let g = wid.x + wid.y * nwg.x;
  if (g >= U.count) { return; }
  let tile = g % U.tiles;
  let row = g / U.tiles;
  let h = row % U.H;
  let l0 = tile * ${STRIDE * steps}u + t;
  var acc: array<f32, ${steps}>;
  for (var n0 = 0u; n0 < U.N2; n0 += ${WG}u) {
    let count = min(${WG}u, U.N2 - n0);
    workgroupBarrier();
    if (t < count) {
      sv[t] = v[row * U.N2 + n0 + t];
      sm[t] = modes[h * U.N2 + n0 + t];
    }
    workgroupBarrier();
    for (var i = 0u; i < count; i++) {
      let m = sm[i];
      let c = sv[i];
      ${chainWgsl(steps, (p) => `acc[${p}] += c.x * z.x - c.y * z.y;`)}
    }
  }
  for (var p = 0u; p < ${steps}u; p++) {
    let l = l0 + ${STRIDE}u * p;
    if (l < U.L) { out[row * U.L + l] = 2.0 * acc[p]; }
  }
}
`;
}

/**
 * s[r, h, n] = v[h,n]·Σ_l u[r,h,l]·exp(x[h,n]·(l − shift[h,n])); workgroup = (row r·H + h, mode n).
 * Each thread sums its chains (one per block of STRIDE·STEPS), then a tree reduction in workgroup
 * memory adds the threads' sums. With `moments`, the sums are the moments of the rows instead, the
 * VJPs' transposed products: S0 = Σ_l u·exp(x·l) into out[g] and S1 = Σ_l l·u·exp(x·l) into
 * out[count + g] (no v, no shift).
 */
function transposeWgsl(moments: boolean): string {
  return /* wgsl */ `${MODE_WGSL}
struct Params { H: u32, N2: u32, L: u32, blocks: u32, count: u32 }
@group(0) @binding(0) var<storage, read> u: array<f32>;
@group(0) @binding(1) var<storage, read> v: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read> modes: array<Mode>;
@group(0) @binding(3) var<storage, read_write> out: array<vec2<f32>>;
@group(0) @binding(4) var<uniform> U: Params;

var<workgroup> part: array<vec2<f32>, ${WG}>;
${moments ? `var<workgroup> part1: array<vec2<f32>, ${WG}>;` : ''}

@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) t: u32) {
  let g = wid.x + wid.y * nwg.x;
  if (g >= U.count) { return; }
  let row = g / U.N2;
  let mode = (row % U.H) * U.N2 + g % U.N2;
  let m = modes[mode];
  var total = vec2<f32>(0.0);
  var total1 = vec2<f32>(0.0);
  for (var block = 0u; block < U.blocks; block++) {
    let l0 = block * ${STRIDE * STEPS}u + t;
    var sum = vec2<f32>(0.0);
    var sum1 = vec2<f32>(0.0);
    ${chainWgsl(
      STEPS,
      (p) => `let l = l0 + ${STRIDE}u * (${p});
          if (l < U.L) {
            let term = u[row * U.L + l] * z;
            sum += term;
            ${moments ? 'sum1 += f32(l) * term;' : ''}
          }`,
    )}
    total += sum;
    total1 += sum1;
  }
  part[t] = total;
  ${moments ? 'part1[t] = total1;' : '_ = total1;'}
  for (var width = ${WG / 2}u; width > 0u; width >>= 1u) {
    workgroupBarrier();
    if (t < width) {
      part[t] += part[t + width];
      ${moments ? 'part1[t] += part1[t + width];' : ''}
    }
  }
  if (t == 0u) {
    ${moments ? 'out[g] = part[0];\n    out[U.count + g] = part1[0];\n    _ = &v;' : 'out[g] = cmul(v[mode], part[0]);'}
  }
}
`;
}

/** GPU-resident operands of {@link recordVandermonde}. */
export interface VandermondeArrays {
  /** Coefficients, complex [rows, H, N2]. */
  v: GpuArray;
  /** The mode table of x (and shifts) from {@link vandermondeModes}, [H, N2] modes. */
  modes: GpuArray;
  rows: number;
  H: number;
  N2: number;
  L: number;
}

/**
 * Records K[r, h, l] = 2·Re Σ_n v[r,h,n]·exp(x[h,n]·(l − shift[h,n])) for l < L; returns the new
 * real array [rows, H, L] (the caller releases it). Nothing is submitted.
 */
export function recordVandermonde(ctx: GpuContext, a: VandermondeArrays): GpuArray {
  const { rows, H, N2, L } = a;
  const out = ctx.allocate(4 * rows * H * L);
  const steps = stepsFor(L);
  const tiles = Math.ceil(L / (STRIDE * steps));
  const count = rows * H * tiles;
  if (count === 0) return out;
  const pipeline = ctx.pipeline(`vandermonde-${steps}`, () => forwardWgsl(steps));
  ctx.dispatch(
    pipeline,
    [a.v, a.modes, out],
    ctx.grid(count),
    new Uint32Array([H, N2, L, tiles, count]).buffer,
  );
  return out;
}

/** GPU-resident operands of {@link recordVandermondeTranspose}. */
export interface VandermondeTransposeArrays {
  /** Real [rows, H, L]. */
  u: GpuArray;
  /** Complex [H, N2]. */
  v: GpuArray;
  /** The mode table of x (and shifts) from {@link vandermondeModes}, [H, N2] modes. */
  modes: GpuArray;
  rows: number;
  H: number;
  N2: number;
  L: number;
}

/**
 * Records s[r, h, n] = v[h,n]·Σ_{l<L} u[r,h,l]·exp(x[h,n]·(l − shift[h,n])); returns the new complex
 * array [rows, H, N2] (the caller releases it). Nothing is submitted.
 */
export function recordVandermondeTranspose(ctx: GpuContext, a: VandermondeTransposeArrays): GpuArray {
  const out = ctx.allocate(8 * a.rows * a.H * a.N2);
  dispatchTranspose(ctx, false, a.u, a.v, a.modes, out, a);
  return out;
}

/**
 * Records the moments of real rows u [rows, H, L] at the modes' exponents (the transposed
 * products of the Vandermonde VJPs, see `vandermondeMoments` of @statespace/kernels):
 * S0[r, h, n] = Σ_l u[r,h,l]·exp(x[h,n]·l) and S1[r, h, n] = Σ_l l·u[r,h,l]·exp(x[h,n]·l). Returns
 * one new complex array [2, rows, H, N2], S0 then S1 (the caller releases it). The mode table's
 * shifts must be 0.
 */
export function recordVandermondeMoments(
  ctx: GpuContext,
  a: Omit<VandermondeTransposeArrays, 'v'>,
): GpuArray {
  const out = ctx.allocate(16 * a.rows * a.H * a.N2);
  // v is not read: the modes stand in for its binding.
  dispatchTranspose(ctx, true, a.u, a.modes, a.modes, out, a);
  return out;
}

function dispatchTranspose(
  ctx: GpuContext,
  moments: boolean,
  u: GpuArray,
  v: GpuArray,
  modes: GpuArray,
  out: GpuArray,
  { rows, H, N2, L }: { rows: number; H: number; N2: number; L: number },
): void {
  const count = rows * H * N2;
  if (count === 0) return;
  const blocks = Math.ceil(L / (STRIDE * STEPS));
  const pipeline = ctx.pipeline(`vandermonde-transpose${moments ? '-moments' : ''}`, () =>
    transposeWgsl(moments),
  );
  ctx.dispatch(
    pipeline,
    [u, v, modes, out],
    ctx.grid(count),
    new Uint32Array([H, N2, L, blocks, count]).buffer,
  );
}

/** Checks a finite complex tensor's rank and length; returns its shape. */
function complexShape(arg: string, t: ComplexTensor, names: readonly string[]): number[] {
  const shape = t?.shape;
  if (
    !Array.isArray(shape) ||
    shape.length !== names.length ||
    !shape.every((d) => Number.isInteger(d) && d >= 0)
  ) {
    throw new RangeError(`${arg} must have shape [${names.join(', ')}]; got [${shape?.join(', ') ?? ''}]`);
  }
  assertComplexLength(`${arg}.data`, t.data, sizeOf(shape));
  assertFinite(arg, t.data);
  return [...shape];
}

function expectShape(
  arg: string,
  shape: number[],
  expected: readonly number[],
  names: readonly string[],
): void {
  if (shape.some((d, i) => d !== expected[i])) {
    throw new RangeError(
      `${arg} must have shape [${names.join(', ')}] = [${expected.join(', ')}]; got [${shape.join(', ')}]`,
    );
  }
}

/**
 * The backend's `vandermonde`: K[b,h,l] = 2·Re Σ_n v[b,h,n]·exp(x[h,n]·l), v [batch, H, N2],
 * x [H, N2] → real [batch, H, L], in float32 with the mode table prepared in float64.
 */
export const vandermondeOp: GpuOp<VandermondeInput, { out: Tensor }> = {
  async run(ctx, { v, x, L }) {
    const [batch, H, N2] = complexShape('v', v, ['batch', 'H', 'N2']);
    expectShape('x', complexShape('x', x, ['H', 'N2']), [H, N2], ['H', 'N2']);
    assertInteger('L', L, 1);
    const vBuf = ctx.upload(v.data);
    const modes = ctx.upload(vandermondeModes(x.data));
    const out = recordVandermonde(ctx, { v: vBuf, modes, rows: batch, H, N2, L });
    const data = await ctx.read(out);
    ctx.release(vBuf, modes, out);
    return { out: { data, shape: [batch, H, L] } };
  },
  largestBuffer: ({ v, x, L }) =>
    Math.max(4 * v.data.length, 2 * MODE_WORDS * x.data.length, 4 * v.shape[0] * v.shape[1] * L),
};

/**
 * The backend's `vandermondeTranspose`: s[b,h,n] = Σ_l u[b,h,l]·v[h,n]·exp(x[h,n]·l), u real
 * [batch, H, L], v and x [H, N2] → complex [batch, H, N2]; each sum is reduced in workgroup memory.
 */
export const vandermondeTransposeOp: GpuOp<VandermondeTransposeInput, { out: ComplexTensor }> = {
  async run(ctx, { u, v, x }) {
    const ushape = u?.shape;
    if (!Array.isArray(ushape) || ushape.length !== 3 || u.data.length !== sizeOf(ushape)) {
      throw new RangeError(
        `u must be a real tensor of shape [batch, H, L]; got [${ushape?.join(', ') ?? ''}] with ${u?.data?.length} values`,
      );
    }
    assertFinite('u', u.data);
    const [batch, H, L] = ushape;
    const [vH, N2] = complexShape('v', v, ['H', 'N2']);
    expectShape('v', [vH, N2], [H, N2], ['H', 'N2']);
    expectShape('x', complexShape('x', x, ['H', 'N2']), [H, N2], ['H', 'N2']);
    const uBuf = ctx.upload(u.data);
    const vBuf = ctx.upload(v.data);
    const modes = ctx.upload(vandermondeModes(x.data));
    const out = recordVandermondeTranspose(ctx, { u: uBuf, v: vBuf, modes, rows: batch, H, N2, L });
    const data = await ctx.read(out);
    ctx.release(uBuf, vBuf, modes, out);
    return { out: { data, shape: [batch, H, N2] } };
  },
  largestBuffer: ({ u, v, x }) =>
    Math.max(4 * u.data.length, 2 * MODE_WORDS * x.data.length, 4 * u.shape[0] * v.data.length),
};
