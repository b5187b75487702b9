import {
  allocateLike,
  assertInteger,
  assertOneOf,
  type ComplexArray,
  type ComplexTensor,
  conjExpand,
  type RealArray,
  type Tensor,
} from '@statespace/complex';
import { type DplrBilinearStepper, dplrBilinear, dplrBilinearDense } from '@statespace/discretize';
import { cinverse, eig } from '@statespace/linalg';
import { cFromCTilde } from './c-tilde';
import {
  assertChannelsTensor,
  assertOutputTensor,
  assertStateTensor,
  assertStepInput,
  type StepResult,
} from './diag-step';
import type { DplrSystem } from './dplr-system';

// The recurrent (RNN) mode of S4, as the official `SSMKernelDPLR._setup_step(mode)` / `step`.
// Setup works in float64 on the full, conjugate-expanded state of N = 2·N2 modes: the dense
// bilinear Ā and B̄ (`_setup_state`), and the true output matrix recovered from C̃ by
// (I − Ā^{l_kernel})ᵀ·dC = [C̃, conj C̃]. The three modes then step the same recurrence
// x' = Ā x + B̄ u, y = Re(dC·x') differently:
// - dense: the full state with the dense Ā, O(N²) per feature and step;
// - linear: the half state through the O(N) DPLR bilinear stepper, y = Re(2·dC[:N2]·x);
// - diagonal: the eigenbasis of Ā, O(N) per feature and step but as accurate as the
//   eigendecomposition (Ā is not normal, so V can be ill-conditioned).

/** The step modes of S4 (the official `_setup_step(mode)`); `dense` is the official default. */
export const DPLR_STEP_MODES = ['dense', 'linear', 'diagonal'] as const;

/** One of {@link DPLR_STEP_MODES}. */
export type DplrStepMode = (typeof DPLR_STEP_MODES)[number];

/** Options of {@link setupDplrStep}. */
export interface DplrStepOptions {
  /**
   * The kernel length C̃ is attuned to (the official `l_kernel` buffer), an integer ≥ 0: the
   * output parameter is C̃ = C(I − Ā^{lKernel}); 0 means it is the plain C. Required: a wrong
   * value silently changes the outputs.
   */
  lKernel: number;
  /** How to step (default `dense`, as officially). */
  mode?: DplrStepMode;
}

/**
 * A set-up S4 recurrence (see {@link setupDplrStep}). Its matrices are fixed at setup: call
 * `setupDplrStep` again after any parameter change.
 */
export interface DplrStepper<A extends ComplexArray = ComplexArray> {
  /** The step mode. */
  readonly mode: DplrStepMode;
  /** Number of features H. */
  readonly H: number;
  /** Stored modes per feature of the parameters, N2 = N/2. */
  readonly halfN: number;
  /** Rank of the low-rank part. */
  readonly rank: number;
  /** Output channels. */
  readonly channels: number;
  /** The length C̃ was attuned to (0: plain C). */
  readonly lKernel: number;
  /** Complex entries per feature of the state: N (`dense`, `diagonal`) or N2 (`linear`). */
  readonly stateSize: number;
  /**
   * ‖V·diag(λ)·V⁻¹ − Ā‖_F / ‖Ā‖_F of the eigendecomposition Ā = V·diag(λ)·V⁻¹, the largest over
   * the H features, in `diagonal` mode (the official code prints it); 0 in the other modes,
   * which do not diagonalise.
   */
  readonly diagonalizationError: number;
  /**
   * The state matrix, in the stepper's precision, a fresh copy on every read: the dense Ā over
   * the full state, complex `[H, N, N]`, in `dense` and `linear` mode (which applies it
   * implicitly in O(N); computed on first read there); the eigenvalues λ, complex `[H, N]`, in
   * `diagonal` mode.
   */
  readonly dA: ComplexTensor<A>;
  /**
   * The input matrix, a fresh copy on every read: B̄ over the full state, complex `[H, N]`
   * (`dense`, `linear`), or V⁻¹·B̄ (`diagonal`).
   */
  readonly dB: ComplexTensor<A>;
  /**
   * The output matrix, a fresh copy on every read: the true C over the full state, complex
   * `[channels, H, N]` (`dense`), 2·C over the stored half, `[channels, H, N2]` (`linear`), or
   * C·V, `[channels, H, N]` (`diagonal`).
   */
  readonly dC: ComplexTensor<A>;
  /** A zero state, complex `[batch, H, stateSize]` in the stepper's precision. */
  defaultState(batch: number): ComplexTensor<A>;
  /**
   * One step x' = Ā x + B̄ u, y = Re(dC·x') in the stepper's mode. Products accumulate in
   * float64 (JS numbers) and round once to the output's precision.
   *
   * @param u - Input, real `[batch, H]`, finite.
   * @param state - Current state, complex `[batch, H, stateSize]`; not modified unless it is
   *   also passed as `outState`.
   * @param outY - Optional output, real `[batch, channels, H]`; allocated otherwise.
   * @param outState - Optional next state, complex `[batch, H, stateSize]`; may be `state`
   *   itself (an in-place update) but must not otherwise overlap it. Allocated otherwise.
   * @returns `{ y, state }`: the given output tensors when passed. No typed array is allocated
   *   then (the `linear` mode creates small subarray views of them, no buffers).
   * @throws RangeError on shape mismatches (naming the argument) or a non-finite `u`.
   */
  step<Y extends RealArray = A, S extends ComplexArray = A>(
    u: Tensor,
    state: ComplexTensor,
    outY?: Tensor<Y>,
    outState?: ComplexTensor<S>,
  ): StepResult<Y, S>;
}

