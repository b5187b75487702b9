import type { GpuArray, GpuContext } from '../gpu-context';
import {
  type BoundSide,
  complexLoad,
  complexStore,
  type FftSide,
  SPLIT_WGSL,
  type Transform,
} from './fft-io';
import { twiddleTable } from './fft-tables';
import { COMPLEX_WGSL, grid, packParams, paramsStruct, staticUses, type UniformFields } from './fft-wgsl';

// Complex FFTs of power-of-two lengths, batched over rows. One kernel does whole transforms of a
// length M in workgroup memory: load through a side (fft-io.ts), Stockham autosort passes of radix
// up to 16 with every butterfly unrolled in registers, store through a side — or, for a real FFT,
// split the half-length spectrum into the bins of the real signal on the way out. Rows too long for
// workgroup memory take the four-step decomposition n = n1·n2 through the same kernel twice: n2
// strided transforms of length n1 with the twiddles W_n^(j2·k1) applied on the way out, then n1
// contiguous transforms of length n2 whose outputs are written with stride n1.

/** Whether n is a power of two (or 0). */
export const isPow2 = (n: number): boolean => (n & (n - 1)) === 0;

/** Workgroup invocations of the transform kernel at most. */
const MAX_THREADS = 256;
/** Elements one workgroup transforms when the transforms are short (several per workgroup). */
const TARGET_ELEMENTS = 1024;
/** log2 of the largest radix of a pass. */
const MAX_RADIX_BITS = 4;
/** Workgroup-array padding: one spare slot per this many elements, where the memory allows. */
const PAD_EVERY = 16;

/**
 * Which sub-transform a workgroup slot reads and writes: transform g of a dispatch belongs to row
 * ⌊g/subRows⌋ and is sub-transform g mod subRows of it; its element j is element
 * sub·inSub + j·inElem of the row's input (`load`) and its result k element sub·outSub + k·outElem
 * of the row's output (`store`). n is the length of the whole row transform, whose twiddle table
 * has 2n entries; the twiddle of exponent e of a length-M sub-transform is table[e·twStride].
 */
const CORE = {
  u32: ['n', 'count', 'subRows', 'inSub', 'inElem', 'outSub', 'outElem', 'twStride', 'subTwiddle'],
  f32: ['dir', 'scale'],
} as const;

type Layout = Record<'count' | 'subRows' | 'inSub' | 'inElem' | 'outSub' | 'outElem' | 'subTwiddle', number>;

/** The longest transform that fits in this device's workgroup memory (a power of two). */
export function workgroupFftLength(ctx: GpuContext): number {
  const elements = Math.floor(ctx.gpu.limits.maxComputeWorkgroupStorageSize / 8);
  return 2 ** Math.floor(Math.log2(elements));
}

/** The longest power-of-two transform this device can do: two workgroup levels. */
export function maxPow2FftLength(ctx: GpuContext): number {
  return workgroupFftLength(ctx) ** 2;
}

/**
 * Records the FFT of each of `rows` rows of n complex values (n a power of two), unscaled forward
 * (exp(−2πijk/n)) or inverse (exp(+2πijk/n)), times `scale`, reading through `from` and writing
 * through `to`. A `split` needs n ≤ {@link workgroupFftLength}.
 */
export function recordPow2Transform(ctx: GpuContext, spec: Transform): void {
  const { rows, n } = spec;
  const table = twiddleTable(ctx, 2 * n);
  const wgLength = workgroupFftLength(ctx);
  if (n <= wgLength) {
    const layout = { count: rows, subRows: 1, inSub: 0, inElem: 1, outSub: 0, outElem: 1, subTwiddle: 0 };
    transform(ctx, spec, table, n, layout, spec.from, spec.to, spec.scale, spec.split ?? false);
    return;
  }
  if (spec.split) throw new RangeError(`a fused real split needs n ≤ ${wgLength}; got ${n}`);
  const n2 = wgLength;
  const n1 = n / n2;
  if (n1 > wgLength) {
    throw new RangeError(`FFT length ${n} exceeds this device's maximum ${maxPow2FftLength(ctx)}`);
  }
  const columns = ctx.allocate(rows * n * 8);
  const through = (side: FftSide): BoundSide => ({ side, arrays: [columns] });
  // Step 1: for each j2, the length-n1 DFT of x[j2 + n2·j1], times W_n^(j2·k1), into Y[j2 + n2·k1].
  const step1 = {
    count: rows * n2,
    subRows: n2,
    inSub: 1,
    inElem: n2,
    outSub: 1,
    outElem: n2,
    subTwiddle: 1,
  };
  transform(ctx, spec, table, n1, step1, spec.from, through(complexStore), 1, false, wgLength);
  // Step 2: for each k1, the length-n2 DFT of Y[n2·k1 + j2] gives X[k1 + n1·k2].
  const step2 = {
    count: rows * n1,
    subRows: n1,
    inSub: n2,
    inElem: 1,
    outSub: 1,
    outElem: n1,
    subTwiddle: 0,
  };
  transform(ctx, spec, table, n2, step2, through(complexLoad), spec.to, spec.scale, false, wgLength);
  ctx.release(columns);
}

