// Threads of the CPU backend share one operation's features by claiming small ranges from a counter
// in shared memory until none are left: a thread slowed down (by other processes on a busy machine)
// then simply claims fewer, where fixed halves would leave the other thread idle.

/** A new counter of claimed features, shared by the threads of one call. */
export function claimCounter(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
}

/**
 * Runs `body` on ranges of `chunk` features claimed from `counter` until all `features` are taken.
 * Each feature is claimed by exactly one thread.
 */
export function runClaimed(
  counter: Int32Array,
  features: number,
  chunk: number,
  body: (start: number, end: number) => void,
): void {
  for (let start = Atomics.add(counter, 0, chunk); start < features; start = Atomics.add(counter, 0, chunk)) {
    body(start, Math.min(start + chunk, features));
  }
}

/** Ranges small enough to balance `threads` threads, large enough to keep claims rare. */
export function claimChunk(features: number, threads: number): number {
  return Math.max(1, Math.ceil(features / (8 * threads)));
}
