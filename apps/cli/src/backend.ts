import type { DType } from '@statespace/complex';
import type { KernelBackend } from '@statespace/kernels';
import { CliError, UsageError } from './cli/errors';

/** The `--backend` choices. */
export const BACKEND_NAMES = ['cpu', 'webgpu', 'gpujs'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** The `--precision` choices and the dtypes they mean. */
export const PRECISIONS = ['f32', 'f64'] as const;
export type Precision = (typeof PRECISIONS)[number];
export const DTYPE_OF: Record<Precision, DType> = { f32: 'float32', f64: 'float64' };

/** A backend for a model: `'cpu'` (the shared multi-thread CPU backend of @statespace/layers) or a GPU one. */
export interface ChosenBackend {
  readonly backend: KernelBackend | 'cpu';
  /** What runs, for logs: `cpu`, or the GPU backend's `describe()`. */
  readonly description: string;
  dispose(): Promise<void>;
}

/**
 * The backend `--backend` names. GPU backends compute in float32 only, and a missing adapter or
 * gpu.js mode is an error (exit code 1), never a silent fall back to the CPU.
 * @throws UsageError for a GPU backend with a float64 model; CliError when the GPU backend is unavailable.
 */
export async function createBackend(name: BackendName, dtype: DType): Promise<ChosenBackend> {
  if (name === 'cpu') return { backend: 'cpu', description: 'cpu', dispose: async () => {} };
  if (dtype !== 'float32') {
    throw new UsageError(
      `--backend ${name} runs float32 models only; this one is ${dtype} (train with --precision f32)`,
    );
  }
  try {
    const backend =
      name === 'webgpu'
        ? await (await import('@statespace/webgpu')).createWebGpuBackend()
        : await (await import('@statespace/gpujs')).createGpuJsBackend();
    return { backend, description: backend.describe(), dispose: () => backend.dispose() };
  } catch (error) {
    const unavailable = ['WebGpuUnavailableError', 'GpuJsUnavailableError'].includes((error as Error)?.name);
    if (!unavailable) throw error;
    throw new CliError(`--backend ${name} is unavailable here: ${(error as Error).message}`);
  }
}
