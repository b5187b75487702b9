import type { AcquiredGpu, ModeFailure } from './acquire';
import { GpuJsFallbackError } from './errors';
import { flattenResult } from './flatten';
import {
  describeKernelClass,
  type GpuJsInput,
  type GpuJsKernel,
  type GpuJsKernelSettings,
  gpuInput,
  kernelClassOf,
  modeLimits,
} from './library';
import type { GpuJsKernelClass, GpuJsMode } from './modes';

/**
 * One gpu.js kernel of an operation. Everything that is compiled into the kernel (sizes and
 * constants, whether an argument is a host array or a device value) must be part of `key`: the
 * compiled kernel is cached under it and reused by every later call with the same key.
 */
export interface KernelSpec {
  key: string;
  /** The kernel function's source (gpu.js transpiles JavaScript). */
  source: string;
  /** The output dimensions `[x, y, z]`, x fastest. */
  output: number[];
  /** Numbers baked into the kernel, read as `this.constants.name`. */
  constants?: Record<string, number>;
  /** Sources of helper functions the kernel calls (gpu.js `functions`). */
  functions?: readonly string[];
}

/**
 * What a kernel returns (gpu.js pipeline mode): on webgpu a GPU buffer handle, on WebGL a texture,
 * on webasm and cpu the arrays themselves. It stays valid until the same kernel runs again; pass it
 * to other kernels as an argument, or read it with {@link GpuJsRuntime.read}.
 */
export type DeviceValue = unknown;

/** Options of the runtime. */
export interface GpuJsRuntimeOptions {
  /**
   * The most values any one array of a kernel may hold (default: what the mode allows — the
   * WebGPU binding limit, the square of the WebGL texture size, 2²⁶ on webasm and cpu). The
   * backend splits larger problems along their H features.
   */
  maxElements?: number;
  /**
   * webasm: spread large kernels over gpu.js's worker pool (its asyncMode). Default false: on the
   * 2-core development machine the pool's start-up and copies made every operation slower.
   */
  threads?: boolean;
  /** How many compiled kernels to keep, ≥ 16 (least recently used are destroyed). Default 128. */
  cacheSize?: number;
}

/** Kernels with larger loops than gpu.js's default 1000 iterations (only used without constant bounds). */
const LOOP_MAX = 1 << 20;
const DEFAULT_CACHE_SIZE = 128;
/**
 * An operation holds the results of up to ~8 kernels at once; evicting one of those would destroy
 * a result still to be read, so the cache never shrinks below this.
 */
const MIN_CACHE_SIZE = 16;

/**
 * A gpu.js `GPU` of a proven mode, with its compiled kernels cached by key, every run checked to
 * have happened on the mode's kernel class, and operations serialized (kernels hand out results
 * that their next run overwrites, so two operations must not interleave).
 */
export class GpuJsRuntime {
  readonly mode: GpuJsMode;
  readonly kernelClass: GpuJsKernelClass;
  readonly requestedMode: GpuJsMode;
  readonly fallbacks: readonly ModeFailure[];
  /** The most values one array of a kernel may hold (see {@link GpuJsRuntimeOptions.maxElements}). */
  readonly maxElements: number;
  private readonly gpu: AcquiredGpu['gpu'];
  private readonly kernels = new Map<string, GpuJsKernel>();
  private readonly threads: boolean;
  private readonly cacheSize: number;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;
  private builds = 0;

  private constructor(acquired: AcquiredGpu, maxElements: number, options: GpuJsRuntimeOptions) {
    this.gpu = acquired.gpu;
    this.mode = acquired.mode;
    this.kernelClass = acquired.kernelClass;
    this.requestedMode = acquired.requestedMode;
    this.fallbacks = acquired.fallbacks;
    this.maxElements = maxElements;
    this.threads = options.threads ?? false;
    this.cacheSize = options.cacheSize ?? DEFAULT_CACHE_SIZE;
  }

  /** A runtime over an acquired `GPU`, with the mode's array limit. */
  static async create(acquired: AcquiredGpu, options: GpuJsRuntimeOptions = {}): Promise<GpuJsRuntime> {
    const { maxElements } = options;
    if (maxElements !== undefined && !(Number.isInteger(maxElements) && maxElements >= 1)) {
      throw new RangeError(`maxElements must be an integer ≥ 1; got ${maxElements}`);
    }
    const { cacheSize } = options;
    if (cacheSize !== undefined && !(Number.isInteger(cacheSize) && cacheSize >= MIN_CACHE_SIZE)) {
      throw new RangeError(`cacheSize must be an integer ≥ ${MIN_CACHE_SIZE}; got ${cacheSize}`);
    }
    const limit = await modeLimits(acquired.mode);
    return new GpuJsRuntime(acquired, Math.min(maxElements ?? limit, limit), options);
  }

