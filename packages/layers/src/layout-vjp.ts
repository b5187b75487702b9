import type { RealArray } from '@statespace/complex';
import { maskPadding, type SequenceDims, swapAxes } from './layout';
import type { Tape } from './tape';

// The layout operations on a tape. Both are linear and their own kind of transpose: the VJP of
// swapping axes a and b is swapping them back, and that of zeroing padded positions is zeroing
// the same positions of the gradient.

/** `swapAxes(x, outer, a, b, inner)`, recorded on `tape` when one is given. */
export function swapAxesRecorded(
  x: RealArray,
  outer: number,
  a: number,
  b: number,
  inner: number,
  tape?: Tape,
): RealArray {
  const y = swapAxes(x, outer, a, b, inner);
  tape?.record('swapAxes', [x], y, (g) => [swapAxes(g, outer, b, a, inner)]);
  return y;
}

/**
 * x with the positions t ≥ lengths[b] zeroed (see `maskPadding`): in place without a tape, into
 * a recorded copy with one.
 */
export function maskPaddingRecorded(
  x: RealArray,
  dims: SequenceDims,
  lengths: readonly number[],
  tape?: Tape,
): RealArray {
  if (tape === undefined) {
    maskPadding(x, dims, lengths);
    return x;
  }
  const y = x.slice();
  maskPadding(y, dims, lengths);
  tape.record('maskPadding', [x], y, (g) => {
    const gx = g.slice();
    maskPadding(gx, dims, lengths);
    return [gx];
  });
  return y;
}
