import type { RealArray } from '@statespace/complex';
import { addProductRows, PRODUCT_KERNEL, type StridedMatrix } from './matmul-kernel';

// Long matrix products on every core (Node.js): the rows of the result are split between the
// calling thread and worker threads, which read copies of the operands in shared memory and write
// their rows there. The calling thread then waits for them (Atomics.wait), so that a product stays
// a synchronous call, as the tape's pullbacks are. Each entry is computed by one thread with the
// same code, so the result does not depend on the split. The workers start on the first long
// product and take part once they are up (until then, in worker threads, and where worker threads
// do not exist, as in browsers, the calling thread computes every row).

/** Products of at least this many multiply-adds are split: below, the copies cost more than they gain. */
export const PARALLEL_WORK = 1 << 22;

/** How long the calling thread waits for a worker before it gives up. */
const WORKER_TIMEOUT_MS = 60_000;

// Slots of a worker's control array: jobs posted, jobs done (−1 after a failure), ready flag.
const POSTED = 0;
const DONE = 1;
const READY = 2;

type WorkerThreads = typeof import('node:worker_threads');

interface Helper {
  readonly control: Int32Array;
  readonly port: import('node:worker_threads').MessagePort;
}

/** A share of a product for one worker: rows [0, rows) of c += a·b, all in shared memory. */
interface Job {
  readonly c: RealArray;
  readonly n: number;
  readonly depth: number;
  readonly a: StridedMatrix;
  readonly b: StridedMatrix;
  readonly rows: number;
}

let helpers: Helper[] | undefined;
let threads: WorkerThreads | undefined;
/** Shared buffers for the operands and the workers' rows, kept for the next product. */
const staging = new Map<'a' | 'b' | 'c', SharedArrayBuffer>();

/**
 * c += a·b for a [m, depth], b [depth, n] and c a row-major [m, n] array, its rows split over the
 * worker threads that are up. Returns false, having done nothing, when none is (yet).
 * @throws Error when a worker fails or does not answer within a minute.
 */
export function addProductOnThreads(
  c: RealArray,
  m: number,
  n: number,
  depth: number,
  a: StridedMatrix,
  b: StridedMatrix,
): boolean {
  const ready = readyHelpers();
  if (ready.length === 0 || !isRealArray(a.data) || !isRealArray(b.data)) return false;
  // Shares of whole 4-row blocks; the calling thread takes the first.
  const share = Math.ceil(m / (ready.length + 1) / 4) * 4;
  if (share >= m) return false;
  const sharedA = { ...a, data: staged('a', a.data, a.data.length) };
  const sharedB = { ...b, data: staged('b', b.data, b.data.length) };
  const sharedC = staged('c', c.subarray(share * n, m * n), (m - share) * n);
  const posted: Helper[] = [];
  for (const [k, helper] of ready.entries()) {
    const first = (k + 1) * share;
    const last = Math.min(m, first + share);
    if (first >= last) break;
    const job: Job = {
      c: sharedC.subarray((first - share) * n, (last - share) * n),
      n,
      depth,
      a: { ...sharedA, offset: a.offset + first * a.rowStride },
      b: sharedB,
      rows: last - first,
    };
    helper.port.postMessage(job);
    Atomics.add(helper.control, POSTED, 1);
    Atomics.notify(helper.control, POSTED);
    posted.push(helper);
  }
  addProductRows(c, n, depth, a, b, 0, share);
  for (const helper of posted) awaitHelper(helper);
  c.set(sharedC, share * n);
  return true;
}

/** The threads that compute long products now: the calling one and the workers that are up. */
export function productThreads(): number {
  return 1 + (helpers ?? []).filter((h) => Atomics.load(h.control, READY) === 1).length;
}

/** The workers that are up, after starting them on the first call (Node.js only). */
function readyHelpers(): Helper[] {
  if (helpers === undefined) helpers = startHelpers();
  return helpers.filter((h) => Atomics.load(h.control, READY) === 1);
}

