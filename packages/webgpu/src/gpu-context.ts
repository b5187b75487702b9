import type { WebGpuDevice } from './device';

// What every WGSL kernel of this package needs: pipelines compiled once per shader, buffers taken
// from a pool, dispatches recorded into one command encoder (so a chain of kernels runs on the GPU
// without round trips), and reading results back.
//
// Shader conventions: storage buffers are bound at @group(0) @binding(0…k−1) in the order given
// to `dispatch`; an optional uniform block comes last, at @binding(k). Complex values are
// `vec2<f32>` (the interleaved layout of the host arrays).

/** A storage buffer and the number of bytes of it in use. */
export interface GpuArray {
  readonly buffer: GPUBuffer;
  readonly bytes: number;
}

const STORAGE = 0x0080; // GPUBufferUsage.STORAGE
const COPY_SRC = 0x0004;
const COPY_DST = 0x0008;
const UNIFORM = 0x0040;
const MAP_READ = 0x0001;

export class GpuContext {
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private readonly free = new Map<number, GPUBuffer[]>();
  private encoder: GPUCommandEncoder | undefined;
  /** Buffers to return to the pool once the recorded work has been submitted and completed. */
  private pendingRelease: GPUBuffer[] = [];

  constructor(readonly gpu: WebGpuDevice) {}

  get device(): GPUDevice {
    return this.gpu.device;
  }

  /** The largest storage buffer one binding may hold, in bytes. */
  get maxBindingBytes(): number {
    return Math.min(this.gpu.limits.maxStorageBufferBindingSize, this.gpu.limits.maxBufferSize);
  }

  /**
   * Workgroup counts [x, y] that cover `count` workgroups within the per-dimension limit. Shaders
   * recover the linear index as `wid.x + wid.y * nwg.x` (workgroup_id, num_workgroups) and return
   * when it is ≥ `count` (at most x − 1 spare workgroups).
   */
  grid(count: number): [number, number] {
    const x = Math.max(1, Math.min(count, this.gpu.limits.maxComputeWorkgroupsPerDimension));
    return [x, Math.ceil(count / x)];
  }

  /** A compute pipeline for `code`, compiled once per `key` (the key must identify the code). */
  pipeline(key: string, code: () => string, entryPoint = 'main'): GPUComputePipeline {
    let pipeline = this.pipelines.get(key);
    if (!pipeline) {
      const module = this.device.createShaderModule({ label: key, code: code() });
      pipeline = this.device.createComputePipeline({
        label: key,
        layout: 'auto',
        compute: { module, entryPoint },
      });
      this.pipelines.set(key, pipeline);
    }
    return pipeline;
  }

  /** A storage buffer of at least `bytes` from the pool (contents undefined). */
  allocate(bytes: number): GpuArray {
    this.gpu.assertAlive();
    const size = bucket(bytes);
    const buffer =
      this.free.get(size)?.pop() ?? this.device.createBuffer({ size, usage: STORAGE | COPY_SRC | COPY_DST });
    return { buffer, bytes };
  }

  /** Uploads host data (f32 or u32; f64 is rounded to f32) into a pooled storage buffer. */
  upload(host: Float32Array | Uint32Array | Float64Array): GpuArray {
    const data = host instanceof Float64Array ? Float32Array.from(host) : host;
    const array = this.allocate(Math.max(4, data.byteLength));
    this.device.queue.writeBuffer(array.buffer, 0, data.buffer, data.byteOffset, data.byteLength);
    return array;
  }

  /** Uploads zeros. */
  zeros(bytes: number): GpuArray {
    const array = this.allocate(bytes);
    this.commandEncoder().clearBuffer(array.buffer, 0, bucket(bytes));
    return array;
  }

  /**
   * Records one compute dispatch. `uniforms` (u32/f32 words, packed as the shader's uniform struct)
   * is bound after the storage buffers.
   */
  dispatch(
    pipeline: GPUComputePipeline,
    arrays: readonly GpuArray[],
    workgroups: readonly [number, number?, number?],
    uniforms?: ArrayBuffer,
  ): void {
    this.gpu.assertAlive();
    const entries: GPUBindGroupEntry[] = arrays.map((a, i) => ({
      binding: i,
      resource: { buffer: a.buffer },
    }));
    if (uniforms) {
      const buffer = this.device.createBuffer({
        size: bucket(uniforms.byteLength, 16),
        usage: UNIFORM | COPY_DST,
      });
      this.device.queue.writeBuffer(buffer, 0, uniforms);
      entries.push({ binding: arrays.length, resource: { buffer } });
      this.pendingDestroy.push(buffer);
    }
    const bindGroup = this.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
    const pass = this.commandEncoder().beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    const [x, y = 1, z = 1] = workgroups;
    const max = this.gpu.limits.maxComputeWorkgroupsPerDimension;
    if (x > max || y > max || z > max) {
      throw new RangeError(
        `dispatch of [${x}, ${y}, ${z}] workgroups exceeds the device limit ${max} per dimension`,
      );
    }
    pass.dispatchWorkgroups(x, y, z);
    pass.end();
  }

  /** Copies `bytes` of a buffer into another (recorded, like dispatches). */
  copy(from: GpuArray, to: GpuArray, bytes = from.bytes, fromOffset = 0, toOffset = 0): void {
    this.commandEncoder().copyBufferToBuffer(from.buffer, fromOffset, to.buffer, toOffset, bytes);
  }

  /** Submits what was recorded and reads `array` back as f32. */
  async read(array: GpuArray): Promise<Float32Array> {
    const staging = this.device.createBuffer({ size: bucket(array.bytes), usage: MAP_READ | COPY_DST });
    this.commandEncoder().copyBufferToBuffer(array.buffer, 0, staging, 0, bucket(array.bytes));
    this.submit();
    await staging.mapAsync(0x0001 /* GPUMapMode.READ */);
    this.gpu.assertAlive();
    const out = new Float32Array(staging.getMappedRange(0, array.bytes).slice(0));
    staging.unmap();
    staging.destroy();
    return out;
  }

  /** Returns buffers to the pool once the work recorded so far has been submitted. */
  release(...arrays: GpuArray[]): void {
    for (const a of arrays) this.pendingRelease.push(a.buffer);
  }

  /** Submits the recorded work. Released buffers become reusable for work recorded after it. */
  submit(): void {
    if (this.encoder) this.device.queue.submit([this.encoder.finish()]);
    this.encoder = undefined;
    for (const buffer of this.pendingRelease) {
      const list = this.free.get(buffer.size) ?? [];
      list.push(buffer);
      this.free.set(buffer.size, list);
    }
    this.pendingRelease = [];
    for (const buffer of this.pendingDestroy) buffer.destroy();
    this.pendingDestroy = [];
  }

  /** Frees every pooled buffer (the device stays). */
  dispose(): void {
    this.submit();
    for (const list of this.free.values()) for (const b of list) b.destroy();
    this.free.clear();
    this.pipelines.clear();
  }

  private pendingDestroy: GPUBuffer[] = [];

  private commandEncoder(): GPUCommandEncoder {
    this.encoder ??= this.device.createCommandEncoder();
    return this.encoder;
  }
}

/** Buffer sizes are rounded up to powers of two (≥ 256 bytes) so the pool can reuse them. */
function bucket(bytes: number, minimum = 256): number {
  let size = minimum;
  while (size < bytes) size *= 2;
  return size;
}
