import type { DType, RealArray } from '@statespace/complex';

// Memory that the CPU backend's worker threads read and write in place. Copying work into and out
// of workers through fresh arrays costs more than a second core gains where first touching memory
// is slow (about 12 µs per 4 KB page on the development VM), so inputs are staged in
// SharedArrayBuffers kept for the next call, and outputs are written where the caller gets them.

/** SharedArrayBuffers reused across calls; a buffer serves one call at a time. */
export class SharedArena {
  private free: SharedArrayBuffer[] = [];

  /** A buffer of at least `bytes` bytes, not handed to anyone else until {@link release}d. */
  acquire(bytes: number): SharedArrayBuffer {
    // The smallest free buffer that fits, so that small inputs do not take the large buffers.
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const size = this.free[i].byteLength;
      if (size >= bytes && (best < 0 || size < this.free[best].byteLength)) best = i;
    }
    if (best < 0) return new SharedArrayBuffer(bytes);
    return this.free.splice(best, 1)[0];
  }

  /** Gives buffers back for later calls. */
  release(buffers: readonly SharedArrayBuffer[]): void {
    this.free.push(...buffers);
  }

  /** Drops every kept buffer. */
  clear(): void {
    this.free = [];
  }
}

/** Whether `data` already lives in shared memory (a worker can then read it without a copy). */
export function isShared(data: RealArray): boolean {
  return data.buffer instanceof SharedArrayBuffer;
}

/**
 * `data` in shared memory of precision `dtype`: as is when it already is, else converted into a
 * buffer of `arena`, which is appended to `held` for the caller to release.
 */
export function stageShared(
  arena: SharedArena,
  data: RealArray,
  dtype: DType,
  held: SharedArrayBuffer[],
): RealArray {
  if (isShared(data) && data.BYTES_PER_ELEMENT === bytesPer(dtype)) return data;
  const buffer = arena.acquire(data.length * bytesPer(dtype));
  held.push(buffer);
  const view = viewOf(dtype, buffer, data.length);
  // `set` rounds float64 to float32 as `Float32Array.from` does.
  view.set(data);
  return view;
}

/** Bytes per number of precision `dtype`. */
export function bytesPer(dtype: DType): number {
  return dtype === 'float64' ? Float64Array.BYTES_PER_ELEMENT : Float32Array.BYTES_PER_ELEMENT;
}

/** The first `length` numbers of `buffer` as an array of precision `dtype`. */
export function viewOf(dtype: DType, buffer: SharedArrayBuffer, length: number): RealArray {
  return dtype === 'float64' ? new Float64Array(buffer, 0, length) : new Float32Array(buffer, 0, length);
}
