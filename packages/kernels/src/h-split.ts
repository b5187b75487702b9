import { type ComplexTensor, type RealArray, sizeOf, type Tensor } from '@statespace/complex';

// Every heavy operation is independent across the H features, so work is split into ranges of
// features: each input tensor is cut along its feature axis and the outputs are joined along theirs.

/** A tensor and which axis holds the H features (`undefined`: shared whole by every range). */
export interface AxisTensor {
  tensor: Tensor | ComplexTensor;
  /** Interleaved complex (two numbers per element). */
  complex: boolean;
  axis: number | undefined;
}

/** Entries [start, end) of `axis` of a tensor, as a new contiguous tensor. */
export function sliceAxis(
  { tensor, complex, axis }: AxisTensor,
  start: number,
  end: number,
): Tensor | ComplexTensor {
  if (axis === undefined) return tensor;
  const { outer, inner } = axisStrides(tensor.shape, axis, complex);
  const size = tensor.shape[axis];
  const data = tensor.data;
  const out = (
    data instanceof Float64Array
      ? new Float64Array(outer * (end - start) * inner)
      : new Float32Array(outer * (end - start) * inner)
  ) as RealArray;
  for (let o = 0; o < outer; o++) {
    out.set(data.subarray((o * size + start) * inner, (o * size + end) * inner), o * (end - start) * inner);
  }
  const shape = [...tensor.shape];
  shape[axis] = end - start;
  return { data: out, shape };
}

/** Joins tensors along `axis` (the inverse of slicing into consecutive ranges). */
export function concatAxis<T extends Tensor | ComplexTensor>(parts: T[], axis: number, complex: boolean): T {
  if (parts.length === 1) return parts[0];
  const first = parts[0];
  const total = parts.reduce((s, p) => s + p.shape[axis], 0);
  const shape = [...first.shape];
  shape[axis] = total;
  const { outer, inner } = axisStrides(shape, axis, complex);
  const out = (
    first.data instanceof Float64Array
      ? new Float64Array(sizeOf(shape) * (complex ? 2 : 1))
      : new Float32Array(sizeOf(shape) * (complex ? 2 : 1))
  ) as RealArray;
  let offset = 0;
  for (const part of parts) {
    const size = part.shape[axis];
    for (let o = 0; o < outer; o++) {
      out.set(part.data.subarray(o * size * inner, (o + 1) * size * inner), (o * total + offset) * inner);
    }
    offset += size;
  }
  return { data: out, shape } as unknown as T;
}

/**
 * Writes `part`, the entries [start, start + part's size) of `axis` of a real tensor whose `axis`
 * has `size` entries, into their places in `target` (the inverse of {@link sliceAxis} for one part).
 */
export function placeAxis(part: Tensor, target: RealArray, axis: number, start: number, size: number): void {
  const { outer, inner } = axisStrides(part.shape, axis, false);
  const count = part.shape[axis];
  for (let o = 0; o < outer; o++) {
    target.set(part.data.subarray(o * count * inner, (o + 1) * count * inner), (o * size + start) * inner);
  }
}

/** Splits [0, H) into at most `parts` nearly equal non-empty ranges. */
export function featureRanges(H: number, parts: number): [number, number][] {
  const count = Math.max(1, Math.min(parts, H));
  return Array.from({ length: count }, (_, i) => [
    Math.floor((i * H) / count),
    Math.floor(((i + 1) * H) / count),
  ]);
}

function axisStrides(shape: readonly number[], axis: number, complex: boolean) {
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1) * (complex ? 2 : 1);
  return { outer, inner };
}
