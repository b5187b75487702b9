import type { GpuArray, GpuContext } from '../gpu-context';
import type { RowPairing } from './conv';
import { type BoundSide, complexLoad, complexStore, MERGE_WGSL, realLoad, SPLIT_WGSL } from './fft-io';
import { dft, isPow2, recordResidueTransforms, workgroupFftLength } from './fft-stockham';
import { twiddleTable } from './fft-tables';
import { type MapKernel, mapKernel, range } from './fft-wgsl';

// The middle pass of a long convolution (real rows of n = 2N samples, N = n1·m beyond one workgroup):
// between the forward residue transforms of the input rows and the inverse ones of the output rows
// (`recordResidueTransforms`), everything that is per frequency runs in one pass over memory —
// the length-n1 DFTs across the residues that finish the forward transform, the split of the
// half-length spectrum into the bins of the real signal, the product with the kernel's bins, the
// merge back into a half-length spectrum and the inverse DFTs across the residues with their
// twiddles. The split and the merge pair bin k with bin N − k; in the residues' layout bin k + m·k1
// lies in column k, and N − (k + m·k1) = (m − k) + m·(n1 − 1 − k1) in column m − k, so one
// invocation takes the columns k and m − k together: no other pass, no strided access.

/** The longest DFT across the residues (n1) that the pass unrolls in registers. */
const MAX_RESIDUES = 16;

/**
 * The residues n1 for rows of n reals on this device: n/2 over the longest workgroup transform, or
 * undefined where the half transform fits one workgroup (one pass each way suffices) or n1 would
 * exceed {@link MAX_RESIDUES} (the four-step transforms then).
 */
export function columnResidues(ctx: GpuContext, n: number): number | undefined {
  const n1 = n / 2 / workgroupFftLength(ctx);
  return n1 > 1 && n1 <= MAX_RESIDUES ? n1 : undefined;
}

/**
 * Records the forward residue transforms (`'gather'`) of `rows` real rows of `width` values,
 * zero-padded to n (the left or right rows of {@link recordColumnProducts}): returns rows × n/2
 * complex, owned by the caller.
 */
export function recordRealResidues(
  ctx: GpuContext,
  input: GpuArray,
  { rows, width, n, n1 }: { rows: number; width: number; n: number; n1: number },
): GpuArray {
  const out = ctx.allocate(8 * rows * (n / 2));
  recordResidueTransforms(
    ctx,
    {
      rows,
      n: n / 2,
      inverse: false,
      scale: 1,
      from: { side: realLoad, arrays: [input], values: { inWidth: width } },
      to: { side: complexStore, arrays: [out] },
    },
    n1,
    'gather',
  );
  return out;
}

/**
 * Records the inverse residue transforms (`'scatter'`) of the output of {@link recordColumnProducts}
 * (rows × n/2 complex), scaled by 1/n, into the real rows of n samples through `to`.
 */
export function recordInverseResidues(
  ctx: GpuContext,
  input: GpuArray,
  { rows, n, n1 }: { rows: number; n: number; n1: number },
  to: BoundSide,
): void {
  recordResidueTransforms(
    ctx,
    { rows, n: n / 2, inverse: true, scale: 1 / n, from: { side: complexLoad, arrays: [input] }, to },
    n1,
    'scatter',
  );
}

/**
 * WGSL statements (appended to `lines`) giving the bins k = c + m·k1 (`${name}a${k1}`) and
 * N − k = (m − c) + m·(n1 − 1 − k1) (`${name}b${n1 − 1 − k1}`) of the real row whose residue
 * transforms start at `offset` of `array`: the DFTs across the residues of columns c and m − c, then
 * the split of the half-length spectrum into bins.
 */
function columnBins(n1: number, name: string, array: string, offset: string, lines: string[]): void {
  const last = n1 - 1;
  for (const j1 of range(n1)) {
    lines.push(
      `let ${name}ya${j1} = ${array}[${offset} + ${j1}u * P.m + c];`,
      `let ${name}yb${j1} = ${array}[${offset} + ${j1}u * P.m + cc % P.m];`,
    );
  }
  const za = dft(
    range(n1).map((j1) => `${name}ya${j1}`),
    `${name}za`,
    lines,
    '1.0',
  );
  const zb = dft(
    range(n1).map((j1) => `${name}yb${j1}`),
    `${name}zb`,
    lines,
    '1.0',
  );
  // Column 0 pairs with itself; its partner "column" m holds bins m, 2m, …, N: Z at bin N is Z_0.
  for (const k of range(n1))
    lines.push(`let ${name}zb${k}c = select(${zb[k]}, ${za[(k + 1) % n1]}, c == 0u);`);
  for (const k of range(n1)) {
    lines.push(
      `let ${name}a${k} = splitBins(${za[k]}, ${name}zb${last - k}c, table[c + ${k}u * P.m]);`,
      `let ${name}b${k} = splitBins(${name}zb${k}c, ${za[last - k]}, table[cc + ${k}u * P.m]);`,
    );
  }
}

