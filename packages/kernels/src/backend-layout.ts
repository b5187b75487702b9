import type { ComplexTensor, Tensor } from '@statespace/complex';
import type {
  CauchyInput,
  ConvolveInput,
  VandermondeInput,
  VandermondeTransposeInput,
  WithGrad,
} from './backend';
import type { DiagKernelParams } from './diag-kernel';
import type { DplrKernelParams } from './dplr-kernel';
import { concatAxis, featureRanges, sliceAxis } from './h-split';

// Every operation of the backend interface is independent across the H features. These tables say
// on which axis of each tensor the features sit, so that any backend can cut a problem into feature
// ranges — the CPU backend to spread it over threads, a GPU backend to fit its buffer limits — and
// join the results back.

/** A tensor field of an operation's input or output, and its feature axis. */
export interface FieldLayout {
  complex: boolean;
  /** The axis of the H features; `undefined` when every feature shares the whole tensor. */
  axis: number | undefined;
}

/** The feature layout of one operation. */
export interface OpLayout<I> {
  inputs: Record<string, FieldLayout>;
  outputs: Record<string, FieldLayout>;
  /** The number of independent features (rows) of an input. */
  features(input: I): number;
}

/** Inputs of the transform operations (`rfft`, `irfft`) as one object. */
export interface TransformInput {
  x: Tensor | ComplexTensor;
  n: number;
}

const real = (axis: number | undefined): FieldLayout => ({ complex: false, axis });
const cplx = (axis: number | undefined): FieldLayout => ({ complex: true, axis });

/** The feature layout of every {@link KernelBackend} operation. Single-tensor results are named `out`. */
export const BACKEND_LAYOUT = {
  cauchy: {
    inputs: { v: cplx(1), w: cplx(0), z: cplx(undefined) },
    outputs: { out: cplx(1) },
    features: (i: CauchyInput) => i.w.shape[0],
  } satisfies OpLayout<CauchyInput>,
  vandermonde: {
    inputs: { v: cplx(1), x: cplx(0) },
    outputs: { out: real(1) },
    features: (i: VandermondeInput) => i.x.shape[0],
  } satisfies OpLayout<VandermondeInput>,
  vandermondeTranspose: {
    inputs: { u: real(1), v: cplx(0), x: cplx(0) },
    outputs: { out: cplx(1) },
    features: (i: VandermondeTransposeInput) => i.x.shape[0],
  } satisfies OpLayout<VandermondeTransposeInput>,
  convolve: {
    inputs: { u: real(1), k: real(1), D: real(1), kReverse: real(1) },
    outputs: { out: real(2) },
    features: (i: ConvolveInput) => i.u.shape[1],
  } satisfies OpLayout<ConvolveInput>,
  rfft: {
    inputs: { x: real(0) },
    outputs: { out: cplx(0) },
    features: (i: TransformInput) => i.x.shape[0],
  } satisfies OpLayout<TransformInput>,
  irfft: {
    inputs: { x: cplx(0) },
    outputs: { out: real(0) },
    features: (i: TransformInput) => i.x.shape[0],
  } satisfies OpLayout<TransformInput>,
  dplrKernel: {
    inputs: { Lambda: cplx(0), P: cplx(1), B: cplx(0), dt: real(0), C: cplx(1), state: cplx(1) },
    outputs: { K: real(1), K_state: real(2) },
    features: (i: DplrKernelParams) => i.Lambda.shape[0],
  } satisfies OpLayout<DplrKernelParams>,
  diagKernel: {
    inputs: { Lambda: cplx(0), B: cplx(0), C: cplx(1), dt: real(0), state: cplx(1) },
    outputs: { K: real(1), K_state: real(2) },
    features: (i: DiagKernelParams) => i.Lambda.shape[0],
  } satisfies OpLayout<DiagKernelParams>,
  // Backward operations: the forward's input with `grad` (∂ℓ/∂output), and the gradients by input name.
  convolveVjp: {
    inputs: { u: real(1), k: real(1), D: real(1), kReverse: real(1), grad: real(2) },
    outputs: { u: real(1), k: real(1), D: real(1), kReverse: real(1) },
    features: (i: WithGrad<ConvolveInput>) => i.u.shape[1],
  } satisfies OpLayout<WithGrad<ConvolveInput>>,
  dplrKernelVjp: {
    inputs: { Lambda: cplx(0), P: cplx(1), B: cplx(0), dt: real(0), C: cplx(1), grad: real(1) },
    outputs: { Lambda: cplx(0), P: cplx(1), B: cplx(0), C: cplx(1), dt: real(0) },
    features: (i: WithGrad<DplrKernelParams>) => i.Lambda.shape[0],
  } satisfies OpLayout<WithGrad<DplrKernelParams>>,
  diagKernelVjp: {
    inputs: { Lambda: cplx(0), B: cplx(0), C: cplx(1), dt: real(0), grad: real(1) },
    outputs: { Lambda: cplx(0), B: cplx(0), C: cplx(1), dt: real(0) },
    features: (i: WithGrad<DiagKernelParams>) => i.Lambda.shape[0],
  } satisfies OpLayout<WithGrad<DiagKernelParams>>,
};

/** The name of a backend operation. */
export type BackendOpName = keyof typeof BACKEND_LAYOUT;

/**
 * Cuts an operation's input into at most `parts` feature ranges. Every split tensor must hold the
 * same H features, or the ranges would cut it wrongly: that is checked first, naming the tensor.
 */
export function splitByFeatures<I extends object>(layout: OpLayout<I>, input: I, parts: number): I[] {
  const features = checkFeatures(layout, input);
  return featureRanges(features, parts).map(([start, end]) => sliceFeatures(layout, input, start, end));
}

/** The input of an operation restricted to the features [start, end) (each split tensor copied). */
export function sliceFeatures<I extends object>(
  layout: OpLayout<I>,
  input: I,
  start: number,
  end: number,
): I {
  const fields = input as Record<string, Tensor | undefined>;
  const part: Record<string, unknown> = { ...fields };
  for (const [key, spec] of Object.entries(layout.inputs)) {
    const t = fields[key];
    if (t) part[key] = sliceAxis({ tensor: t, ...spec }, start, end);
  }
  return part as I;
}

/**
 * Checks that every tensor of an operation's input that is cut along the features holds the same
 * H features, naming the tensor at fault; returns H.
 */
export function checkFeatures<I extends object>(layout: OpLayout<I>, input: I): number {
  const features = layout.features(input);
  const fields = input as Record<string, Tensor | undefined>;
  for (const [key, spec] of Object.entries(layout.inputs)) {
    const t = fields[key];
    if (t && spec.axis !== undefined && t.shape[spec.axis] !== features) {
      throw new RangeError(
        `${key} must have ${features} features (H) on axis ${spec.axis}; got shape [${t.shape.join(', ')}]`,
      );
    }
  }
  return features;
}

/** Joins the outputs of consecutive feature ranges (the inverse of {@link splitByFeatures}). */
export function joinByFeatures<O extends object>(layout: OpLayout<unknown>, results: O[]): O {
  const out: Record<string, unknown> = { ...(results[0] as Record<string, unknown>) };
  for (const [key, spec] of Object.entries(layout.outputs)) {
    const parts = results.map((r) => (r as Record<string, Tensor | undefined>)[key]);
    if (parts[0] && spec.axis !== undefined)
      out[key] = concatAxis(parts as Tensor[], spec.axis, spec.complex);
  }
  return out as unknown as O;
}
