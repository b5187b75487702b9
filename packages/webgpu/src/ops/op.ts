import type { GpuContext } from '../gpu-context';

/**
 * One backend operation on the GPU. Inputs arrive as float32 host tensors (already cast); `run`
 * uploads them, records its kernels, reads the outputs back and releases its buffers.
 * `largestBuffer` is the size in bytes of the biggest storage buffer `run` would bind for this
 * input; the backend splits the problem along the features when it exceeds the device's limit.
 */
export interface GpuOp<I, O> {
  run(ctx: GpuContext, input: I): Promise<O>;
  largestBuffer(input: I): number;
}