/**
 * Sets up the recurrent step of H DPLR (S4) systems, as the official
 * `SSMKernelDPLR._setup_step(mode)`: the bilinear Ā, B̄ over the full state
 * (`_setup_state`), the true C from C̃ (`dC = solve(I − (Ā^{lKernel})ᵀ, [C̃, conj C̃])`, or
 * `[C, conj C]` when `lKernel` is 0), then the mode's form (see {@link DplrStepper}).
 *
 * All setup arithmetic is float64 whatever the inputs' precision; the stepper then computes in
 * the precision of `system.Lambda` (float32 parameters give float32 states and outputs). The
 * inputs are never modified (the official `_setup_C` rewrites C in place; this does not), so
 * setup may be repeated freely. Cost: O(H·N³) with `lKernel` > 0 or in `diagonal` mode
 * (matrix powers, solves, eigendecompositions), O(H·N²·r) otherwise.
 *
 * @param system - Λ `[H, N2]`, P `[rank, H, N2]`, B `[H, N2]`, Δ `[H]`: finite, Δ > 0.
 * @param Ctilde - The output parameter C̃ for length `lKernel` (C itself if 0), complex
 *   `[channels, H, N2]`.
 * @throws RangeError on bad shapes, non-finite parameters, Δ ≤ 0, `lKernel` < 0 or not an
 *   integer, an unknown mode (listing the accepted ones), a singular I − Ā^{lKernel}, or (in
 *   `diagonal` mode) a defective Ā; Error if an eigendecomposition does not converge.
 */
