import { parentPort } from 'node:worker_threads';
import type { BackendOpName } from './backend-layout';
import { CPU_OPS } from './cpu-ops';
import { CPU_SHARED_OPS, runSharedTask, type SharedTask } from './cpu-shared-ops';
import { prefaultSlice } from './output-reserve';

// A worker thread of the CPU backend: runs one operation on the features it was handed, or takes
// part in a shared operation (its output is then written in shared memory: nothing is sent back),
// or faults in the pages of a spare output while it would otherwise idle.

interface Task {
  id: number;
  op: BackendOpName;
  input: unknown;
  shared?: SharedTask;
  prefault?: { buffer: SharedArrayBuffer; stop: Int32Array };
}

type Output = Record<string, { data: Float64Array | Float32Array } | undefined>;

parentPort?.on('message', ({ id, op, input, shared, prefault: spare }: Task) => {
  try {
    if (spare) {
      prefault(id, spare.buffer, spare.stop, 0);
      return;
    }
    const sharedOp = CPU_SHARED_OPS[op];
    if (shared && sharedOp) {
      runSharedTask(sharedOp, input as never, shared);
      parentPort?.postMessage({ id });
      return;
    }
    const output = (CPU_OPS[op] as (i: unknown) => Output)(input);
    const buffers = Object.values(output).flatMap((t) => (t ? [t.data.buffer as ArrayBuffer] : []));
    parentPort?.postMessage({ id, output }, buffers);
  } catch (error) {
    parentPort?.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});

/** Faults in a spare output slice by slice; tasks that arrive in between run first (setImmediate). */
function prefault(id: number, buffer: SharedArrayBuffer, stop: Int32Array, start: number): void {
  const next = prefaultSlice(buffer, stop, start);
  if (next < 0) parentPort?.postMessage({ id });
  else setImmediate(() => prefault(id, buffer, stop, next));
}
