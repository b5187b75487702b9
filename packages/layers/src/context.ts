import {
  allocate,
  assertInteger,
  assertOneOf,
  createRng,
  DTYPES,
  type DType,
  type RealArray,
  type Rng,
} from '@statespace/complex';
import { createCpuBackend, type KernelBackend } from '@statespace/kernels';

// What every module is built with: its precision, the backend its kernels and convolutions run
// on, and the seeded generator of its random initialisation. A model resolves these once and hands
// them to its children, so a whole model shares one precision and one backend.

/** Options every module accepts (beside its own). */
export interface ModuleOptions {
  /**
   * Precision of the parameters and of the computation (default `float64`, the reference path;
   * `float32` is the fast path and the only one GPU backends offer).
   */
  dtype?: DType;
  /**
   * Where SSM kernels and FFT convolutions run: `'cpu'` (default: one CPU backend of `dtype`
   * shared by every such module, on all cores under Node.js through worker threads, on one
   * elsewhere) or any `KernelBackend` object — `createCpuBackend({ dtype, threads })`, the WebGPU
   * backend of `@statespace/webgpu`, the gpu.js backend — whose `dtype` must be the model's. The
   * module never disposes a backend it was given. Everything else (linear layers, activations,
   * norms, recurrent steps) runs on the CPU in `dtype`.
   */
  backend?: KernelBackend | 'cpu';
  /** Seed of the random initialisation and of dropout masks (default 0). */
  seed?: number;
}

/** The resolved {@link ModuleOptions} a module and its children share. */
export interface ModuleContext {
  readonly dtype: DType;
  readonly backend: KernelBackend;
  /** The module's generator: initialisation draws, then child seeds, in construction order. */
  readonly rng: Rng;
}

/** The names of {@link ModuleOptions}, accepted by every module. */
export const MODULE_OPTIONS = ['dtype', 'backend', 'seed'] as const;

/**
 * Resolves the common options.
 * @throws RangeError for an unknown dtype, a non-integer seed, a backend that is neither `'cpu'`
 *   nor a KernelBackend, or a backend whose precision is not `dtype`.
 */
export function createContext(options: ModuleOptions): ModuleContext {
  const dtype = options.dtype ?? 'float64';
  assertOneOf('dtype', dtype, DTYPES);
  const seed = options.seed ?? 0;
  assertInteger('seed', seed);
  const given = options.backend ?? 'cpu';
  let backend: KernelBackend;
  if (given === 'cpu') {
    backend = defaultCpuBackend(dtype);
  } else if (isBackend(given)) {
    if (given.dtype !== dtype) {
      throw new RangeError(
        `backend '${given.name}' computes in ${given.dtype} but dtype is '${dtype}': build the model with dtype '${given.dtype}' or give a ${dtype} backend`,
      );
    }
    backend = given;
  } else {
    throw new TypeError(
      `backend must be 'cpu' or a KernelBackend object (e.g. createCpuBackend(), createWebGpuBackend()); got ${String(given)}`,
    );
  }
  return { dtype, backend, rng: createRng(seed) };
}

const defaultBackends = new Map<DType, KernelBackend>();

/**
 * The CPU backend of `dtype` that modules built with `backend: 'cpu'` share, created on first use:
 * as many threads as the machine has cores under Node.js (`os.availableParallelism()`: an
 * FFTConv layer runs about 1.6× faster on two cores), one elsewhere. Its worker threads keep the
 * process alive only while they have work in flight; they end with it.
 */
export function defaultCpuBackend(dtype: DType): KernelBackend {
  let backend = defaultBackends.get(dtype);
  if (!backend) {
    backend = createCpuBackend({ dtype, threads: availableThreads() });
    defaultBackends.set(dtype, backend);
  }
  return backend;
}

/** The cores worker threads can use: Node.js only (where `process.getBuiltinModule` exists). */
function availableThreads(): number {
  const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const os = process?.getBuiltinModule?.('node:os') as typeof import('node:os') | undefined;
  return os ? os.availableParallelism() : 1;
}

/** The options of a child module: the parent's dtype and backend, and a seed drawn from its generator. */
export function childOptions(context: ModuleContext): Required<ModuleOptions> {
  return {
    dtype: context.dtype,
    backend: context.backend,
    seed: Math.floor(context.rng.uniform() * 2 ** 31),
  };
}

/** A zero-filled array of the given precision. */
export function zeros(dtype: DType, length: number): RealArray {
  return allocate(dtype, length);
}

/** Values in the context's precision (rounded once from float64). */
export function inPrecision(context: ModuleContext, values: Float64Array): RealArray {
  return context.dtype === 'float64' ? values : Float32Array.from(values);
}

/** `length` draws from U(−bound, bound) in the context's precision. */
export function uniformArray(context: ModuleContext, length: number, bound: number): RealArray {
  const { rng } = context;
  return inPrecision(
    context,
    Float64Array.from({ length }, () => (2 * rng.uniform() - 1) * bound),
  );
}

/** `length` draws from N(0, std²) in the context's precision. */
export function normalArray(context: ModuleContext, length: number, std = 1): RealArray {
  const { rng } = context;
  return inPrecision(
    context,
    Float64Array.from({ length }, () => std * rng.normal()),
  );
}

function isBackend(value: unknown): value is KernelBackend {
  const b = value as KernelBackend;
  return (
    b !== null &&
    typeof b === 'object' &&
    typeof b.name === 'string' &&
    typeof b.dplrKernel === 'function' &&
    typeof b.diagKernel === 'function' &&
    typeof b.convolve === 'function'
  );
}
