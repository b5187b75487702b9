import { parentPort } from 'node:worker_threads';
import { CPU_OPS, type CpuOpName } from './cpu-ops';

// A worker thread of the CPU backend: runs one operation on the features it was handed.

interface Task {
  id: number;
  op: CpuOpName;
  input: unknown;
}

parentPort?.on('message', ({ id, op, input }: Task) => {
  try {
    const output = (CPU_OPS[op].run as (i: unknown) => Record<string, { data: Float64Array | Float32Array }>)(
      input,
    );
    const buffers = Object.values(output)
      .filter((t) => t !== undefined)
      .map((t) => t.data.buffer as ArrayBuffer);
    parentPort?.postMessage({ id, output }, buffers);
  } catch (error) {
    parentPort?.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
