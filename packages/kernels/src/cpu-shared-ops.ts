import type { RealArray, Tensor } from '@statespace/complex';
import type { ConvolveInput, WithGrad } from './backend';
import { BACKEND_LAYOUT, type BackendOpName, type OpLayout, sliceFeatures } from './backend-layout';
import { checkConvolveInput, convolveFeatures } from './conv';
import {
  type ConvolveGradArrays,
  checkConvolveVjp,
  convolveVjpFeatures,
  convolveVjpShapes,
} from './conv-vjp';
import { type DiagKernelParams, diagKernel, diagKernelSizes } from './diag-kernel';
import { type DplrKernelParams, dplrKernel, dplrKernelSizes } from './dplr-kernel';
import { runClaimed } from './feature-claims';
import { placeAxis } from './h-split';
import type { SsmKernelArrays, SsmKernelOutput } from './kernel-output';
import { scratch } from './scratch';

// The CPU backend's operations that threads run in place: every thread reads the whole input from
// shared memory and writes the features it claims straight into shared outputs, so nothing is
// joined on the calling thread, and a thread slowed down by other processes simply claims less.

/** An operation computed in place by several threads. */
export interface SharedOp<I> {
  /** The shapes of the outputs by name; throws for an invalid input, before any thread starts. */
  outputShapes(input: I): Record<string, number[]>;
  /** Computes the features [start, end) into their places in the (whole) outputs. */
  run(input: I, outputs: Record<string, RealArray>, start: number, end: number): void;
}

/** What one thread needs to take part in a shared operation. */
export interface SharedTask {
  /** The whole outputs, in shared memory. */
  outputs: Record<string, RealArray>;
  /** The shared claim counter of the call (see `feature-claims`). */
  counter: Int32Array;
  features: number;
  chunk: number;
}

/**
 * A kernel operation in place: each claimed range is computed as a problem of its own (the
 * features are independent) into reused work arrays, and its rows are placed into the shared
 * outputs (fresh arrays per range would each be first touched, which is slow on some machines).
 */
function kernelOp<P extends object>(
  name: 'dplrKernel' | 'diagKernel',
  compute: (params: P, out: SsmKernelArrays) => SsmKernelOutput,
  sizes: (params: P) => { channels: number; H: number; L: number; batch: number },
): SharedOp<P> {
  const layout = BACKEND_LAYOUT[name] as unknown as OpLayout<P>;
  return {
    outputShapes(params) {
      const { channels, H, L, batch } = sizes(params);
      const shapes: Record<string, number[]> = { K: [channels, H, L] };
      if (batch > 0) shapes.K_state = [batch, channels, H, L];
      return shapes;
    },
    run(params, outputs, start, end) {
      const features = layout.features(params);
      // The range's share of each output: the feature axis cut to end − start.
      const share = (key: string) =>
        scratch(`shared.${key}`, (outputs[key].length / features) * (end - start));
      const arrays: SsmKernelArrays = {
        K: share('K'),
        ...(outputs.K_state ? { K_state: share('K_state') } : {}),
      };
      const part = compute(sliceFeatures(layout, params, start, end), arrays) as unknown as Record<
        string,
        Tensor
      >;
      for (const [key, { axis }] of Object.entries(layout.outputs)) {
        if (part[key] && axis !== undefined) placeAxis(part[key], outputs[key], axis, start, features);
      }
    },
  };
}

export const CPU_SHARED_OPS: Partial<Record<BackendOpName, SharedOp<never>>> = {
  convolve: {
    outputShapes: (i: ConvolveInput) => {
      const [batch, H, L] = checkConvolveInput(i);
      return { out: [batch, i.k.shape[0], H, L] };
    },
    run: (i, outputs, start, end) => convolveFeatures(i, outputs.out, start, end),
  } satisfies SharedOp<ConvolveInput>,
  convolveVjp: {
    outputShapes: (i: WithGrad<ConvolveInput>) => {
      checkConvolveVjp(i, i.grad);
      return convolveVjpShapes(i);
    },
    run: (i, outputs, start, end) =>
      convolveVjpFeatures(i, i.grad, outputs as unknown as ConvolveGradArrays, start, end),
  } satisfies SharedOp<WithGrad<ConvolveInput>>,
  dplrKernel: kernelOp<DplrKernelParams>('dplrKernel', dplrKernel, dplrKernelSizes),
  diagKernel: kernelOp<DiagKernelParams>('diagKernel', diagKernel, diagKernelSizes),
};

/** This thread's share of a shared operation: claimed ranges until none are left. */
export function runSharedTask(op: SharedOp<never>, input: never, task: SharedTask): void {
  runClaimed(task.counter, task.features, task.chunk, (start, end) =>
    op.run(input, task.outputs, start, end),
  );
}
