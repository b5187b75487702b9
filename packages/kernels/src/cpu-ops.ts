import type { ComplexTensor, Tensor } from '@statespace/complex';
import { rfftPlan } from '@statespace/fft';
import type { CauchyInput, ConvolveInput, VandermondeInput, VandermondeTransposeInput } from './backend';
import { cauchy } from './cauchy';
import { convolve } from './conv';
import { type DiagKernelParams, diagKernel } from './diag-kernel';
import { type DplrKernelParams, dplrKernel } from './dplr-kernel';
import type { SsmKernelOutput } from './kernel-output';
import { vandermonde, vandermondeTranspose } from './vandermonde';

// The CPU backend's operations in one table, so that the main thread and its worker threads run
// the very same code. Each entry says where the H features sit in its tensors, which is how work
// is split across threads.

/** A tensor field of an operation's input or output, and its feature axis. */
export interface FieldSpec {
  complex: boolean;
  /** The axis of the H features; `undefined` when every feature shares the whole tensor. */
  axis: number | undefined;
}

export interface CpuOp<I, O> {
  run(input: I): O;
  inputs: Record<string, FieldSpec>;
  outputs: Record<string, FieldSpec>;
  /** The number of independent features (rows) the work can be split into. */
  features(input: I): number;
}

export interface TransformInput {
  x: Tensor | ComplexTensor;
  n: number;
}

const real = (axis: number | undefined): FieldSpec => ({ complex: false, axis });
const cplx = (axis: number | undefined): FieldSpec => ({ complex: true, axis });

function transform(x: Tensor | ComplexTensor, n: number, direction: 'forward' | 'inverse') {
  const plan = rfftPlan(n, x.data instanceof Float64Array ? 'float64' : 'float32');
  const rows = x.shape[0];
  const width = x.shape[1];
  const inLength = direction === 'forward' ? n : 2 * plan.bins;
  // Rows are zero-padded or truncated to what the plan reads (numpy's `n` semantics).
  const staged =
    x.data instanceof Float64Array ? new Float64Array(rows * inLength) : new Float32Array(rows * inLength);
  const copy = Math.min(direction === 'forward' ? width : 2 * width, inLength);
  const stride = direction === 'forward' ? width : 2 * width;
  for (let r = 0; r < rows; r++) staged.set(x.data.subarray(r * stride, r * stride + copy), r * inLength);
  const data = direction === 'forward' ? plan.forwardRows(staged, rows) : plan.inverseRows(staged, rows);
  return { out: { data, shape: [rows, direction === 'forward' ? plan.bins : n] } };
}

export const CPU_OPS = {
  cauchy: {
    run: (i: CauchyInput) => ({ out: cauchy(i.v, i.w, i.z) }),
    inputs: { v: cplx(1), w: cplx(0), z: cplx(undefined) },
    outputs: { out: cplx(1) },
    features: (i: CauchyInput) => i.w.shape[0],
  } satisfies CpuOp<CauchyInput, { out: ComplexTensor }>,
  vandermonde: {
    run: (i: VandermondeInput) => ({ out: vandermonde(i.v, i.x, i.L) }),
    inputs: { v: cplx(1), x: cplx(0) },
    outputs: { out: real(1) },
    features: (i: VandermondeInput) => i.x.shape[0],
  } satisfies CpuOp<VandermondeInput, { out: Tensor }>,
  vandermondeTranspose: {
    run: (i: VandermondeTransposeInput) => ({ out: vandermondeTranspose(i.u, i.v, i.x) }),
    inputs: { u: real(1), v: cplx(0), x: cplx(0) },
    outputs: { out: cplx(1) },
    features: (i: VandermondeTransposeInput) => i.x.shape[0],
  } satisfies CpuOp<VandermondeTransposeInput, { out: ComplexTensor }>,
  convolve: {
    run: (i: ConvolveInput) => ({ out: convolve(i) }),
    inputs: { u: real(1), k: real(1), D: real(1), kReverse: real(1) },
    outputs: { out: real(2) },
    features: (i: ConvolveInput) => i.u.shape[1],
  } satisfies CpuOp<ConvolveInput, { out: Tensor }>,
  rfft: {
    run: (i: TransformInput) => transform(i.x, i.n, 'forward'),
    inputs: { x: real(0) },
    outputs: { out: cplx(0) },
    features: (i: TransformInput) => i.x.shape[0],
  } satisfies CpuOp<TransformInput, { out: Tensor | ComplexTensor }>,
  irfft: {
    run: (i: TransformInput) => transform(i.x, i.n, 'inverse'),
    inputs: { x: cplx(0) },
    outputs: { out: real(0) },
    features: (i: TransformInput) => i.x.shape[0],
  } satisfies CpuOp<TransformInput, { out: Tensor | ComplexTensor }>,
  dplrKernel: {
    run: (i: DplrKernelParams) => dplrKernel(i),
    inputs: { Lambda: cplx(0), P: cplx(1), B: cplx(0), dt: real(0), C: cplx(1), state: cplx(1) },
    outputs: { K: real(1), K_state: real(2) },
    features: (i: DplrKernelParams) => i.Lambda.shape[0],
  } satisfies CpuOp<DplrKernelParams, SsmKernelOutput>,
  diagKernel: {
    run: (i: DiagKernelParams) => diagKernel(i),
    inputs: { Lambda: cplx(0), B: cplx(0), C: cplx(1), dt: real(0), state: cplx(1) },
    outputs: { K: real(1), K_state: real(2) },
    features: (i: DiagKernelParams) => i.Lambda.shape[0],
  } satisfies CpuOp<DiagKernelParams, SsmKernelOutput>,
};

export type CpuOpName = keyof typeof CPU_OPS;