/**
 * Records one end of a length-n transform (n = spec.n, a power of two) split as n = n1·m with m ≤
 * {@link workgroupFftLength}, the other way round from the four-step above: for each row and each
 * residue j1 < n1, one length-m transform of the elements j1 + n1·j. What is left in between is a
 * DFT of length n1 across the residues of each column k < m, which the caller fuses with its own
 * element-wise work (see `conv-columns.ts`).
 * - `'gather'` (the first step of a forward transform): reads x[j1 + n1·j] through `from`, writes
 *   Y[j1·m + k] = W_n^(j1·k)·Σ_j x[j1 + n1·j]·W_m^(j·k) through `to`; then X[k + m·k1] = Σ_j1
 *   Y[j1·m + k]·W_n1^(j1·k1) (with `spec.scale` applied to Y).
 * - `'scatter'` (the last step of an inverse transform): reads Y[j1·m + k] through `from` (the
 *   caller's inverse DFTs across the residues, twiddled by W_n^(−j1·k)), writes x[j1 + n1·j] =
 *   scale·Σ_k Y[j1·m + k]·W_m^(−j·k) through `to`.
 */
export function recordResidueTransforms(
  ctx: GpuContext,
  spec: Transform,
  n1: number,
  order: 'gather' | 'scatter',
): void {
  const { rows, n } = spec;
  const m = n / n1;
  const wgLength = workgroupFftLength(ctx);
  if (!isPow2(n) || !isPow2(n1) || m > wgLength || m < 1) {
    throw new RangeError(
      `residue transforms need n and n1 powers of two and n / n1 ≤ ${wgLength}; got n ${n}, n1 ${n1}`,
    );
  }
  const strided = { inSub: 1, inElem: n1, outSub: m, outElem: 1, subTwiddle: 1 };
  const layout =
    order === 'gather' ? strided : { inSub: m, inElem: 1, outSub: 1, outElem: n1, subTwiddle: 0 };
  transform(
    ctx,
    spec,
    twiddleTable(ctx, 2 * n),
    m,
    { count: rows * n1, subRows: n1, ...layout },
    spec.from,
    spec.to,
    spec.scale,
    false,
    wgLength,
  );
}

/**
 * Records the FFT of each of `rows` rows of n complex values (`vec2<f32>`, n a power of two) into a
 * new array of the same layout, times `scale`; `input` is left as it is.
 */
export function recordPow2Fft(
  ctx: GpuContext,
  input: GpuArray,
  rows: number,
  n: number,
  inverse: boolean,
  scale = 1,
): GpuArray {
  const out = ctx.allocate(rows * n * 8);
  recordPow2Transform(ctx, {
    rows,
    n,
    inverse,
    scale,
    from: { side: complexLoad, arrays: [input] },
    to: { side: complexStore, arrays: [out] },
  });
  return out;
}

/**
 * One dispatch of the workgroup kernel: `layout.count` transforms of length M, as many per
 * workgroup as fit in `elements` (the strided steps of a four-step transform fill the workgroup:
 * more consecutive transforms per workgroup, longer contiguous runs of memory).
 */
function transform(
  ctx: GpuContext,
  spec: Transform,
  table: GpuArray,
  M: number,
  layout: Layout,
  from: BoundSide,
  to: BoundSide,
  scale: number,
  split: boolean,
  elements = Math.min(TARGET_ELEMENTS, workgroupFftLength(ctx)),
): void {
  // Short transforms share a workgroup, G of them.
  const G = Math.max(1, Math.floor(elements / M));
  // A field both sides name is one field.
  const fields = { u32: [...new Set([...CORE.u32, ...from.side.fields, ...to.side.fields])], f32: CORE.f32 };
  const E = M * G;
  const padded = 8 * (E + E / PAD_EVERY) <= ctx.gpu.limits.maxComputeWorkgroupStorageSize;
  const key = `fft.stockham:${from.side.key}>${to.side.key}${split ? ':split' : ''}:${M}:${G}${padded ? ':padded' : ''}`;
  const pipeline = ctx.pipeline(key, () => stockhamShader(M, G, fields, from.side, to.side, split, padded));
  const values = {
    ...from.values,
    ...to.values,
    ...layout,
    n: spec.n,
    twStride: (2 * spec.n) / M,
    dir: spec.inverse ? -1 : 1,
    scale,
  };
  ctx.dispatch(
    pipeline,
    [table, ...from.arrays, ...to.arrays],
    grid(ctx, Math.ceil(layout.count / G)),
    packParams(fields, values),
  );
}

