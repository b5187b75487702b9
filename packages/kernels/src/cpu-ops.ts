import type { ComplexTensor, Tensor } from '@statespace/complex';
import { rfftPlan } from '@statespace/fft';
import type {
  CauchyInput,
  ConvolveInput,
  VandermondeInput,
  VandermondeTransposeInput,
  WithGrad,
} from './backend';
import type { BackendOpName, TransformInput } from './backend-layout';
import { cauchy } from './cauchy';
import { convolve } from './conv';
import { convolveVjp } from './conv-vjp';
import { type DiagKernelParams, diagKernel } from './diag-kernel';
import { diagKernelVjp } from './diag-kernel-vjp';
import { type DplrKernelParams, dplrKernel } from './dplr-kernel';
import { dplrKernelVjp } from './dplr-kernel-vjp';
import { vandermonde, vandermondeTranspose } from './vandermonde';

// The CPU backend's operations in one table, so that the main thread and its worker threads run
// the very same code. Results are objects with the output names of `BACKEND_LAYOUT` (the kernel
// VJPs return float64; the backend casts results to its precision).

function transform(x: Tensor | ComplexTensor, n: number, direction: 'forward' | 'inverse') {
  const plan = rfftPlan(n, x.data instanceof Float64Array ? 'float64' : 'float32');
  const rows = x.shape[0];
  const width = x.shape[1];
  const inLength = direction === 'forward' ? n : 2 * plan.bins;
  // Rows are zero-padded or truncated to what the plan reads (numpy's `n` semantics).
  const staged =
    x.data instanceof Float64Array ? new Float64Array(rows * inLength) : new Float32Array(rows * inLength);
  const stride = direction === 'forward' ? width : 2 * width;
  const copy = Math.min(stride, inLength);
  for (let r = 0; r < rows; r++) staged.set(x.data.subarray(r * stride, r * stride + copy), r * inLength);
  const data = direction === 'forward' ? plan.forwardRows(staged, rows) : plan.inverseRows(staged, rows);
  return { out: { data, shape: [rows, direction === 'forward' ? plan.bins : n] } };
}

export const CPU_OPS: Record<BackendOpName, (input: never) => object> = {
  cauchy: (i: CauchyInput) => ({ out: cauchy(i.v, i.w, i.z) }),
  vandermonde: (i: VandermondeInput) => ({ out: vandermonde(i.v, i.x, i.L) }),
  vandermondeTranspose: (i: VandermondeTransposeInput) => ({ out: vandermondeTranspose(i.u, i.v, i.x) }),
  convolve: (i: ConvolveInput) => ({ out: convolve(i) }),
  rfft: (i: TransformInput) => transform(i.x, i.n, 'forward'),
  irfft: (i: TransformInput) => transform(i.x, i.n, 'inverse'),
  dplrKernel: (i: DplrKernelParams) => dplrKernel(i),
  diagKernel: (i: DiagKernelParams) => diagKernel(i),
  convolveVjp: (i: WithGrad<ConvolveInput>) => convolveVjp(i, i.grad),
  dplrKernelVjp: (i: WithGrad<DplrKernelParams>) => dplrKernelVjp(i, i.grad),
  diagKernelVjp: (i: WithGrad<DiagKernelParams>) => diagKernelVjp(i, i.grad),
};
