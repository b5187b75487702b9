/** Raised when no WebGPU adapter can be had; GPU tests skip on it unless STATESPACE_REQUIRE_GPU=1. */
export class WebGpuUnavailableError extends Error {
  override name = 'WebGpuUnavailableError';
}

/** Raised by every operation after the device was lost (driver reset, `destroy()`, GPU removed). */
export class WebGpuDeviceLostError extends Error {
  override name = 'WebGpuDeviceLostError';
}

export interface WebGpuDeviceOptions {
  /** A `GPU` object to use instead of `navigator.gpu` (browsers) or Dawn's (Node). */
  gpu?: GPU;
  powerPreference?: GPUPowerPreference;
}

/** An acquired device, what it supports, and its state. */
export interface WebGpuDevice {
  readonly device: GPUDevice;
  /** Vendor, architecture and description of the adapter, for logs and benchmark output. */
  readonly adapter: string;
  /** Optional features that were present and enabled. */
  readonly features: {
    readonly subgroups: boolean;
    readonly shaderF16: boolean;
    readonly timestampQuery: boolean;
  };
  readonly limits: GPUSupportedLimits;
  /** Throws {@link WebGpuDeviceLostError} if the device is gone. */
  assertAlive(): void;
  /**
   * Throws (once) the first WebGPU error the device reported since the last call — a validation or
   * out-of-memory error of a dispatch, which WebGPU otherwise only logs.
   */
  throwIfError(): void;
  destroy(): void;
}

// Dawn frees its instance when the object returned by `create()` is garbage-collected, even under
// a live device (random crashes or hangs): it is kept here for the life of the process.
let dawnInstance: GPU | undefined;

async function nodeGpu(): Promise<GPU | undefined> {
  if (dawnInstance) return dawnInstance;
  let dawn: { create(options: string[]): GPU; globals: Record<string, unknown> };
  try {
    dawn = (await import(/* @vite-ignore */ 'webgpu')) as typeof dawn;
  } catch (error) {
    throw new WebGpuUnavailableError(
      `WebGPU in Node needs the 'webgpu' package (Dawn) 0.6.2: ${error instanceof Error ? error.message : error}`,
    );
  }
  // Dawn's usage flags (GPUBufferUsage, GPUMapMode, …) are globals in browsers; provide them here.
  for (const [key, value] of Object.entries(dawn.globals)) {
    if (!(key in globalThis)) (globalThis as Record<string, unknown>)[key] = value;
  }
  // Full-resolution GPU timestamps (Dawn quantizes them by default, a browser safeguard) so that
  // benchmarks can time kernels alone.
  dawnInstance = dawn.create(['disable-dawn-features=timestamp_quantization']);
  return dawnInstance;
}

/**
 * Acquires a WebGPU device: `navigator.gpu` in browsers, Dawn (the `webgpu` package) in Node.
 * Enables `subgroups`, `shader-f16` and `timestamp-query` where the adapter has them.
 * @throws WebGpuUnavailableError when there is no WebGPU or no adapter (with the reason).
 */
export async function requestWebGpuDevice(options: WebGpuDeviceOptions = {}): Promise<WebGpuDevice> {
  const gpu = options.gpu ?? (globalThis.navigator?.gpu as GPU | undefined) ?? (await nodeGpu());
  if (!gpu) throw new WebGpuUnavailableError('this environment has no WebGPU (navigator.gpu is undefined)');
  const adapter = await gpu.requestAdapter({ powerPreference: options.powerPreference });
  if (!adapter) {
    throw new WebGpuUnavailableError(
      'no WebGPU adapter: on Linux without a GPU install a software Vulkan driver (Mesa ≥ 25 lavapipe: mesa-vulkan-drivers from bookworm-backports)',
    );
  }
  const wanted: GPUFeatureName[] = ['subgroups', 'shader-f16', 'timestamp-query'];
  const requiredFeatures = wanted.filter((f) => adapter.features.has(f));
  const limits = adapter.limits;
  const device = await adapter.requestDevice({
    requiredFeatures,
    requiredLimits: {
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
      maxStorageBuffersPerShaderStage: limits.maxStorageBuffersPerShaderStage,
    },
  });
  let lost: { reason: string; message: string } | undefined;
  let firstError: string | undefined;
  device.addEventListener('uncapturederror', (event) => {
    firstError ??= (event as GPUUncapturedErrorEvent).error.message;
  });
  device.lost.then((info) => {
    lost = info;
  });
  const info = adapter.info;
  return {
    device,
    adapter:
      [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'unknown adapter',
    features: {
      subgroups: device.features.has('subgroups'),
      shaderF16: device.features.has('shader-f16'),
      timestampQuery: device.features.has('timestamp-query'),
    },
    limits: device.limits,
    assertAlive() {
      if (lost)
        throw new WebGpuDeviceLostError(`the WebGPU device was lost (${lost.reason}): ${lost.message}`);
    },
    throwIfError() {
      if (firstError === undefined) return;
      const message = firstError;
      firstError = undefined;
      throw new Error(`WebGPU error in a recorded kernel: ${message}`);
    },
    destroy() {
      // `lost` resolves a tick later; operations called before then must fail too.
      lost ??= { reason: 'destroyed', message: 'destroy() was called' };
      device.destroy();
    },
  };
}
