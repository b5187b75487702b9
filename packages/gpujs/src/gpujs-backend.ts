import type { ComplexTensor, RealArray, Tensor } from '@statespace/complex';
import {
  BACKEND_LAYOUT,
  type BackendOpName,
  type ConvolveGrads,
  type DiagKernelGrads,
  type DplrKernelGrads,
  joinByFeatures,
  type KernelBackend,
  type OpLayout,
  type SsmKernelOutput,
  splitByFeatures,
  type WithGrad,
} from '@statespace/kernels';
import { acquireGpuJs, type GpuJsModeOptions, type ModeFailure } from './acquire';
import type { GpuJsKernelClass, GpuJsMode } from './modes';
import { cauchyOp } from './ops/cauchy';
import { convolveOp } from './ops/conv';
import { convolveVjpOp } from './ops/conv-vjp';
import { diagKernelOp } from './ops/diag-kernel';
import { diagKernelVjpOp } from './ops/diag-kernel-vjp';
import { dplrKernelOp } from './ops/dplr-kernel';
import { dplrKernelVjpOp } from './ops/dplr-kernel-vjp';
import { irfftOp, rfftOp } from './ops/fft-real';
import type { GpuJsOp } from './ops/op';
import { vandermondeOp, vandermondeTransposeOp } from './ops/vandermonde';
import { MAX_GPUJS_RANK } from './ops/woodbury';
import { GpuJsRuntime, type GpuJsRuntimeOptions } from './runtime';

/** Options of {@link createGpuJsBackend}: the mode and its fallbacks, and the runtime's limits. */
export interface GpuJsBackendOptions extends GpuJsModeOptions, GpuJsRuntimeOptions {}

/** The gpu.js backend: a {@link KernelBackend} that says which gpu.js mode and kernel class run it. */
export interface GpuJsBackend extends KernelBackend {
  /** The mode that runs (the requested one, or a fallback the caller allowed). */
  readonly mode: GpuJsMode;
  /** The mode that was asked for. */
  readonly requestedMode: GpuJsMode;
  /** The gpu.js kernel class every kernel of this backend has run on (checked on each run). */
  readonly kernelClass: GpuJsKernelClass;
  /** The modes tried before `mode` and why they failed (empty when the requested mode runs). */
  readonly fallbacks: readonly ModeFailure[];
  /** The gpu.js `GPU` with its compiled-kernel cache (for `complexMul` & co. and introspection). */
  readonly runtime: GpuJsRuntime;
}

const OPS: Record<BackendOpName, GpuJsOp<never, object>> = {
  cauchy: cauchyOp,
  vandermonde: vandermondeOp,
  vandermondeTranspose: vandermondeTransposeOp,
  convolve: convolveOp,
  rfft: rfftOp,
  irfft: irfftOp,
  dplrKernel: dplrKernelOp,
  diagKernel: diagKernelOp,
  convolveVjp: convolveVjpOp,
  dplrKernelVjp: dplrKernelVjpOp,
  diagKernelVjp: diagKernelVjpOp,
};

/**
 * Creates the gpu.js implementation of the kernel backend (float32). The requested mode (default
 * `webgpu` in Node, `webgl2` in browsers) is proven with a probe kernel; when it does not run here
 * this throws, unless `fallback` allows other modes — the mode that runs is then reported on the
 * backend (`mode`, `kernelClass`, `fallbacks`) and in `describe()`. Every kernel run is checked to
 * have run on that mode's gpu.js kernel class (gpu.js would otherwise degrade silently).
 *
 * Everything runs in gpu.js kernels except the float64 host preparation shared with the other
 * backends (`prepareDplrKernel`, `prepareDiagKernel`, FFT and phase tables).
 *
 * @throws GpuJsUnavailableError when no allowed mode runs (the message lists each mode and why).
 * @throws RangeError / TypeError on an unknown mode, a malformed `fallback`, `maxElements` or `cacheSize`.
 */