export function setupDplrStep<A extends ComplexArray>(
  system: DplrSystem & { Lambda: ComplexTensor<A> },
  Ctilde: ComplexTensor,
  options: DplrStepOptions,
): DplrStepper<A> {
  if (system === null || typeof system !== 'object') {
    throw new TypeError('system must be an object { Lambda, P, B, dt }');
  }
  if (options === null || typeof options !== 'object') {
    throw new TypeError('options must be an object { lKernel, mode? }');
  }
  const { lKernel } = options;
  const mode = options.mode ?? 'dense';
  assertOneOf('mode', mode, DPLR_STEP_MODES);
  assertInteger('lKernel', lKernel, 0);
  // Validates Λ, P, B (shapes, finite) and Δ (finite, > 0); its arrays have Λ's precision.
  const linear = dplrBilinear(system.Lambda, system.P, system.B, system.dt);
  const { H, halfN, rank } = linear;
  const N = 2 * halfN;
  const channels = assertChannelsTensor('Ctilde', Ctilde, H, halfN);
  const like = system.Lambda.data;

  // Float64 copies: the setup must not lose precision to float32 parameters.
  const system64: DplrSystem = {
    Lambda: to64(system.Lambda),
    P: to64(system.P),
    B: to64(system.B),
    dt: { data: Float64Array.from(system.dt.data), shape: [...system.dt.shape] },
  };
  const linear64 =
    like instanceof Float64Array
      ? linear
      : dplrBilinear(system64.Lambda, system64.P, system64.B, system64.dt);
  let dense: { dA: Float64Array; dB: Float64Array } | undefined;
  const denseSystem = () => {
    if (dense === undefined) {
      const d = dplrBilinearDense(linear64 as DplrBilinearStepper<Float64Array>);
      dense = { dA: d.dA.data, dB: d.dB.data };
    }
    return dense;
  };

  // The true output matrix over the full state, [channels, H, N], float64.
  const C64 = Float64Array.from(Ctilde.data);
  const fullC =
    lKernel === 0
      ? conjExpand(C64, channels * H)
      : Float64Array.from(cFromCTilde(system64, { data: C64, shape: [channels, H, halfN] }, lKernel).data);
  assertSolved('dC (the solve of (I − Ā^lKernel)ᵀ·dC = [C̃, conj C̃])', fullC, lKernel);

  let a: A;
  let b: A;
  let c: A;
  let diagonalizationError = 0;
  if (mode === 'linear') {
    // Only the stored half of each row: y = Re(2·Σ_{n<N2} C_n x_n) for a half state.
    c = allocateLike(like, 2 * channels * H * halfN);
    for (let row = 0; row < channels * H; row++) {
      for (let i = 0; i < 2 * halfN; i++) c[2 * row * halfN + i] = 2 * fullC[2 * row * N + i];
    }
    // The half state steps through `linear`; Ā and B̄ are only materialised if read.
    a = allocateLike(like, 0);
    b = allocateLike(like, 0);
  } else if (mode === 'dense') {
    const { dA, dB } = denseSystem();
    a = cast(like, dA);
    b = cast(like, dB);
    c = cast(like, fullC);
  } else {
    const diag = diagonalize(denseSystem(), fullC, H, N, channels);
    diagonalizationError = diag.error;
    a = cast(like, diag.values);
    b = cast(like, diag.dB);
    c = cast(like, diag.dC);
  }

  // Only `linear` mode reads the float64 dense system again (lazily, for dA and dB).
  if (mode !== 'linear') dense = undefined;
  const stateSize = mode === 'linear' ? halfN : N;
  const scratch = new Float64Array(2 * N);
  const stepState: RowStep | undefined =
    mode === 'dense' ? stepDense : mode === 'diagonal' ? stepDiagonal : undefined;

  return {
    mode,
    H,
    halfN,
    rank,
    channels,
    lKernel,
    stateSize,
    diagonalizationError,
    get dA() {
      if (mode === 'linear') return { data: cast(like, denseSystem().dA), shape: [H, N, N] };
      return { data: a.slice() as A, shape: mode === 'dense' ? [H, N, N] : [H, N] };
    },
    get dB() {
      if (mode === 'linear') return { data: cast(like, denseSystem().dB), shape: [H, N] };
      return { data: b.slice() as A, shape: [H, N] };
    },
    get dC() {
      return { data: c.slice() as A, shape: [channels, H, stateSize] };
    },
    defaultState(batch) {
      assertInteger('batch', batch, 1);
      return { data: allocateLike(like, 2 * batch * H * stateSize), shape: [batch, H, stateSize] };
    },
    step<Y extends RealArray = A, S extends ComplexArray = A>(
      u: Tensor,
      state: ComplexTensor,
      outY?: Tensor<Y>,
      outState?: ComplexTensor<S>,
    ): StepResult<Y, S> {
      const batch = assertStepInput(u, H);
      assertStateTensor('state', state, batch, H, stateSize);
      const y =
        outY ??
        ({
          data: allocateLike(like, batch * channels * H),
          shape: [batch, channels, H],
        } as unknown as Tensor<Y>);
      assertOutputTensor(y, batch, channels, H);
      const next =
        outState ??
        ({
          data: allocateLike(like, state.data.length),
          shape: [batch, H, stateSize],
        } as unknown as ComplexTensor<S>);
      if (outState !== undefined) assertStateTensor('outState', outState, batch, H, stateSize);
      const ud = u.data;
      const x = state.data;
      const xn = next.data;
      const block = 2 * H * stateSize;
      for (let bt = 0; bt < batch; bt++) {
        if (stepState === undefined) {
          // The official `_step_state_linear` on the half state of this batch row.
          linear.step(
            x.subarray(bt * block, (bt + 1) * block) as ComplexArray,
            ud.subarray(bt * H, (bt + 1) * H),
            xn.subarray(bt * block, (bt + 1) * block) as ComplexArray,
          );
        } else {
          for (let h = 0; h < H; h++)
            stepState(a, b, x, xn, bt * block + 2 * h * N, h, N, ud[bt * H + h], scratch);
        }
        output(c, xn, y.data, bt, H, stateSize, channels);
      }
      return { y, state: next };
    },
  };
}

