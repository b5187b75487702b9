/** A float32 copy of `data` (or `data` itself when it already is one): gpu.js computes in float32. */
export function float32(data: ArrayLike<number>): Float32Array {
  return data instanceof Float32Array ? data : Float32Array.from(data);
}
