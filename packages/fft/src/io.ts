import type { RealArray } from '@statespace/complex';

// Moves data between the caller's arrays (float64 or float32) and the float64 work buffers of the
// kernels. Every loop that sees both precisions is here; the kernels see Float64Array alone.

/**
 * Copies `count` values from `src[srcOffset…]` to `dst[dstOffset…]`, converting the precision.
 * The engine's `set` converts several times faster than a loop; a view is made only for a part.
 */
export function copyInto(
  src: RealArray,
  srcOffset: number,
  dst: RealArray,
  dstOffset: number,
  count: number,
): void {
  dst.set(
    srcOffset === 0 && count === src.length ? src : src.subarray(srcOffset, srcOffset + count),
    dstOffset,
  );
}

/** a[offset + i] *= factor for i < count. */
export function scaleInPlace(a: Float64Array, offset: number, count: number, factor: number): void {
  for (let i = offset; i < offset + count; i++) a[i] *= factor;
}

/** Writes n reals as complex values with zero imaginary parts: dst[2j] = src[srcOffset + j]. */
export function realToComplex(src: RealArray, srcOffset: number, dst: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) {
    dst[2 * j] = src[srcOffset + j];
    dst[2 * j + 1] = 0;
  }
}

/** dst[dstOffset + j] = scale · Re src_j for j < n. */
export function complexToReal(
  src: Float64Array,
  dst: RealArray,
  dstOffset: number,
  n: number,
  scale: number,
): void {
  for (let j = 0; j < n; j++) dst[dstOffset + j] = scale * src[2 * j];
}
