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
  /** While timing: the query set that every compute pass writes its start and end into. */
  private timing: { querySet: GPUQuerySet; passes: number } | undefined;

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
    // Pool-friendly power-of-two sizes, but never past what one binding may hold.
    const size = bucket(bytes) > this.maxBindingBytes ? align4(bytes) : bucket(bytes);
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
    this.commandEncoder().clearBuffer(array.buffer, 0, array.buffer.size);
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
      // From the pool: a uniform buffer is rewritten only after the work that read it was submitted.
      const size = bucket(uniforms.byteLength, 16);
      const buffer =
        this.freeUniforms.get(size)?.pop() ?? this.device.createBuffer({ size, usage: UNIFORM | COPY_DST });
      this.device.queue.writeBuffer(buffer, 0, uniforms);
      entries.push({ binding: arrays.length, resource: { buffer } });
      this.pendingUniforms.push(buffer);
    }
    const bindGroup = this.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
    const timing = this.timing;
    if (timing && 2 * timing.passes + 2 > MAX_TIMED_QUERIES) {
      throw new RangeError(`timed work records more than ${MAX_TIMED_QUERIES / 2} compute passes`);
    }
    const pass = this.commandEncoder().beginComputePass(
      timing && {
        timestampWrites: {
          querySet: timing.querySet,
          beginningOfPassWriteIndex: 2 * timing.passes,
          endOfPassWriteIndex: 2 * timing.passes++ + 1,
        },
      },
    );
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

  /**
   * Submits what was recorded and reads `array` back as f32.
   * @throws the first WebGPU error the recorded work raised (see `WebGpuDevice.takeError`): a
   *   failed dispatch never passes silently as zeros.
   */
  async read(array: GpuArray): Promise<Float32Array> {
    const size = align4(array.bytes);
    const staging =
      this.staging.pop() ?? this.device.createBuffer({ size: STAGING_BYTES, usage: MAP_READ | COPY_DST });
    const out = new Float32Array(array.bytes / 4);
    try {
      // Through a reused staging buffer, in slices of its size.
      for (let offset = 0; offset < size; offset += STAGING_BYTES) {
        const bytes = Math.min(STAGING_BYTES, size - offset);
        this.commandEncoder().copyBufferToBuffer(array.buffer, offset, staging, 0, bytes);
        this.submit();
        await staging.mapAsync(0x0001 /* GPUMapMode.READ */, 0, bytes);
        out.set(new Float32Array(staging.getMappedRange(0, bytes)), offset / 4);
        staging.unmap();
      }
    } finally {
      this.staging.push(staging);
    }
    this.gpu.assertAlive();
    this.gpu.throwIfError();
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
    returnToPool(this.free, this.pendingRelease.splice(0));
    returnToPool(this.freeUniforms, this.pendingUniforms.splice(0));
  }

  /**
   * Runs `record` (which records kernels) and measures, with GPU timestamps, the time from the start
   * of its first compute pass to the end of its last: kernel time alone, without host work, uploads
   * or readback. Needs the `timestamp-query` feature.
   */
  async gpuTime(record: () => void): Promise<number> {
    return (await this.gpuProfile(record)).total;
  }

  /**
   * As {@link gpuTime}, with the duration of each compute pass `record` recorded, in order (ms):
   * where the time of a chain of kernels goes.
   */
  async gpuProfile(record: () => void): Promise<{ total: number; passes: number[] }> {
    if (!this.gpu.features.timestampQuery) throw new Error('this device has no timestamp-query feature');
    this.submit();
    const querySet = this.device.createQuerySet({ type: 'timestamp', count: MAX_TIMED_QUERIES });
    const timing = { querySet, passes: 0 };
    this.timing = timing;
    try {
      record();
    } finally {
      this.timing = undefined;
    }
    const stamps = await this.readTimestamps(querySet, 2 * timing.passes);
    let first = stamps[0];
    let last = stamps[0];
    for (const stamp of stamps) {
      if (stamp < first) first = stamp;
      if (stamp > last) last = stamp;
    }
    const ms = (ns: bigint) => Number(ns) / 1e6;
    const passes = Array.from({ length: timing.passes }, (_, i) => ms(stamps[2 * i + 1] - stamps[2 * i]));
    return { total: ms(last - first), passes };
  }

  private async readTimestamps(querySet: GPUQuerySet, count: number): Promise<BigUint64Array> {
    const bytes = 8 * MAX_TIMED_QUERIES;
    const resolved = this.device.createBuffer({ size: bytes, usage: 0x0200 /* QUERY_RESOLVE */ | COPY_SRC });
    const staging = this.device.createBuffer({ size: bytes, usage: MAP_READ | COPY_DST });
    const encoder = this.commandEncoder();
    encoder.resolveQuerySet(querySet, 0, count, resolved, 0);
    encoder.copyBufferToBuffer(resolved, 0, staging, 0, bytes);
    this.submit();
    await staging.mapAsync(0x0001);
    const stamps = new BigUint64Array(staging.getMappedRange().slice(0), 0, count);
    staging.unmap();
    for (const b of [resolved, staging]) b.destroy();
    querySet.destroy();
    return stamps;
  }

  /** Frees every pooled buffer (the device stays). */
  dispose(): void {
    this.submit();
    for (const pool of [this.free, this.freeUniforms]) {
      for (const list of pool.values()) for (const b of list) b.destroy();
      pool.clear();
    }
    for (const b of this.staging.splice(0)) b.destroy();
    this.pipelines.clear();
  }

  private readonly freeUniforms = new Map<number, GPUBuffer[]>();
  private readonly pendingUniforms: GPUBuffer[] = [];
  private readonly staging: GPUBuffer[] = [];

  private commandEncoder(): GPUCommandEncoder {
    this.encoder ??= this.device.createCommandEncoder();
    return this.encoder;
  }
}

/** Makes buffers available again, by size. */
function returnToPool(pool: Map<number, GPUBuffer[]>, buffers: GPUBuffer[]): void {
  for (const buffer of buffers) {
    const list = pool.get(buffer.size) ?? [];
    list.push(buffer);
    pool.set(buffer.size, list);
  }
}

/** Readbacks go through reused staging buffers of this size (larger results in slices). */
const STAGING_BYTES = 16 << 20;

function align4(bytes: number): number {
  return Math.max(4, Math.ceil(bytes / 4) * 4);
}

/** Timestamp slots of one timed recording: two per compute pass. */
const MAX_TIMED_QUERIES = 4096;

/** Buffer sizes are rounded up to powers of two (≥ 256 bytes) so the pool can reuse them. */
function bucket(bytes: number, minimum = 256): number {
  let size = minimum;
  while (size < bytes) size *= 2;
  return size;
}
