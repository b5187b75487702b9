import * as gpujs from 'gpu.js';
import { type GpuJsKernelClass, type GpuJsMode, KERNEL_CLASSES } from './modes';

// The part of gpu.js this package uses, typed: its own typings lack the WebGPU kernel and the
// pipeline handles, and its browser build exports everything as statics of `GPU` (module.exports
// = GPU) where the Node build exports an object. Both shapes are read here, once.

/** A compiled gpu.js kernel: callable, with the kernel instance that actually ran. */
export interface GpuJsKernel {
  (...args: unknown[]): unknown;
  /** The kernel instance; gpu.js replaces it when it degrades the kernel (to its CPU kernel). */
  readonly kernel: { readonly constructor: unknown; readonly fallbackReason?: string | null };
  destroy(removeCanvasReferences?: boolean): void;
}

/** The settings this package passes to `createKernel`. */
export interface GpuJsKernelSettings {
  output: number[];
  constants?: Record<string, number>;
  functions?: string[];
  pipeline?: boolean;
  immutable?: boolean;
  precision?: 'single';
  tactic?: 'precision';
  loopMaxIterations?: number;
  asyncMode?: boolean;
  dynamicOutput?: boolean;
  dynamicArguments?: boolean;
}

/** A `GPU` instance of one mode. */
export interface GpuJsInstance {
  createKernel(source: string, settings: GpuJsKernelSettings): GpuJsKernel;
  destroy(): Promise<void> | void;
}

/** A flattened array with its gpu.js dimensions `[x, y, z]` (x fastest). */
export type GpuJsInput = unknown;

interface Library {
  GPU: new (settings: { mode: GpuJsMode }) => GpuJsInstance;
  input(value: Float32Array, size: number[]): GpuJsInput;
  [kernelClass: string]: unknown;
}

const namespace = gpujs as unknown as Library & { default?: Library };
const lib: Library = typeof namespace.GPU === 'function' ? namespace : (namespace.default as Library);

/** `new GPU({ mode })` of gpu.js. */
export function createGpu(mode: GpuJsMode): GpuJsInstance {
  return new lib.GPU({ mode });
}

/** gpu.js's `input(value, [x, y, z])`: a flat array read as a multi-dimensional one (x fastest). */
export function gpuInput(value: Float32Array, size: number[]): GpuJsInput {
  return lib.input(value, size);
}

/**
 * The name of the gpu.js kernel class a kernel ran on, by class identity (not `constructor.name`,
 * which a minifier may rename), or `undefined` for a class this package does not run on.
 */
export function kernelClassOf(kernel: GpuJsKernel): GpuJsKernelClass | undefined {
  const actual = kernel.kernel?.constructor;
  for (const name of Object.values(KERNEL_CLASSES)) {
    if (lib[name] !== undefined && lib[name] === actual) return name;
  }
  return undefined;
}

/** A readable name for a kernel's class, for messages: the known name or the constructor's own. */
export function describeKernelClass(kernel: GpuJsKernel): string {
  const known = kernelClassOf(kernel);
  if (known) return known;
  const name = (kernel.kernel?.constructor as { name?: string } | undefined)?.name;
  return name ? `${name} (unknown to this package)` : 'an unknown kernel class';
}

/** The default array limit of webasm and cpu kernels: 2²⁶ values (256 MiB of float32). */
const HOST_MAX_ELEMENTS = 2 ** 26;
/** The texture size assumed when a WebGL kernel class does not report its own. */
const DEFAULT_TEXTURE_SIZE = 4096;

/**
 * The most values one array of a kernel may hold in `mode`: the WebGPU device's binding and buffer
 * limits (gpu.js's shared device), the square of the WebGL texture size, or 2²⁶ on webasm and cpu.
 */
export async function modeLimits(mode: GpuJsMode): Promise<number> {
  if (mode === 'webgpu') {
    const context = lib.WebGPUContext as
      | { acquire(): Promise<{ device: { limits: Record<string, number> } }> }
      | undefined;
    const limits = (await context?.acquire())?.device.limits;
    if (!limits) return HOST_MAX_ELEMENTS;
    return Math.floor(Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize) / 4);
  }
  if (mode === 'webgl2' || mode === 'headlessgl') {
    const features = (lib[KERNEL_CLASSES[mode]] as { features?: { maxTextureSize?: number } } | undefined)
      ?.features;
    const size = features?.maxTextureSize ?? DEFAULT_TEXTURE_SIZE;
    return size * size;
  }
  return HOST_MAX_ELEMENTS;
}
