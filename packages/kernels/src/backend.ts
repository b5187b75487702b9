import type { ComplexTensor, DType, RealArray, Tensor } from '@statespace/complex';
import type { ConvolveGrads } from './conv-vjp';
import type { DiagKernelParams } from './diag-kernel';
import type { DiagKernelGrads } from './diag-kernel-vjp';
import type { DplrKernelParams } from './dplr-kernel';
import type { DplrKernelGrads } from './dplr-kernel-vjp';
import type { SsmKernelOutput } from './kernel-output';

/**
 * The heavy operations of S4 and S4D, behind one interface that the CPU, WebGPU and gpu.js
 * backends implement. Every method is asynchronous because GPU backends are; inputs and outputs
 * are host arrays in the project's convention (row-major, complex interleaved), so GPU-resident
 * data never leaves a backend. A backend computes in its own `dtype` and returns arrays of that
 * precision whatever precision its inputs have.
 *
 * Shapes use: `batch` independent rows sharing one set of poles, `H` features (independent SSMs),
 * `N2` stored modes (half the state size; their conjugates are implied), `L` lengths.
 */
export interface KernelBackend {
  /** A short identifier: `cpu`, `webgpu`, `gpujs`. */
  readonly name: string;
  /** The precision this backend computes in. */
  readonly dtype: DType;
  /** Human-readable details (device, threads, adapter), for logs and benchmark output. */
  describe(): string;

  /**
   * Conjugate-pair Cauchy sums, r[b,h,l] = Σ_n v[b,h,n]/(z_l − w[h,n]) + conj(v[b,h,n])/(z_l − conj w[h,n]).
   * v: [batch, H, N2], w: [H, N2], z: [Lz]; returns complex [batch, H, Lz].
   */
  cauchy(input: CauchyInput): Promise<ComplexTensor>;

  /**
   * The S4D kernel sum K[b,h,l] = 2·Re Σ_n v[b,h,n]·exp(x[h,n]·l) for l < L.
   * v: [batch, H, N2], x: [H, N2]; returns real [batch, H, L].
   */
  vandermonde(input: VandermondeInput): Promise<Tensor>;

  /**
   * The transposed Vandermonde product used to forward diagonal states,
   * s[b,h,n] = Σ_l u[b,h,l]·v[h,n]·exp(x[h,n]·l).
   * u: real [batch, H, L], v: [H, N2], x: [H, N2]; returns complex [batch, H, N2].
   */
  vandermondeTranspose(input: VandermondeTransposeInput): Promise<ComplexTensor>;

  /** Real FFT of each row: x [rows, len] zero-padded or truncated to n; returns complex [rows, ⌊n/2⌋+1]. */
  rfft(x: Tensor, n: number): Promise<ComplexTensor>;

  /** Inverse real FFT of each row: X [rows, bins]; returns real [rows, n] (numpy semantics). */
  irfft(x: ComplexTensor, n: number): Promise<Tensor>;

  /**
   * Batched causal convolution with a kernel bank (FFTConv without its activation):
   * y[b,c,h,t] = Σ_{s≤t} k[c,h,s]·u[b,h,t−s] + D[c,h]·u[b,h,t]
   *              (+ Σ_{d≥1} kReverse[c,h,d−1]·u[b,h,t+d] when `kReverse` is given).
   * u: [batch, H, L], k and kReverse: [C, H, Lk], D: [C, H]; returns real [batch, C, H, L].
   */
  convolve(input: ConvolveInput): Promise<Tensor>;

  /**
   * The S4 (DPLR, bilinear) kernel of a layer from its parameters: Cauchy sums at the roots of
   * unity, Woodbury correction, 2/(1+ω) factor and inverse real FFT, without leaving the backend.
   */
  dplrKernel(params: DplrKernelParams): Promise<SsmKernelOutput>;

  /** The S4D (diagonal) kernel of a layer from its parameters (zoh, bilinear or dss). */
  diagKernel(params: DiagKernelParams): Promise<SsmKernelOutput>;

  // Backward operations: the vector-Jacobian products of the heavy forward operations, with the
  // semantics of the CPU functions of the same name (`convolveVjp`, `diagKernelVjp`,
  // `dplrKernelVjp`) and results in this backend's precision. The backend does the O(H·N·L) and
  // O(batch·H·L·log L) work; the O(H·N) host steps around it are shared by every backend.

  /**
   * The gradients of `convolve` with respect to u, k and (when given) D and kReverse, from
   * `grad` = ∂ℓ/∂y, real [batch, C, H, L]: FFT correlations of the gradient with the kernels (for
   * u) and with the inputs (for the kernels; D's is the lag-0 one).
   */
  convolveVjp(input: ConvolveInput, grad: Tensor): Promise<ConvolveGrads>;

  /**
   * The gradients of `diagKernel`'s K with respect to Λ, B, C and Δ, from `grad` = ∂ℓ/∂K,
   * real [channels, H, L]. The heavy part is a transposed Vandermonde product: the moments
   * Σ_l g_l·e^{x·l} and Σ_l l·g_l·e^{x·l} of every gradient row. No states.
   */
  diagKernelVjp(params: DiagKernelParams, grad: Tensor): Promise<DiagKernelGrads<RealArray>>;

  /**
   * The gradients of `dplrKernel`'s K with respect to Λ, P, B, C̃ and Δ, from `grad` = ∂ℓ/∂K,
   * real [channels, H, L]. The heavy part is the adjoint of the inverse FFT, the Cauchy sums, the
   * Woodbury correction's VJP and transposed Cauchy sums Σ_l g_l/(z_l − w_n) and
   * Σ_l g_l/(z_l − w_n)². No states.
   */
  dplrKernelVjp(params: DplrKernelParams, grad: Tensor): Promise<DplrKernelGrads<RealArray>>;

  /** Releases what the backend holds (GPU devices, buffers, worker threads). */
  dispose(): Promise<void>;
}

export interface CauchyInput {
  v: ComplexTensor;
  w: ComplexTensor;
  z: ComplexTensor;
}

export interface VandermondeInput {
  v: ComplexTensor;
  x: ComplexTensor;
  L: number;
}

export interface VandermondeTransposeInput {
  u: Tensor;
  v: ComplexTensor;
  x: ComplexTensor;
}

export interface ConvolveInput {
  u: Tensor;
  k: Tensor;
  D?: Tensor;
  /**
   * Anticausal kernel of a bidirectional layer: the input at future offset d ≥ 1 is weighted by
   * `kReverse[d−1]` — the official FFTConv's deliberate off-by-one, kept so weights interchange.
   */
  kReverse?: Tensor;
}

/**
 * A forward operation's input together with the gradient of its output: the one object that the
 * backward operations of `BACKEND_LAYOUT` take (so that it can be cut along the features).
 */
export type WithGrad<I> = I & {
  /** ∂ℓ/∂output, in the output's shape. */
  grad: Tensor;
};
