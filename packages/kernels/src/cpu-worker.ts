import { parentPort } from 'node:worker_threads';
import type { BackendOpName } from './backend-layout';
import { CPU_OPS } from './cpu-ops';

// A worker thread of the CPU backend: runs one operation on the features it was handed.

interface Task {
  id: number;
  op: BackendOpName;
  input: unknown;
}

type Output = Record<string, { data: Float64Array | Float32Array } | undefined>;

parentPort?.on('message', ({ id, op, input }: Task) => {
  try {
    const output = (CPU_OPS[op] as (i: unknown) => Output)(input);
    const buffers = Object.values(output).flatMap((t) => (t ? [t.data.buffer as ArrayBuffer] : []));
    parentPort?.postMessage({ id, output }, buffers);
  } catch (error) {
    parentPort?.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
