import {
  assertInteger,
  assertOneOf,
  type ComplexTensor,
  DTYPES,
  type DType,
  type RealArray,
  sizeOf,
  type Tensor,
} from '@statespace/complex';
import type { KernelBackend, WithGrad } from './backend';
import {
  BACKEND_LAYOUT,
  type BackendOpName,
  checkFeatures,
  joinByFeatures,
  type OpLayout,
  splitByFeatures,
} from './backend-layout';
import type { ConvolveGrads } from './conv-vjp';
import { CPU_OPS } from './cpu-ops';
import { CPU_SHARED_OPS, runSharedTask, type SharedOp } from './cpu-shared-ops';
import type { DiagKernelGrads } from './diag-kernel-vjp';
import type { DplrKernelGrads } from './dplr-kernel-vjp';
import { claimChunk, claimCounter } from './feature-claims';
import type { SsmKernelOutput } from './kernel-output';
import { OutputReserve } from './output-reserve';
import { bytesPer, SharedArena, stageShared, viewOf } from './shared-arrays';
import { WorkerPool } from './worker-pool';

export interface CpuBackendOptions {
  /** Precision of the computation and of the returned arrays. Default `float64` (the reference). */
  dtype?: DType;
  /**
   * Threads to split work across, along the H features (Node.js only; the calling thread is one
   * of them). Default 1. Use 2 on a 2-core machine for the float32 fast path. Threads share
   * memory: the outputs of `convolve`, `convolveVjp`, `dplrKernel` and `diagKernel` then live in
   * `SharedArrayBuffer`s.
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
  // Staging buffers of shared operations' inputs, kept for later calls.
  const arena = new SharedArena();
  // One spare per output of each shared operation (`convolve.out`, `dplrKernel.K`, …).
  const reserves = new Map<string, OutputReserve>();

  async function run<I extends object, O extends object>(
    name: BackendOpName,
    input: I,
    work: number,
  ): Promise<O> {
    const layout = BACKEND_LAYOUT[name] as unknown as OpLayout<I>;
    const op = CPU_OPS[name] as unknown as (i: I) => O;
    const shared = CPU_SHARED_OPS[name] as SharedOp<I> | undefined;
    if (!pool || work < MIN_PARALLEL_WORK)
      return castOutputs(op(castFields(input, layout, dtype)), layout, dtype);
    // Started workers take their task at once, while this thread computes its own share.
    await pool.ready();
    if (shared) return (await runShared(name, shared, input, layout, pool)) as O;
    const cast = castFields(input, layout, dtype);
    const parts = splitByFeatures(layout, cast, threads);
    if (parts.length === 1) return castOutputs(op(cast), layout, dtype);
    // The calling thread takes the first range while the workers take the rest.
    const remote = parts.slice(1).map((part, i) => pool.run(i, name, part) as Promise<O>);
    let local: O;
    try {
      local = op(parts[0]);
    } catch (error) {
      await Promise.allSettled(remote);
      throw error;
    }
    const joined = joinByFeatures(layout as OpLayout<unknown>, [local, ...(await Promise.all(remote))]);
    return castOutputs(joined, layout, dtype);
  }

  /** A shared operation: inputs staged in shared memory, every thread writing into the outputs. */
  async function runShared<I extends object>(
    name: BackendOpName,
    shared: SharedOp<I>,
    input: I,
    layout: OpLayout<I>,
    workers: WorkerPool,
  ): Promise<Record<string, Tensor>> {
    checkFeatures(layout, input);
    const held: SharedArrayBuffer[] = [];
    try {
      const staged: Record<string, unknown> = { ...(input as Record<string, unknown>) };
      for (const key of Object.keys(layout.inputs)) {
        const t = staged[key] as Tensor | undefined;
        if (t) staged[key] = { data: stageShared(arena, t.data, dtype, held), shape: t.shape };
      }
      const ready = staged as I;
      const shapes = Object.entries(shared.outputShapes(ready));
      const features = layout.features(ready);
      const outputs: Record<string, RealArray> = {};
      for (const [key, shape] of shapes) {
        const length = sizeOf(shape);
        outputs[key] = viewOf(dtype, await reserve(`${name}.${key}`).take(length * bytesPer(dtype)), length);
      }
      const task = { outputs, counter: claimCounter(), features, chunk: claimChunk(features, threads) };
      const remote = Array.from({ length: threads - 1 }, (_, i) => workers.run(i, name, ready, task));
      let failure: { reason: unknown } | undefined;
      try {
        runSharedTask(shared as SharedOp<never>, ready as never, task);
      } catch (reason) {
        failure = { reason };
      }
      // The staged inputs stay held until no worker can read them any more.
      const settled = await Promise.allSettled(remote);
      failure ??= settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failure) throw failure.reason;
      const result: Record<string, Tensor> = {};
      for (const [key, shape] of shapes) {
        // A worker faults in the next output while this thread goes on with the caller's work.
        reserve(`${name}.${key}`).refill(outputs[key].byteLength, (buffer, stop) =>
          workers.prefault(0, buffer, stop),
        );
        result[key] = { data: outputs[key], shape };
      }
      return result;
    } finally {
      arena.release(held);
    }
  }

  function reserve(slot: string): OutputReserve {
    let found = reserves.get(slot);
    if (!found) {
      found = new OutputReserve();
      reserves.set(slot, found);
    }
    return found;
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
    convolveVjp: (i, grad) =>
      run<WithGrad<typeof i>, ConvolveGrads>(
        'convolveVjp',
        { ...i, grad },
        i.u.data.length * i.k.shape[0] * 48,
      ),
    dplrKernelVjp: (p, grad) =>
      run<WithGrad<typeof p>, DplrKernelGrads<RealArray>>(
        'dplrKernelVjp',
        { ...p, grad },
        p.Lambda.data.length * (p.L ?? p.lKernel) * 8,
      ),
    diagKernelVjp: (p, grad) =>
      run<WithGrad<typeof p>, DiagKernelGrads<RealArray>>(
        'diagKernelVjp',
        { ...p, grad },
        p.Lambda.data.length * p.L * 2,
      ),
    dispose: async () => {
      arena.clear();
      for (const spare of reserves.values()) spare.clear();
      await pool?.dispose();
    },
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

/** The result with every tensor output converted to the backend's precision (the kernel VJPs return float64). */
function castOutputs<I, O extends object>(result: O, layout: OpLayout<I>, dtype: DType): O {
  const out: Record<string, unknown> = { ...(result as Record<string, unknown>) };
  for (const key of Object.keys(layout.outputs)) {
    const t = out[key] as Tensor | undefined;
    if (t) out[key] = { data: castArray(t.data, dtype), shape: t.shape };
  }
  return out as O;
}

function castArray(data: RealArray, dtype: DType): RealArray {
  if (dtype === 'float64') return data instanceof Float64Array ? data : Float64Array.from(data);
  return data instanceof Float32Array ? data : Float32Array.from(data);
}
