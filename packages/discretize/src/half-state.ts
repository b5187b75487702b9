import { assertFinite, type ComplexTensor, type Shape, type Tensor } from '@statespace/complex';

// Argument checks for batched half-state systems: H independent rows of N/2 complex modes each,
// stored interleaved as [H, N/2] (the other N/2 modes are the conjugates), and their step sizes.

/** The sizes of a batched half-state system: H rows of N/2 modes. */
export interface HalfStateSize {
  /** Number of independent rows (the model width H). */
  readonly H: number;
  /** Number of stored modes per row (N/2). */
  readonly halfN: number;
}

/** The sizes of a half-state tensor with leading batch dimensions, `[..., H, N/2]`. */
export interface BatchedHalfStateSize extends HalfStateSize {
  /** The leading dimensions (empty for `[H, N/2]`). */
  readonly lead: Shape;
  /** Their product: the number of `[H, N/2]` blocks. */
  readonly count: number;
}

function describe(shape: Shape | undefined): string {
  return `[${(shape ?? []).join(', ')}]`;
}

function isFloatArray(data: unknown): data is Float64Array | Float32Array {
  return data instanceof Float64Array || data instanceof Float32Array;
}

/**
 * Checks that `t` is a finite complex tensor of shape `[H, N/2]` or, with `batched`, of any
 * shape `[..., H, N/2]`, and returns its sizes.
 */
export function assertHalfState(arg: string, t: ComplexTensor, batched = false): BatchedHalfStateSize {
  const shape = t?.shape;
  if (!Array.isArray(shape) || !(batched ? shape.length >= 2 : shape.length === 2) || !isFloatArray(t.data)) {
    const dims = batched ? '[..., H, N/2]' : '[H, N/2]';
    throw new RangeError(`${arg} must be a ComplexTensor of shape ${dims}; got shape ${describe(shape)}`);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  if (t.data.length !== 2 * size) {
    throw new RangeError(
      `${arg}.data must hold ${2 * size} numbers (interleaved complex) for shape ${describe(shape)}; got ${t.data.length}`,
    );
  }
  assertFinite(arg, t.data);
  const lead = shape.slice(0, -2);
  return {
    H: shape[shape.length - 2],
    halfN: shape[shape.length - 1],
    lead,
    count: lead.reduce((a, b) => a * b, 1),
  };
}

/** Checks that a second half-state tensor has the sizes `size` of the first (`of` names it). */
export function assertSameSize(arg: string, size: HalfStateSize, other: HalfStateSize, of: string): void {
  if (size.H !== other.H || size.halfN !== other.halfN) {
    throw new RangeError(
      `${arg} must end in shape [${size.H}, ${size.halfN}] like ${of}; got [${other.H}, ${other.halfN}]`,
    );
  }
}

/**
 * Step sizes Δ of a batched half-state system, one per (row, mode), as a float64 array
 * `[H · N/2]`. `dt` is tied per row (shape `[H]` or `[H, 1]`, the official `dt_tie=True`) or
 * per mode (shape `[H, N/2]`, `dt_tie=False`); every entry must be finite and > 0.
 */
export function stepSizes(dt: Tensor, size: HalfStateSize): Float64Array {
  const { H, halfN } = size;
  const shape = dt?.shape;
  const tied =
    Array.isArray(shape) && (shape.length === 1 || (shape.length === 2 && shape[1] === 1)) && shape[0] === H;
  const untied = Array.isArray(shape) && shape.length === 2 && shape[0] === H && shape[1] === halfN;
  if (!(tied || untied) || !isFloatArray(dt.data) || dt.data.length !== (tied ? H : H * halfN)) {
    throw new RangeError(
      `dt must be a Tensor of shape [${H}], [${H}, 1] or [${H}, ${halfN}] (per row or per mode); ` +
        `got shape ${describe(shape)} with ${dt?.data?.length} values`,
    );
  }
  dt.data.forEach((v, i) => {
    if (!(Number.isFinite(v) && v > 0))
      throw new RangeError(`dt must be finite and > 0; found ${v} at index ${i}`);
  });
  if (untied) return Float64Array.from(dt.data);
  const out = new Float64Array(H * halfN);
  for (let h = 0; h < H; h++) out.fill(dt.data[h], h * halfN, (h + 1) * halfN);
  return out;
}
