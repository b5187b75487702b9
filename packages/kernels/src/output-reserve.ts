// The output of a threaded convolution is fresh memory that the caller keeps, and first touching
// fresh memory is slow (about 12 µs per 4 KB page on the development VM: 100 ms for the 32 MB of an
// FFTConv layer's output). A worker thread is idle between operations, e.g. while the calling
// thread applies the layer's activation, so it faults in the pages of the next output ahead of time,
// in short slices between which any other task it is given runs first.

/** The pages of one spare output buffer, faulted in ahead of the call that will return it. */
export class OutputReserve {
  private spare: SharedArrayBuffer | undefined;
  private stop: Int32Array | undefined;
  private filling: Promise<unknown> = Promise.resolve();

  /**
   * A new buffer of exactly `bytes` bytes: the spare when it has that size. The worker filling it
   * is stopped and has let go of it when this resolves, so the caller may write it at once.
   */
  async take(bytes: number): Promise<SharedArrayBuffer> {
    const spare = this.spare;
    this.spare = undefined;
    this.halt();
    await this.filling;
    return spare?.byteLength === bytes ? spare : new SharedArrayBuffer(bytes);
  }

  /** Makes a spare of `bytes` bytes and has `fill` fault it in (see {@link prefaultSlice}). */
  refill(bytes: number, fill: (buffer: SharedArrayBuffer, stop: Int32Array) => Promise<unknown>): void {
    // A spare being filled for a concurrent call is replaced: its filling is not worth waiting for.
    this.halt();
    this.spare = new SharedArrayBuffer(bytes);
    this.stop = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    // A failed fill only costs the time it was to save.
    this.filling = fill(this.spare, this.stop).catch(() => undefined);
  }

  /** Stops filling the spare; the spare is kept. */
  private halt(): void {
    if (this.stop) Atomics.store(this.stop, 0, 1);
    this.stop = undefined;
  }

  /** Drops the spare. */
  clear(): void {
    this.spare = undefined;
    this.halt();
  }
}

const PAGE = 4096;
/** Pages faulted in one slice (about 2 ms): a task that arrives meanwhile waits no longer. */
const PAGES_PER_SLICE = 128;

/**
 * Writes one zero per page of the fresh (zero-filled) `buffer` for one slice of pages from byte
 * `start`, faulting them in, unless `stop` is set. Returns where the next slice starts, or −1 when
 * the buffer is done or filling was stopped.
 */
export function prefaultSlice(buffer: SharedArrayBuffer, stop: Int32Array, start: number): number {
  if (Atomics.load(stop, 0) !== 0) return -1;
  const bytes = new Uint8Array(buffer);
  const end = Math.min(bytes.length, start + PAGE * PAGES_PER_SLICE);
  for (let i = start; i < end; i += PAGE) bytes[i] = 0;
  return end < bytes.length ? end : -1;
}
