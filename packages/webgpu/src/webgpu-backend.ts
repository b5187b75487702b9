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
import { requestWebGpuDevice, type WebGpuDevice, type WebGpuDeviceOptions } from './device';
import { GpuContext } from './gpu-context';
import { cauchyOp } from './ops/cauchy';
import { convolveOp } from './ops/conv';
import { convolveVjpOp } from './ops/conv-vjp';
import { diagKernelOp } from './ops/diag-kernel';
import { diagKernelVjpOp } from './ops/diag-kernel-vjp';
import { dplrKernelOp } from './ops/dplr-kernel';
import { dplrKernelVjpOp } from './ops/dplr-kernel-vjp';
import { irfftOp, rfftOp } from './ops/fft';
import type { GpuOp } from './ops/op';
import { vandermondeOp, vandermondeTransposeOp } from './ops/vandermonde';

export interface WebGpuBackendOptions extends WebGpuDeviceOptions {
  /** An already acquired device (shared with other code); otherwise one is requested. */
  device?: WebGpuDevice;
  /**
   * Largest storage buffer to bind, in bytes (default: the device's limit). Problems that need more
   * are split along the H features and run chunk by chunk; lower it to test that path.
   */
  maxBindingBytes?: number;
}

/** The WebGPU backend: a {@link KernelBackend} plus the device it runs on. */
export interface WebGpuBackend extends KernelBackend {
  readonly gpu: WebGpuDevice;
}

const OPS: Record<BackendOpName, GpuOp<never, object>> = {
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
 * Creates the WebGPU implementation of the kernel backend (float32; WGSL has no float64).
 * @throws WebGpuUnavailableError when no adapter can be had — there is no silent CPU fallback.
 */
export async function createWebGpuBackend(options: WebGpuBackendOptions = {}): Promise<WebGpuBackend> {
  const gpu = options.device ?? (await requestWebGpuDevice(options));
  const ctx = new GpuContext(gpu);
  const limit = Math.min(options.maxBindingBytes ?? Number.POSITIVE_INFINITY, ctx.maxBindingBytes);

  async function run<I extends object, O extends object>(name: BackendOpName, input: I): Promise<O> {
    gpu.assertAlive();
    const layout = BACKEND_LAYOUT[name] as unknown as OpLayout<I>;
    const op = OPS[name] as unknown as GpuOp<I, O>;
    const cast = toFloat32(input, layout.inputs);
    const bytes = op.largestBuffer(cast);
    // The kernel VJPs finish on the host in float64: every result is returned in float32.
    if (bytes <= limit) return toFloat32(await op.run(ctx, cast), layout.outputs);
    // Too big for one binding: run feature ranges one after another, as few as fit.
    const features = layout.features(cast);
    let count = Math.min(features, Math.ceil(bytes / limit));
    let parts = splitByFeatures(layout, cast, count);
    while (parts.some((p) => op.largestBuffer(p) > limit) && count < features) {
      parts = splitByFeatures(layout, cast, ++count);
    }
    const tooBig = parts.find((p) => op.largestBuffer(p) > limit);
    if (tooBig) {
      throw new RangeError(
        `${name}: a single feature needs ${op.largestBuffer(tooBig)} bytes in one buffer, over this device's binding limit of ${limit} bytes`,
      );
    }
    const results: O[] = [];
    for (const part of parts) results.push(await op.run(ctx, part));
    return toFloat32(joinByFeatures(layout as OpLayout<unknown>, results), layout.outputs);
  }
  const out = async <T>(result: Promise<{ out: T }>) => (await result).out;

  return {
    name: 'webgpu',
    dtype: 'float32',
    gpu,
    describe: () =>
      `webgpu (${gpu.adapter}${gpu.features.subgroups ? ', subgroups' : ''}${gpu.features.shaderF16 ? ', f16' : ''})`,
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
    dispose: async () => {
      ctx.dispose();
      if (!options.device) gpu.destroy();
    },
  };
}

/** An operation's input or output with every tensor field of `fields` as float32 (what the GPU computes in). */
function toFloat32<T extends object>(value: T, fields: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const key of Object.keys(fields)) {
    const t = out[key] as { data: RealArray; shape: readonly number[] } | undefined;
    if (t && !(t.data instanceof Float32Array))
      out[key] = { data: Float32Array.from(t.data), shape: t.shape };
  }
  return out as unknown as T;
}
