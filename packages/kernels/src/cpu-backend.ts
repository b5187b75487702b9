import {
  assertInteger,
  assertOneOf,
  type ComplexTensor,
  DTYPES,
  type DType,
  type RealArray,
  type Tensor,
} from '@statespace/complex';
import type {
  CauchyInput,
  ConvolveInput,
  KernelBackend,
  VandermondeInput,
  VandermondeTransposeInput,
} from './backend';
import { CPU_OPS, type CpuOp, type CpuOpName } from './cpu-ops';
import type { DiagKernelParams } from './diag-kernel';
import type { DplrKernelParams } from './dplr-kernel';
import { concatAxis, featureRanges, sliceAxis } from './h-split';
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

/** Work smaller than this many features × length stays on the calling thread. */
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
    name: CpuOpName,
    input: I,
    work: number,
  ): Promise<O> {
    const op = CPU_OPS[name] as unknown as CpuOp<I, O>;
    const cast = castFields(input, op, dtype);
    const features = op.features(cast);
    const ranges = featureRanges(features, threads);
    if (!pool || ranges.length === 1 || work < MIN_PARALLEL_WORK) return op.run(cast);
    checkFeatureAxes(cast, op, features);
    const parts = ranges.map(([start, end]) => sliceFields(cast, op, start, end));
    // The calling thread takes the first range while the workers take the rest.
    const remote = parts.slice(1).map((part, i) => pool.run(i, name, part) as Promise<O>);
    let local: O;
    try {
      local = op.run(parts[0]);
    } catch (error) {
      await Promise.allSettled(remote);
      throw error;
    }
    return joinFields([local, ...(await Promise.all(remote))], op);
  }

  return {
    name: 'cpu',
    dtype,
    describe: () => `cpu (${dtype}, ${threads} thread${threads > 1 ? 's' : ''})`,
    cauchy: async (i: CauchyInput) =>
      (await run<CauchyInput, { out: ComplexTensor }>('cauchy', i, i.v.data.length * i.z.shape[0])).out,
    vandermonde: async (i: VandermondeInput) =>
      (await run<VandermondeInput, { out: Tensor }>('vandermonde', i, i.v.data.length * i.L)).out,
    vandermondeTranspose: async (i: VandermondeTransposeInput) =>
      (
        await run<VandermondeTransposeInput, { out: ComplexTensor }>(
          'vandermondeTranspose',
          i,
          i.u.data.length * i.v.shape[1],
        )
      ).out,
    rfft: async (x: Tensor, n: number) =>
      (await run<{ x: Tensor; n: number }, { out: ComplexTensor }>('rfft', { x, n }, x.shape[0] * n * 16))
        .out,
    irfft: async (x: ComplexTensor, n: number) =>
      (await run<{ x: ComplexTensor; n: number }, { out: Tensor }>('irfft', { x, n }, x.shape[0] * n * 16))
        .out,
    convolve: async (i: ConvolveInput) =>
      (await run<ConvolveInput, { out: Tensor }>('convolve', i, i.u.data.length * i.k.shape[0] * 32)).out,
    dplrKernel: (p: DplrKernelParams) =>
      run<DplrKernelParams, SsmKernelOutput>('dplrKernel', p, p.Lambda.data.length * (p.L ?? p.lKernel) * 4),
    diagKernel: (p: DiagKernelParams) =>
      run<DiagKernelParams, SsmKernelOutput>('diagKernel', p, p.Lambda.data.length * p.L),
    dispose: async () => pool?.dispose(),
  };
}

/** The input with every tensor field converted to the backend's precision. */
function castFields<I extends object>(input: I, op: CpuOp<I, unknown>, dtype: DType): I {
  const out: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  for (const key of Object.keys(op.inputs)) {
    const t = out[key] as Tensor | undefined;
    if (t) out[key] = { data: castArray(t.data, dtype), shape: t.shape };
  }
  return out as unknown as I;
}

function castArray(data: RealArray, dtype: DType): RealArray {
  if (dtype === 'float64') return data instanceof Float64Array ? data : Float64Array.from(data);
  return data instanceof Float32Array ? data : Float32Array.from(data);
}

/** Every split tensor must hold the same H features, or the ranges would cut it wrongly. */
function checkFeatureAxes<I extends object>(input: I, op: CpuOp<I, unknown>, features: number): void {
  for (const [key, spec] of Object.entries(op.inputs)) {
    const t = (input as Record<string, Tensor | undefined>)[key];
    if (!t || spec.axis === undefined) continue;
    if (t.shape[spec.axis] !== features) {
      throw new RangeError(
        `${key} must have ${features} features (H) on axis ${spec.axis}; got shape [${t.shape.join(', ')}]`,
      );
    }
  }
}

function sliceFields<I extends object>(input: I, op: CpuOp<I, unknown>, start: number, end: number): I {
  const out: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  for (const [key, spec] of Object.entries(op.inputs)) {
    const t = out[key] as Tensor | undefined;
    if (t) out[key] = sliceAxis({ tensor: t, ...spec }, start, end);
  }
  return out as unknown as I;
}

function joinFields<O extends object>(results: O[], op: CpuOp<unknown, O>): O {
  const out: Record<string, unknown> = { ...(results[0] as Record<string, unknown>) };
  for (const [key, spec] of Object.entries(op.outputs)) {
    const parts = results.map((r) => (r as Record<string, Tensor | undefined>)[key]);
    if (parts[0] && spec.axis !== undefined)
      out[key] = concatAxis(parts as Tensor[], spec.axis, spec.complex);
  }
  return out as unknown as O;
}
