import type { GpuJsRuntime } from '../runtime';

/**
 * One backend operation on gpu.js. `run` validates its host input (float32 already), runs its
 * kernels and reads the result back. `largestArray` is the number of values in the biggest array
 * any of its kernels reads or writes for this input; the backend splits the problem along the H
 * features when it exceeds the runtime's `maxElements`.
 */
export interface GpuJsOp<I, O> {
  run(rt: GpuJsRuntime, input: I): Promise<O>;
  largestArray(input: I): number;
}