  /** Compiled kernels held now. */
  get compiledKernels(): number {
    return this.kernels.size;
  }

  /** Kernels compiled so far (a cache hit compiles none). */
  get kernelBuilds(): number {
    return this.builds;
  }

  /** A host array as a kernel argument of dimensions `[x, y, z]` (x fastest). */
  input(data: Float32Array, dims: number[]): GpuJsInput {
    return dims.length === 1 ? data : gpuInput(data, dims);
  }

  /** Runs `work` after every operation queued before it (operations never interleave). */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Runs the kernel of `spec` (compiled on first use, then reused) on `args` and returns its
   * result, still on the device.
   * @throws GpuJsFallbackError when gpu.js ran it on another kernel class than the mode's.
   */
  async run(spec: KernelSpec, args: unknown[]): Promise<DeviceValue> {
    if (this.disposed) throw new Error('this gpu.js backend was disposed');
    const kernel = this.kernel(spec);
    const result = await kernel(...args);
    const ran = kernelClassOf(kernel);
    if (ran !== this.kernelClass) {
      const why = kernel.kernel.fallbackReason ? `: ${kernel.kernel.fallbackReason}` : '';
      this.evict(spec.key);
      throw new GpuJsFallbackError(
        `gpu.js ran kernel '${spec.key}' on ${describeKernelClass(kernel)} instead of ${this.kernelClass} (mode '${this.mode}')${why}`,
      );
    }
    return result;
  }

  /** Reads a kernel result back as one Float32Array of `length` values (a fresh array). */
  async read(value: DeviceValue, length: number): Promise<Float32Array> {
    const handle = value as { toArray?: () => unknown };
    const shaped = typeof handle?.toArray === 'function' ? await handle.toArray() : value;
    // The cpu kernel hands out arrays it overwrites on its next run: copy those.
    return flattenResult(shaped, length, this.mode === 'cpu');
  }

  /** Destroys every compiled kernel and the `GPU` instance. Further runs throw. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue;
    for (const kernel of this.kernels.values()) kernel.destroy();
    this.kernels.clear();
    await this.gpu.destroy();
  }

  private kernel(spec: KernelSpec): GpuJsKernel {
    const cached = this.kernels.get(spec.key);
    if (cached) {
      // Least recently used last out: move to the end of the insertion order.
      this.kernels.delete(spec.key);
      this.kernels.set(spec.key, cached);
      return cached;
    }
    const settings: GpuJsKernelSettings = {
      output: spec.output,
      constants: spec.constants,
      pipeline: true,
      immutable: false,
      precision: 'single',
      tactic: 'precision',
      loopMaxIterations: LOOP_MAX,
      dynamicOutput: false,
      dynamicArguments: false,
    };
    // gpu.js reads `functions` whenever the key exists.
    if (spec.functions) settings.functions = [...spec.functions];
    if (this.mode === 'webasm' && this.threads) settings.asyncMode = true;
    const kernel = this.gpu.createKernel(spec.source, settings);
    this.builds++;
    this.kernels.set(spec.key, kernel);
    while (this.kernels.size > this.cacheSize) {
      const oldest = this.kernels.keys().next().value as string;
      this.evict(oldest);
    }
    return kernel;
  }

  private evict(key: string): void {
    const kernel = this.kernels.get(key);
    if (!kernel) return;
    this.kernels.delete(key);
    kernel.destroy();
  }
}

/** What a kernel function sees as `this` (gpu.js): its thread's output indices and its constants. */
export interface KernelThis {
  readonly thread: { readonly x: number; readonly y: number; readonly z: number };
  readonly constants: Readonly<Record<string, number>>;
}

/**
 * The source of a kernel function for gpu.js, which transpiles JavaScript. Kernel functions use a
 * subset of JavaScript (numbers, `Math`, loops with constant bounds, `this.thread`,
 * `this.constants`), name no outside variable, and compute indices in floats: arrays are indexed
 * by dimension (`a[row][i]`), each index below 2²⁴ so that it is exact, and divisions by
 * non-powers of two are floored from `(i + 0.5)/d`.
 */
export function kernelSource(fn: (this: KernelThis, ...args: never[]) => number): string {
  return fn.toString();
}