export async function createGpuJsBackend(options: GpuJsBackendOptions = {}): Promise<GpuJsBackend> {
  const acquired = await acquireGpuJs(options);
  let rt: GpuJsRuntime;
  try {
    rt = await GpuJsRuntime.create(acquired, options);
  } catch (error) {
    await acquired.gpu.destroy();
    throw error;
  }

  async function run<I extends object, O extends object>(name: BackendOpName, input: I): Promise<O> {
    const layout = BACKEND_LAYOUT[name] as unknown as OpLayout<I>;
    const op = OPS[name] as unknown as GpuJsOp<I, O>;
    if (input === null || typeof input !== 'object') {
      throw new TypeError(`${name}: the input must be an object; got ${String(input)}`);
    }
    // Each op converts what its kernels read to float32 itself; the S4 and S4D host preparation
    // reads the caller's arrays in float64.
    return rt.exclusive(async () => {
      // Sizes of malformed input count as 0: `run` rejects it with a message naming the argument.
      let largest = 0;
      try {
        largest = op.largestArray(input);
      } catch {
        largest = 0;
      }
      // The kernel VJPs finish on the host in float64: every result is returned in float32.
      if (!(largest > rt.maxElements)) return toFloat32(await op.run(rt, input), layout.outputs);
      // Too big for one kernel array: run feature ranges one after another, as few as fit.
      const features = layout.features(input);
      let count = Math.min(features, Math.ceil(largest / rt.maxElements));
      let parts = splitByFeatures(layout, input, count);
      while (parts.some((p) => op.largestArray(p) > rt.maxElements) && count < features) {
        parts = splitByFeatures(layout, input, ++count);
      }
      const tooBig = parts.find((p) => op.largestArray(p) > rt.maxElements);
      if (tooBig) {
        throw new RangeError(
          `${name}: a single feature needs ${op.largestArray(tooBig)} values in one kernel array, over this mode's limit of ${rt.maxElements}`,
        );
      }
      const results: O[] = [];
      for (const part of parts) results.push(await op.run(rt, part));
      return toFloat32(joinByFeatures(layout as OpLayout<unknown>, results), layout.outputs);
    });
  }
  const out = async <T>(result: Promise<{ out: T }>) => (await result).out;

  const fellBack = acquired.fallbacks.length
    ? `; fell back from ${acquired.fallbacks.map((f) => `${f.mode} (${f.reason})`).join(', ')}`
    : '';
  return {
    name: 'gpujs',
    dtype: 'float32',
    mode: rt.mode,
    requestedMode: rt.requestedMode,
    kernelClass: rt.kernelClass,
    fallbacks: rt.fallbacks,
    runtime: rt,
    describe: () =>
      `gpujs (${rt.kernelClass}, mode ${rt.mode}; FFTs, Cauchy, Woodbury (rank ≤ ${MAX_GPUJS_RANK}) and Vandermonde in gpu.js kernels, float64 host preparation${fellBack})`,
    cauchy: (i) => out<ComplexTensor>(run('cauchy', i)),
    vandermonde: (i) => out<Tensor>(run('vandermonde', i)),
    vandermondeTranspose: (i) => out<ComplexTensor>(run('vandermondeTranspose', i)),
    rfft: (x, n) => out<ComplexTensor>(run('rfft', { x, n })),
    irfft: (x, n) => out<Tensor>(run('irfft', { x, n })),
    convolve: (i) => out<Tensor>(run('convolve', i)),
    dplrKernel: (p) => run<typeof p, SsmKernelOutput>('dplrKernel', p),
    diagKernel: (p) => run<typeof p, SsmKernelOutput>('diagKernel', p),
    convolveVjp: (i, grad) => run<WithGrad<typeof i>, ConvolveGrads>('convolveVjp', { ...i, grad }),
    dplrKernelVjp: (p, grad) =>
      run<WithGrad<typeof p>, DplrKernelGrads<RealArray>>('dplrKernelVjp', { ...p, grad }),
    diagKernelVjp: (p, grad) =>
      run<WithGrad<typeof p>, DiagKernelGrads<RealArray>>('diagKernelVjp', { ...p, grad }),
    dispose: () => rt.dispose(),
  };
}

/** An operation's output with every tensor field of `fields` as float32 (the backend's precision). */
function toFloat32<T extends object>(value: T, fields: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const key of Object.keys(fields)) {
    const t = out[key] as { data: RealArray; shape: readonly number[] } | undefined;
    if (t && !(t.data instanceof Float32Array))
      out[key] = { data: Float32Array.from(t.data), shape: t.shape };
  }
  return out as T;
}
