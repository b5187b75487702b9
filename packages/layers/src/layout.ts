import { allocateLike, assertFinite, type RealArray, type Tensor } from '@statespace/complex';

// Sequence tensors are [batch, length, features] (the official `transposed=False`) or
// [batch, features, length] (`transposed=True`, the official default of FFTConv and S4Block).
// Convolutions want the features first; position-wise layers want them last.

/** [outer, a, b, inner] → [outer, b, a, inner], into a new array of the same precision. */
export function swapAxes(x: RealArray, outer: number, a: number, b: number, inner: number): RealArray {
  const out = allocateLike(x, x.length);
  for (let o = 0; o < outer; o++) {
    const base = o * a * b * inner;
    for (let i = 0; i < a; i++) {
      if (inner === 1) {
        // Single values (the common case), without the copy loop: twice as fast.
        for (let j = 0; j < b; j++) out[base + j * a + i] = x[base + i * b + j];
        continue;
      }
      for (let j = 0; j < b; j++) {
        const src = base + (i * b + j) * inner;
        const dst = base + (j * a + i) * inner;
        for (let k = 0; k < inner; k++) out[dst + k] = x[src + k];
      }
    }
  }
  return out;
}

/** The dimensions of a sequence tensor: `[batch, length, features]` whatever its layout. */
export interface SequenceDims {
  batch: number;
  length: number;
  features: number;
}

/**
 * Checks a sequence input: real, 3-D, `features` on axis 1 (transposed) or 2, length ≥ 1,
 * float data of the module's precision kind, finite.
 * @throws RangeError naming the argument and the expected shape.
 */
export function sequenceDims(arg: string, x: Tensor, features: number, transposed: boolean): SequenceDims {
  const shape = x?.shape;
  const want = transposed ? `[batch, ${features}, length]` : `[batch, length, ${features}]`;
  if (
    !Array.isArray(shape) ||
    shape.length !== 3 ||
    shape[transposed ? 1 : 2] !== features ||
    shape[transposed ? 2 : 1] < 1
  ) {
    throw new RangeError(`${arg} must have shape ${want}; got [${shape?.join(', ') ?? ''}]`);
  }
  if (!(x.data instanceof Float64Array || x.data instanceof Float32Array)) {
    throw new TypeError(`${arg}.data must be a Float64Array or Float32Array`);
  }
  if (x.data.length !== shape[0] * shape[1] * shape[2]) {
    throw new RangeError(
      `${arg}.data must hold ${shape[0] * shape[1] * shape[2]} values for shape [${shape.join(', ')}]; got ${x.data.length}`,
    );
  }
  assertFinite(arg, x.data);
  return { batch: shape[0], length: shape[transposed ? 2 : 1], features };
}

/**
 * Per-example lengths of suffix-padded sequences (the official `lengths`): an integer or a list
 * of `batch` integers, each in [0, length]. Returns one per example, or undefined when every
 * sequence has the full length.
 */
export function parseLengths(
  lengths: number | readonly number[] | undefined,
  batch: number,
  length: number,
): number[] | undefined {
  if (lengths === undefined) return undefined;
  const list = typeof lengths === 'number' ? Array.from({ length: batch }, () => lengths) : [...lengths];
  if (list.length !== batch && list.length !== 1) {
    throw new RangeError(`lengths must hold 1 or batch = ${batch} values; got ${list.length}`);
  }
  const full = list.length === 1 ? Array.from({ length: batch }, () => list[0]) : list;
  for (const [b, l] of full.entries()) {
    if (!Number.isInteger(l) || l < 0 || l > length) {
      throw new RangeError(`lengths[${b}] must be an integer in [0, ${length}]; got ${l}`);
    }
  }
  return full.every((l) => l === length) ? undefined : full;
}

/** Zeroes, in place, the positions t ≥ lengths[b] of a [batch, length, features] array. */
export function maskPadding(x: RealArray, dims: SequenceDims, lengths: readonly number[]): void {
  const { batch, length, features } = dims;
  for (let b = 0; b < batch; b++) {
    x.fill(0, (b * length + lengths[b]) * features, (b + 1) * length * features);
  }
}