/** WGSL of the pass for n1 residues (a power of two ≤ MAX_RESIDUES) and a row pairing. */
function columnProductsBody(n1: number, pairing: RowPairing): string {
  const last = n1 - 1;
  const lines: string[] = [];
  const factor = (bin: string) => (pairing.conjugate ? `conj(${bin})` : bin);
  for (const k of range(n1)) lines.push(`var pa${k} = vec2<f32>(0.0);`, `var pb${k} = vec2<f32>(0.0);`);
  lines.push(`for (var j = 0u; j < ${pairing.terms}; j++) {`);
  const body: string[] = [];
  columnBins(n1, 'u', 'left', `(${pairing.left}) * P.N`, body);
  columnBins(n1, 'k', 'right', `(${pairing.right}) * P.N`, body);
  for (const k of range(n1)) {
    body.push(`pa${k} += cmul(ua${k}, ${factor(`ka${k}`)});`, `pb${k} += cmul(ub${k}, ${factor(`kb${k}`)});`);
  }
  lines.push(...body.map((line) => `  ${line}`), '}');
  // numpy's irfft ignores the imaginary parts of bins 0 and N.
  lines.push(`if (c == 0u) {`, `  pa0.y = 0.0;`, `  pb${last}.y = 0.0;`, `}`);
  for (const k of range(n1)) {
    lines.push(
      `let qa${k} = mergeBins(pa${k}, pb${last - k}, table[c + ${k}u * P.m]);`,
      `let qb${k} = mergeBins(pb${k}, pa${last - k}, table[cc + ${k}u * P.m]);`,
    );
  }
  const va = dft(
    range(n1).map((k) => `qa${k}`),
    'va',
    lines,
    '-1.0',
  );
  const vb = dft(
    range(n1).map((k) => `qb${k}`),
    'vb',
    lines,
    '-1.0',
  );
  // Twiddled by W_N^(−j1·column) (the table has 2N entries) for the inverse residue transforms.
  const twiddled = (v: string, j1: number, column: string) =>
    j1 === 0 ? v : `cmul(${v}, conj(table[${2 * j1}u * ${column}]))`;
  lines.push('let o = row * P.N;');
  for (const j1 of range(n1)) lines.push(`out[o + ${j1}u * P.m + c] = ${twiddled(va[j1], j1, 'c')};`);
  // Column m/2 is its own partner, and column 0's partner is no column.
  lines.push('if (cc < P.m && cc != c) {');
  for (const j1 of range(n1)) lines.push(`  out[o + ${j1}u * P.m + cc] = ${twiddled(vb[j1], j1, 'cc')};`);
  lines.push('}');
  return `  let row = i / (P.m / 2u + 1u);
  let c = i % (P.m / 2u + 1u);
  let cc = P.m - c;
${lines.map((line) => `  ${line}`).join('\n')}`;
}

const kernels = new Map<string, MapKernel<'m' | 'N' | 'C' | 'H' | 'batch', never>>();

/** The spectral-product pass: arrays and sizes, for {@link recordColumnProducts}. */
export interface ColumnProducts {
  /** The forward residue transforms of the left rows: rows × n1 × m complex (see `recordResidueTransforms`). */
  left: GpuArray;
  /** The same of the right rows. */
  right: GpuArray;
  /** Output rows. */
  rows: number;
  /** Half the real length: N = n1·m. */
  N: number;
  n1: number;
  /** The pairing's uniforms. */
  C: number;
  H: number;
  batch: number;
}

/**
 * Records the middle pass of a long convolution: for each output row, the spectrum Σ_j
 * left[l(row, j)]·right[r(row, j)] of the pairing (both from their rows' residue transforms),
 * merged and taken back through the inverse DFTs across the residues: returns rows × n1 × m
 * complex, the input of the inverse residue transforms (`'scatter'`) of length N.
 */
export function recordColumnProducts(ctx: GpuContext, spec: ColumnProducts, pairing: RowPairing): GpuArray {
  const { left, right, rows, N, n1, C, H, batch } = spec;
  if (n1 < 2 || n1 > MAX_RESIDUES || !isPow2(n1)) {
    throw new RangeError(`the residues n1 must be a power of two from 2 to ${MAX_RESIDUES}; got ${n1}`);
  }
  const key = `conv.column-products:${pairing.key}:${n1}`;
  let kernel = kernels.get(key);
  if (!kernel) {
    kernel = mapKernel({
      key,
      bindings: [
        ['table', 'vec2<f32>', 'read'],
        ['left', 'vec2<f32>', 'read'],
        ['right', 'vec2<f32>', 'read'],
        ['out', 'vec2<f32>', 'read_write'],
      ],
      u32: ['m', 'N', 'C', 'H', 'batch'],
      functions: `${SPLIT_WGSL}\n${MERGE_WGSL}`,
      body: columnProductsBody(n1, pairing),
    });
    kernels.set(key, kernel);
  }
  const m = N / n1;
  const out = ctx.allocate(8 * rows * N);
  kernel(ctx, [twiddleTable(ctx, 2 * N), left, right, out], rows * (m / 2 + 1), { m, N, C, H, batch });
  return out;
}