function startHelpers(): Helper[] {
  const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  threads = process?.getBuiltinModule?.('node:worker_threads') as WorkerThreads | undefined;
  const os = process?.getBuiltinModule?.('node:os') as typeof import('node:os') | undefined;
  // Only the main thread splits products: a worker thread (e.g. a data-parallel training replica)
  // is already one of several sharing the cores.
  if (threads === undefined || os === undefined || !threads.isMainThread) return [];
  const { MessageChannel, Worker } = threads;
  // The worker runs the kernel from its source text: no worker file to resolve, from the
  // TypeScript sources, the built package or a bundle alike.
  // The entry goes in as an expression, so that its name (which a bundler may change) does not matter.
  const [entry, ...callees] = PRODUCT_KERNEL;
  const source = `const { workerData, receiveMessageOnPort } = require('node:worker_threads');
${callees.join('\n')}
(${serveProducts})(workerData.control, workerData.port, receiveMessageOnPort, ${entry});`;
  return Array.from({ length: os.availableParallelism() - 1 }, () => {
    const control = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(source, {
      eval: true,
      workerData: { control, port: port2 },
      transferList: [port2],
    });
    // A worker waits for products forever; it must not keep the process alive.
    worker.unref();
    port1.unref();
    // A worker that cannot start or dies takes no more shares.
    worker.on('error', () => Atomics.store(control, READY, 0));
    worker.on('exit', () => Atomics.store(control, READY, 0));
    return { control, port: port1 };
  });
}

/** Waits until the helper has done every job posted to it. */
function awaitHelper({ control, port }: Helper): void {
  const posted = Atomics.load(control, POSTED);
  const deadline = performance.now() + WORKER_TIMEOUT_MS;
  for (;;) {
    const done = Atomics.load(control, DONE);
    if (done === posted) return;
    if (done < 0) {
      const message = threads?.receiveMessageOnPort(port)?.message;
      throw new Error(`a matrix product worker failed: ${String(message)}`);
    }
    if (performance.now() > deadline)
      throw new Error('a matrix product worker did not answer within a minute');
    Atomics.wait(control, DONE, done, 100);
  }
}

/** `data` copied into the shared buffer of `role` (grown when too small), as `length` values of its type. */
function staged(role: 'a' | 'b' | 'c', data: RealArray, length: number): RealArray {
  const bytes = length * data.BYTES_PER_ELEMENT;
  let buffer = staging.get(role);
  if (buffer === undefined || buffer.byteLength < bytes) {
    buffer = new SharedArrayBuffer(bytes);
    staging.set(role, buffer);
  }
  const view =
    data instanceof Float64Array ? new Float64Array(buffer, 0, length) : new Float32Array(buffer, 0, length);
  view.set(data);
  return view;
}

function isRealArray(data: ArrayLike<number>): data is RealArray {
  return data instanceof Float64Array || data instanceof Float32Array;
}

/**
 * A worker's loop, run from its source text (it uses nothing but its arguments): marks itself
 * ready, then waits for jobs, computes each and counts it done (−1 and a message on failure).
 */
function serveProducts(
  control: Int32Array,
  port: import('node:worker_threads').MessagePort,
  receive: WorkerThreads['receiveMessageOnPort'],
  addRows: typeof addProductRows,
): void {
  Atomics.store(control, 2, 1);
  let done = 0;
  for (;;) {
    Atomics.wait(control, 0, done);
    while (done < Atomics.load(control, 0)) {
      try {
        const job = receive(port)?.message as Job;
        addRows(job.c, job.n, job.depth, job.a, job.b, 0, job.rows);
        done++;
        Atomics.store(control, 1, done);
      } catch (error) {
        port.postMessage(String(error));
        Atomics.store(control, 1, -1);
        Atomics.store(control, 2, 0);
      }
      Atomics.notify(control, 1);
      if (Atomics.load(control, 1) < 0) return;
    }
  }
}
