import {
  assertInteger,
  assertOneOf,
  type ComplexTensor,
  DTYPES,
  type DType,
  type RealArray,
  type Tensor,
} from '@statespace/complex';
import type { KernelBackend } from './backend';
import {
  BACKEND_LAYOUT,
  type BackendOpName,
  joinByFeatures,
  type OpLayout,
  splitByFeatures,
} from './backend-layout';
import { CPU_OPS } from './cpu-ops';
import type { SsmKernelOutput } from './kernel-output';
import { WorkerPool } from './worker-pool';

export interface CpuBackendOptions {
  /** Precision of the computation and of the returned arrays. Default `float64` (the reference). */
  dtype?: DType;
  /**
   * Threads to split work across, along the H features (Node.js only; the calling thread is one
   * of them). Default 1. Use 2 on a 2-core machine for the float32 fast path.
   */
  threads?: number;
}

/** Work smaller than this (features × length, roughly) stays on the calling thread. */
const MIN_PARALLEL_WORK = 1 << 15;

/**
 * The CPU implementation of {@link KernelBackend}: float64 (reference) or float32 (fast path),
 * optionally on several threads.
 */
export function createCpuBackend(options: CpuBackendOptions = {}): KernelBackend {
  const dtype = options.dtype ?? 'float64';
  assertOneOf('dtype', dtype, DTYPES);
  const threads = options.threads ?? 1;
  assertInteger('threads', threads, 1);
  const pool = threads > 1 ? new WorkerPool(threads - 1) : undefined;

  async function run<I extends object, O extends object>(
    name: BackendOpName,
    input: I,
    work: number,
  ): Promise<O> {
    const layout = BACKEND_LAYOUT[name] as unknown as OpLayout<I>;
    const op = CPU_OPS[name] as unknown as (i: I) => O;
    const cast = castFields(input, layout, dtype);
    if (!pool || work < MIN_PARALLEL_WORK) return op(cast);
    const parts = splitByFeatures(layout, cast, threads);
    if (parts.length === 1) return op(cast);
    // The calling thread takes the first range while the workers take the rest.
    const remote = parts.slice(1).map((part, i) => pool.run(i, name, part) as Promise<O>);
    let local: O;
    try {
      local = op(parts[0]);
    } catch (error) {
      await Promise.allSettled(remote);
      throw error;
    }
    return joinByFeatures(layout as OpLayout<unknown>, [local, ...(await Promise.all(remote))]);
  }
  const out = async <T>(result: Promise<{ out: T }>) => (await result).out;

  return {
    name: 'cpu',
    dtype,
    describe: () => `cpu (${dtype}, ${threads} thread${threads > 1 ? 's' : ''})`,
    cauchy: (i) => out<ComplexTensor>(run('cauchy', i, i.v.data.length * i.z.shape[0])),
    vandermonde: (i) => out<Tensor>(run('vandermonde', i, i.v.data.length * i.L)),
    vandermondeTranspose: (i) =>
      out<ComplexTensor>(run('vandermondeTranspose', i, i.u.data.length * i.v.shape[1])),
    rfft: (x, n) => out<ComplexTensor>(run('rfft', { x, n }, x.shape[0] * n * 16)),
    irfft: (x, n) => out<Tensor>(run('irfft', { x, n }, x.shape[0] * n * 16)),
    convolve: (i) => out<Tensor>(run('convolve', i, i.u.data.length * i.k.shape[0] * 32)),
    dplrKernel: (p) =>
      run<typeof p, SsmKernelOutput>('dplrKernel', p, p.Lambda.data.length * (p.L ?? p.lKernel) * 4),
    diagKernel: (p) => run<typeof p, SsmKernelOutput>('diagKernel', p, p.Lambda.data.length * p.L),
    dispose: async () => pool?.dispose(),
  };
}

/** The input with every tensor field converted to the backend's precision. */
function castFields<I extends object>(input: I, layout: OpLayout<I>, dtype: DType): I {
  const out: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  for (const key of Object.keys(layout.inputs)) {
    const t = out[key] as Tensor | undefined;
    if (t) out[key] = { data: castArray(t.data, dtype), shape: t.shape };
  }
  return out as unknown as I;
}

function castArray(data: RealArray, dtype: DType): RealArray {
  if (dtype === 'float64') return data instanceof Float64Array ? data : Float64Array.from(data);
  return data instanceof Float32Array ? data : Float32Array.from(data);
}
