// Reusable float64 work arrays for the kernel computations. Fresh large arrays are costly where
// first touching memory is slow (about 12 µs per 4 KB page on the development VM: ~40 % of an S4
// kernel evaluation went to it), so intermediates that never leave a function are taken from here
// and kept for the next call, as a caching allocator would. Only synchronous code uses them, and
// one slot serves one purpose at a time.

const slots = new Map<string, Float64Array>();

/** A float64 work array of exactly `length` numbers for `slot`, reused across calls (contents undefined). */
export function scratch(slot: string, length: number): Float64Array {
  let buffer = slots.get(slot);
  if (!buffer || buffer.length < length) {
    buffer = new Float64Array(length);
    slots.set(slot, buffer);
  }
  return buffer.length === length ? buffer : buffer.subarray(0, length);
}

/** Frees every cached work array (they are re-created on demand). */
export function releaseScratch(): void {
  slots.clear();
}