/** One step of the feature row h of a full state (at offset `off` of x and of xn). */
type RowStep = (
  a: ComplexArray,
  b: ComplexArray,
  x: ComplexArray,
  xn: ComplexArray,
  off: number,
  h: number,
  N: number,
  u: number,
  scratch: Float64Array,
) => void;

/** x' = Ā_h x + B̄_h u for one feature row (at `off` in x and xn), through a float64 scratch row. */
function stepDense(
  a: ComplexArray,
  b: ComplexArray,
  x: ComplexArray,
  xn: ComplexArray,
  off: number,
  h: number,
  N: number,
  u: number,
  scratch: Float64Array,
): void {
  const base = 2 * h * N * N;
  for (let m = 0; m < N; m++) {
    let re = b[2 * (h * N + m)] * u;
    let im = b[2 * (h * N + m) + 1] * u;
    for (let j = 0, ai = base + 2 * m * N; j < N; j++, ai += 2) {
      const ar = a[ai];
      const aim = a[ai + 1];
      const xr = x[off + 2 * j];
      const xi = x[off + 2 * j + 1];
      re += ar * xr - aim * xi;
      im += ar * xi + aim * xr;
    }
    scratch[2 * m] = re;
    scratch[2 * m + 1] = im;
  }
  for (let i = 0; i < 2 * N; i++) xn[off + i] = scratch[i];
}

/** x' = λ_h ⊙ x + (V⁻¹B̄)_h u for one feature row, elementwise (so in place is safe). */
function stepDiagonal(
  a: ComplexArray,
  b: ComplexArray,
  x: ComplexArray,
  xn: ComplexArray,
  off: number,
  h: number,
  N: number,
  u: number,
): void {
  const mode = 2 * h * N;
  for (let n = 0; n < 2 * N; n += 2) {
    const ar = a[mode + n];
    const ai = a[mode + n + 1];
    const xr = x[off + n];
    const xi = x[off + n + 1];
    xn[off + n] = ar * xr - ai * xi + b[mode + n] * u;
    xn[off + n + 1] = ar * xi + ai * xr + b[mode + n + 1] * u;
  }
}

/** y[bt, c, h] = Re Σ_n dC[c, h, n]·x'[bt, h, n], from the state as stored. */
function output(
  c: ComplexArray,
  xn: ComplexArray,
  y: RealArray,
  bt: number,
  H: number,
  size: number,
  channels: number,
): void {
  for (let h = 0; h < H; h++) {
    const row = 2 * (bt * H + h) * size;
    for (let ch = 0; ch < channels; ch++) {
      const cOff = 2 * (ch * H + h) * size;
      let s = 0;
      for (let n = 0; n < 2 * size; n += 2)
        s += c[cOff + n] * xn[row + n] - c[cOff + n + 1] * xn[row + n + 1];
      y[(bt * channels + ch) * H + h] = s;
    }
  }
}

/**
 * The eigenbasis form of each feature (official `diagonal` mode): Ā = V·diag(λ)·V⁻¹, then
 * dB = V⁻¹B̄ and dC = C·V, all float64, with the largest relative reconstruction error.
 */