/** The radix (a power of two ≤ 16) of each pass, as even as possible: fewest passes first. */
function radices(M: number): number[] {
  const bits = Math.log2(M);
  const count = Math.ceil(bits / MAX_RADIX_BITS);
  return Array.from(
    { length: count },
    (_, i) => 2 ** (Math.floor(bits / count) + (i < bits % count ? 1 : 0)),
  );
}

/** A WGSL f32 literal of a float64 constant. */
function literal(x: number): string {
  const text = String(x);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

/**
 * Unrolled WGSL of the DFT of the values named `inputs` (a power-of-two count; forward where the
 * WGSL expression `dir` is 1, inverse where it is −1): radix-2 decimation in time, constant twiddles
 * exp(∓2πik/R) in float64 literals. Appends the statements to `lines`; returns the names of the
 * results in order.
 */
export function dft(inputs: string[], name: string, lines: string[], dir = 'P.dir'): string[] {
  const R = inputs.length;
  if (R === 1) return inputs;
  const even = dft(
    inputs.filter((_, i) => i % 2 === 0),
    `${name}e`,
    lines,
    dir,
  );
  const odd = dft(
    inputs.filter((_, i) => i % 2 === 1),
    `${name}o`,
    lines,
    dir,
  );
  const out: string[] = [];
  for (let k = 0; k < R / 2; k++) {
    let twiddled = odd[k];
    if (4 * k === R) twiddled = `${dir} * vec2<f32>(${odd[k]}.y, -${odd[k]}.x)`;
    else if (k > 0) {
      const angle = (-2 * Math.PI * k) / R;
      twiddled = `cmul(${odd[k]}, vec2<f32>(${literal(Math.cos(angle))}, ${dir} * ${literal(Math.sin(angle))}))`;
    }
    lines.push(`let ${name}w${k} = ${twiddled};`);
    lines.push(`let ${name}${k} = ${even[k]} + ${name}w${k};`);
    lines.push(`let ${name}${k + R / 2} = ${even[k]} - ${name}w${k};`);
    out[k] = `${name}${k}`;
    out[k + R / 2] = `${name}${k + R / 2}`;
  }
  return out;
}

/**
 * One Stockham pass (radix R, span p: the length of the sub-transforms already done) over the
 * workgroup array. For butterfly i < M/R of a transform, k = i mod p:
 * u_q = x[i + q·M/R]·W_M^(q·k·M/(R·p)), U = DFT_R(u), y[(i − k)·R + k + q·p] = U_q. Each invocation
 * keeps its butterflies' results in registers between two barriers.
 */
function passCode(M: number, E: number, T: number, R: number, p: number): string {
  const per = E / R / T;
  const span = M / R;
  const lines: string[] = [];
  const results: string[][] = [];
  for (let c = 0; c < per; c++) {
    const b = `b${c}`;
    lines.push(`let ${b} = t + ${c * T}u;`);
    lines.push(`let ${b}x = (${b} / ${span}u) * ${M}u + ${b} % ${span}u;`);
    lines.push(`let ${b}k = (${b} % ${span}u) % ${p}u;`);
    const inputs = Array.from({ length: R }, (_, q) => {
      const value = `s[at(${b}x + ${q * span}u)]`;
      if (q === 0 || p === 1) {
        lines.push(`let ${b}u${q} = ${value};`);
        return `${b}u${q}`;
      }
      // W^(q·k): from the table for powers of two, else the product of two earlier ones.
      const high = 2 ** Math.floor(Math.log2(q));
      lines.push(
        high === q
          ? `let ${b}w${q} = tw(${b}k * ${(q * M) / (R * p)}u);`
          : `let ${b}w${q} = cmul(${b}w${high}, ${b}w${q - high});`,
      );
      lines.push(`let ${b}u${q} = cmul(${value}, ${b}w${q});`);
      return `${b}u${q}`;
    });
    results.push(dft(inputs, `${b}y`, lines));
  }
  lines.push('workgroupBarrier();');
  results.forEach((outputs, c) => {
    const b = `b${c}`;
    // (i − k)·R + k with i the butterfly's index in its transform, plus the transform's offset.
    lines.push(`let ${b}j = (${b} / ${span}u) * ${M}u + (${b} % ${span}u - ${b}k) * ${R}u + ${b}k;`);
    for (const [q, value] of outputs.entries()) lines.push(`s[at(${b}j + ${q * p}u)] = ${value};`);
  });
  lines.push('workgroupBarrier();');
  return `  // radix ${R}, p = ${p}\n  {\n${lines.map((l) => `    ${l}`).join('\n')}\n  }`;
}

/**
 * The statements of `count` copies of a loop body, written out: the loads of all copies are then
 * independent statements that the compiler issues together, instead of one memory latency per
 * iteration of a loop.
 */
function unrolled(count: number, body: (copy: number) => string[]): string {
  return Array.from({ length: count }, (_, c) =>
    body(c)
      .map((line) => `    ${line}`)
      .join('\n'),
  ).join('\n');
}

/**
 * WGSL of G transforms of length M per workgroup, in one workgroup array of G·M values, `padded`
 * with a spare slot every {@link PAD_EVERY} elements (the strided writes of a pass then fall in
 * different memory banks).
 */
function stockhamShader(
  M: number,
  G: number,
  fields: UniformFields<string, string>,
  from: FftSide,
  to: FftSide,
  split: boolean,
  padded: boolean,
): string {
  const E = M * G;
  const plan = radices(M);
  const T = Math.min(MAX_THREADS, E / Math.max(1, ...plan));
  let p = 1;
  const passes = plan.map((R) => {
    const code = passCode(M, E, T, R, p);
    p *= R;
    return code;
  });
  const declarations = [...from.bindings, ...to.bindings].map(
    ([name, type, access], i) =>
      `@group(0) @binding(${i + 1}) var<storage, ${access}> ${name}: array<${type}>;`,
  );
  const store = split
    ? /* wgsl */ `
  // The n + 1 bins of the 2n reals, from Z_k and Z_(n−k) of this transform (single level: row = g).
  for (var e = t; e < ${G * (M + 1)}u; e += ${T}u) {
    let g = first + e % ${G}u;
    if (g < P.count) {
      let k = e / ${G}u;
      let z = (e % ${G}u) * ${M}u;
      store(g, k, P.scale * splitBins(s[at(z + k % ${M}u)], s[at(z + (${M}u - k) % ${M}u)], table[k]));
    }
  }`
    : `  {\n${unrolled(E / T, (c) => [
        `let e${c} = t + ${c * T}u;`,
        `let g${c} = first + e${c} % ${G}u;`,
        `let k${c} = e${c} / ${G}u;`,
        `let sub${c} = g${c} % P.subRows;`,
        `var v${c} = P.scale * s[at((e${c} % ${G}u) * ${M}u + k${c})];`,
        // W_n^(sub·k): the table has 2n entries.
        `if (P.subTwiddle != 0u) { v${c} = cmul(v${c}, twiddle(2u * sub${c} * k${c})); }`,
        `if (g${c} < P.count) { store(g${c} / P.subRows, sub${c} * P.outSub + k${c} * P.outElem, v${c}); }`,
      ])}\n  }`;
  return /* wgsl */ `
${paramsStruct(fields)}
@group(0) @binding(0) var<storage, read> table: array<vec2<f32>>;
${declarations.join('\n')}
@group(0) @binding(${declarations.length + 1}) var<uniform> P: Params;
var<workgroup> s: array<vec2<f32>, ${padded ? E + E / PAD_EVERY : E}>;
// Index of element i in the workgroup array${padded ? `: one pad slot every ${PAD_EVERY} elements, against bank conflicts` : ''}.
fn at(i: u32) -> u32 {
  return ${padded ? `i + i / ${PAD_EVERY}u` : 'i'};
}
${COMPLEX_WGSL}
${SPLIT_WGSL}
// W^e of the table (forward), conjugated for the inverse (P.dir = −1).
fn twiddle(index: u32) -> vec2<f32> {
  let w = table[index];
  return vec2<f32>(w.x, P.dir * w.y);
}
// W_M^e for this transform length.
fn tw(e: u32) -> vec2<f32> {
  return twiddle(e * P.twStride);
}
${from.wgsl}
${to.wgsl}
@compute @workgroup_size(${T})
fn main(
  @builtin(workgroup_id) wg: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) t: u32,
) {
${staticUses([...from.bindings, ...to.bindings])}
  let first = (wg.x + wg.y * nwg.x) * ${G}u;
  // Consecutive invocations take consecutive transforms of one element (coalesced when strided);
  // a slot past the last transform loads the last one's element again (never stored).
  {
${unrolled(E / T, (c) => [
  `let e${c} = t + ${c * T}u;`,
  `let g${c} = min(first + e${c} % ${G}u, P.count - 1u);`,
  `let x${c} = load(g${c} / P.subRows, (g${c} % P.subRows) * P.inSub + (e${c} / ${G}u) * P.inElem);`,
])}
${unrolled(E / T, (c) => [`s[at((e${c} % ${G}u) * ${M}u + e${c} / ${G}u)] = x${c};`])}
  }
  workgroupBarrier();
${passes.join('\n')}
${store}
}`;
}
