import { assertOneOf } from '@statespace/complex';
import { GpuJsUnavailableError } from './errors';
import { createGpu, describeKernelClass, type GpuJsInstance, kernelClassOf } from './library';
import {
  defaultFallbackOrder,
  defaultMode,
  GPUJS_MODES,
  type GpuJsKernelClass,
  type GpuJsMode,
  isNode,
  KERNEL_CLASSES,
  MODE_REQUIREMENTS,
} from './modes';
import { installNodeWebGpu } from './node-webgpu';

/** Which gpu.js mode to run, and what may replace it. */
export interface GpuJsModeOptions {
  /** The mode to run (default: `webgpu` in Node, `webgl2` in browsers). */
  mode?: GpuJsMode;
  /**
   * What to do when `mode` is unavailable: `false` (default) throws {@link GpuJsUnavailableError};
   * a list of modes tries those, in order; `true` tries the environment's default order (Node:
   * webgpu, headlessgl, webasm, cpu; browsers: webgl2, webgpu, webasm, cpu). The mode that ran,
   * and why the ones before it did not, are reported by the backend (`mode`, `fallbacks`,
   * `describe()`): a fallback is never silent.
   */
  fallback?: boolean | readonly GpuJsMode[];
}

/** A mode that was tried and could not run, and why. */
export interface ModeFailure {
  readonly mode: GpuJsMode;
  readonly reason: string;
}

/** A `GPU` instance whose mode has been proven to run its own kernel class. */
export interface AcquiredGpu {
  readonly gpu: GpuJsInstance;
  readonly mode: GpuJsMode;
  readonly kernelClass: GpuJsKernelClass;
  readonly requestedMode: GpuJsMode;
  /** The modes tried before `mode`, with their reasons (empty when the requested mode ran). */
  readonly fallbacks: readonly ModeFailure[];
}

/** The probe kernel: out[x] = 2·a[x] + x + ¼, exact in float32, so values prove float I/O works. */
const PROBE_SOURCE = `function (a) { return 2 * a[this.thread.x] + this.thread.x + 0.25; }`;
const PROBE_INPUT = new Float32Array([0.5, -1.25, 3, 1024.125]);
const PROBE_EXPECTED = [1.25, -1.25, 8.25, 2051.5];

/** The candidate modes in order: the requested one, then the allowed fallbacks. */
function candidates(options: GpuJsModeOptions): { requested: GpuJsMode; order: GpuJsMode[] } {
  const requested = options.mode ?? defaultMode();
  assertOneOf('mode', requested, GPUJS_MODES);
  const { fallback = false } = options;
  let extra: readonly GpuJsMode[];
  if (typeof fallback === 'boolean') {
    extra = fallback ? defaultFallbackOrder() : [];
  } else if (Array.isArray(fallback)) {
    for (const [i, m] of fallback.entries()) assertOneOf(`fallback[${i}]`, m, GPUJS_MODES);
    extra = fallback;
  } else {
    throw new TypeError(
      `fallback must be a boolean or an array of modes (${GPUJS_MODES.map((m) => `'${m}'`).join(', ')}); got ${String(fallback)}`,
    );
  }
  const order = [requested, ...extra.filter((m) => m !== requested)];
  return { requested, order: order.filter((m, i) => order.indexOf(m) === i) };
}

/** Runs the probe kernel on a new `GPU` of `mode`; returns it when the mode truly runs, else why not. */
async function probe(mode: GpuJsMode): Promise<GpuJsInstance | string> {
  if (mode === 'webgpu' && isNode()) {
    const reason = await installNodeWebGpu();
    if (reason) return reason;
  }
  let gpu: GpuJsInstance | undefined;
  try {
    gpu = createGpu(mode);
    const kernel = gpu.createKernel(PROBE_SOURCE, { output: [PROBE_INPUT.length], precision: 'single' });
    const result = (await kernel(PROBE_INPUT)) as ArrayLike<number>;
    const ran = kernelClassOf(kernel);
    if (ran !== KERNEL_CLASSES[mode]) {
      const why = kernel.kernel.fallbackReason ? ` (${kernel.kernel.fallbackReason})` : '';
      throw new Error(`gpu.js ran its probe kernel on ${describeKernelClass(kernel)}${why}`);
    }
    const values = Array.from(result ?? []);
    if (values.length !== PROBE_EXPECTED.length || values.some((v, i) => v !== PROBE_EXPECTED[i])) {
      throw new Error(
        `the probe kernel returned [${values.join(', ')}] instead of [${PROBE_EXPECTED.join(', ')}] (no float32 output?)`,
      );
    }
    kernel.destroy();
    return gpu;
  } catch (error) {
    try {
      await gpu?.destroy();
    } catch {
      // The instance is unusable anyway; the probe's own error is the one to report.
    }
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Creates a gpu.js `GPU` of the requested mode after proving, with a probe kernel, that gpu.js
 * really runs that mode's kernel class here (gpu.js alone would silently run another); on failure
 * tries the allowed fallbacks in order.
 * @throws RangeError / TypeError on an unknown mode or a malformed `fallback`.
 * @throws GpuJsUnavailableError when no allowed mode runs, listing each mode and its reason.
 */
export async function acquireGpuJs(options: GpuJsModeOptions = {}): Promise<AcquiredGpu> {
  const { requested, order } = candidates(options);
  const fallbacks: ModeFailure[] = [];
  for (const mode of order) {
    const result = await probe(mode);
    if (typeof result !== 'string') {
      return { gpu: result, mode, kernelClass: KERNEL_CLASSES[mode], requestedMode: requested, fallbacks };
    }
    fallbacks.push({ mode, reason: `${result}; it needs ${MODE_REQUIREMENTS[mode]}` });
  }
  const tried = fallbacks.map((f) => `${f.mode}: ${f.reason}`).join('; ');
  const hint =
    order.length === 1
      ? ` (no fallback was allowed: pass e.g. { fallback: ['webasm'] } or { fallback: true } to accept another mode)`
      : '';
  throw new GpuJsUnavailableError(`gpu.js mode '${requested}' is unavailable${hint}: ${tried}`);
}