function diagonalize(
  dense: { dA: Float64Array; dB: Float64Array },
  fullC: Float64Array,
  H: number,
  N: number,
  channels: number,
): { values: Float64Array; dB: Float64Array; dC: Float64Array; error: number } {
  const values = new Float64Array(2 * H * N);
  const dB = new Float64Array(2 * H * N);
  const dC = new Float64Array(2 * channels * H * N);
  let error = 0;
  for (let h = 0; h < H; h++) {
    const A = dense.dA.subarray(2 * h * N * N, 2 * (h + 1) * N * N);
    const { values: lambda, vectors } = eig({ data: A, shape: [N, N] });
    const V = vectors.data;
    let Vinv: Float64Array;
    try {
      Vinv = cinverse(vectors).data;
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      throw new RangeError(
        `mode 'diagonal': Ā of feature ${h} has no eigenvector basis (V is singular: ${e.message}); use mode 'dense' or 'linear'`,
      );
    }
    values.set(lambda, 2 * h * N);
    // V⁻¹·B̄
    for (let i = 0; i < N; i++) {
      let re = 0;
      let im = 0;
      for (let j = 0; j < N; j++) {
        const vr = Vinv[2 * (i * N + j)];
        const vi = Vinv[2 * (i * N + j) + 1];
        const br = dense.dB[2 * (h * N + j)];
        const bi = dense.dB[2 * (h * N + j) + 1];
        re += vr * br - vi * bi;
        im += vr * bi + vi * br;
      }
      dB[2 * (h * N + i)] = re;
      dB[2 * (h * N + i) + 1] = im;
    }
    // C·V (a row vector times V)
    for (let ch = 0; ch < channels; ch++) {
      const off = 2 * (ch * H + h) * N;
      for (let m = 0; m < N; m++) {
        let re = 0;
        let im = 0;
        for (let n = 0; n < N; n++) {
          const cr = fullC[off + 2 * n];
          const ci = fullC[off + 2 * n + 1];
          const vr = V[2 * (n * N + m)];
          const vi = V[2 * (n * N + m) + 1];
          re += cr * vr - ci * vi;
          im += cr * vi + ci * vr;
        }
        dC[off + 2 * m] = re;
        dC[off + 2 * m + 1] = im;
      }
    }
    // ‖V·diag(λ)·V⁻¹ − Ā‖_F / ‖Ā‖_F
    let diff = 0;
    let norm = 0;
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) {
        let re = 0;
        let im = 0;
        for (let k = 0; k < N; k++) {
          const vr = V[2 * (i * N + k)];
          const vi = V[2 * (i * N + k) + 1];
          const lr = lambda[2 * k];
          const li = lambda[2 * k + 1];
          const tr = vr * lr - vi * li;
          const ti = vr * li + vi * lr;
          const wr = Vinv[2 * (k * N + j)];
          const wi = Vinv[2 * (k * N + j) + 1];
          re += tr * wr - ti * wi;
          im += tr * wi + ti * wr;
        }
        const ar = A[2 * (i * N + j)];
        const ai = A[2 * (i * N + j) + 1];
        diff += (re - ar) ** 2 + (im - ai) ** 2;
        norm += ar * ar + ai * ai;
      }
    }
    const rel = norm === 0 ? Math.sqrt(diff) : Math.sqrt(diff / norm);
    // A NaN (overflowed V⁻¹) must not hide behind Math.max.
    error = Number.isNaN(rel) || Number.isNaN(error) ? Number.NaN : Math.max(error, rel);
  }
  return { values, dB, dC, error };
}

function to64(t: ComplexTensor): ComplexTensor<Float64Array> {
  return { data: Float64Array.from(t.data), shape: [...t.shape] };
}

/** A float64 array rounded into a new array of the precision of `like`. */
function cast<A extends RealArray>(like: A, data: Float64Array): A {
  const out = allocateLike(like, data.length);
  out.set(data);
  return out;
}

/** The recovered C must be finite: I − Ā^L is singular when Ā has an L-th root of unity as eigenvalue. */
function assertSolved(what: string, data: Float64Array, lKernel: number): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new RangeError(
        `${what} is not finite: I − Ā^${lKernel} is singular or nearly so (Ā has an eigenvalue on or near the unit circle)`,
      );
    }
  }
}
