import {
  allocateLike,
  assertFinite,
  assertInteger,
  assertOneOf,
  type ComplexArray,
  type ComplexTensor,
  type RealArray,
  type Tensor,
} from '@statespace/complex';
import { discretizeDiagonal } from '@statespace/discretize';

// The recurrent (RNN) mode of S4D, as the official `SSMKernelDiag._setup_step` / `step`:
// x' = dA ⊙ x + dB·u per stored mode, y = 2·Re Σ_n dC_n x'_n (the conjugate half is implied).
// One step costs O(batch·H·N2·channels) and touches no memory but its inputs and outputs.

/** The discretisations the S4D step supports (the official `_setup_step`: `zoh` or `bilinear`). */
export const DIAG_STEP_DISCS = ['zoh', 'bilinear'] as const;

/** One of {@link DIAG_STEP_DISCS}. */
export type DiagStepDisc = (typeof DIAG_STEP_DISCS)[number];

/** The parameters of H diagonal (S4D) systems, after the parameter transforms. */
export interface DiagStepParams {
  /** Diagonal state matrix Λ, complex `[H, N2]`; its precision is the stepper's. */
  Lambda: ComplexTensor;
  /** Input matrix B, complex `[H, N2]`. */
  B: ComplexTensor;
  /** Output matrix C, complex `[channels, H, N2]` (the true C: S4D has no C̃). */
  C: ComplexTensor;
  /** Step sizes Δ > 0, real `[H]` (tied per row) or `[H, N2]` (per mode). */
  dt: Tensor;
  /** The discretisation: `zoh` (the S4D default) or `bilinear`. */
  disc: DiagStepDisc;
}

/** What one recurrent step returns. */
export interface StepResult<Y extends RealArray = RealArray, S extends ComplexArray = ComplexArray> {
  /** The outputs, real `[batch, channels, H]`. */
  y: Tensor<Y>;
  /** The next state, complex `[batch, H, stateSize]`. */
  state: ComplexTensor<S>;
}

/**
 * A set-up S4D recurrence (see {@link setupDiagStep}). Its matrices are fixed at setup: call
 * `setupDiagStep` again after any parameter change.
 */
export interface DiagStepper<A extends ComplexArray = ComplexArray> {
  /** The discretisation in use. */
  readonly disc: DiagStepDisc;
  /** Number of features H. */
  readonly H: number;
  /** Stored modes per feature, N2 = N/2. */
  readonly halfN: number;
  /** Output channels. */
  readonly channels: number;
  /** Complex entries per feature of the state: N2 (half state, conjugates implied). */
  readonly stateSize: number;
  /** Ā, complex `[H, N2]` in the stepper's precision; a fresh copy on every read. */
  readonly dA: ComplexTensor<A>;
  /** B̄, complex `[H, N2]`; a fresh copy on every read. */
  readonly dB: ComplexTensor<A>;
  /** The output matrix C, complex `[channels, H, N2]`; a fresh copy on every read. */
  readonly dC: ComplexTensor<A>;
  /** A zero state, complex `[batch, H, N2]` in the stepper's precision. */
  defaultState(batch: number): ComplexTensor<A>;
  /**
   * One step: x' = dA ⊙ x + dB·u, y = 2·Re Σ_n dC·x'. Products accumulate in float64 (JS
   * numbers) and round once to the output's precision.
   *
   * @param u - Input, real `[batch, H]`, finite.
   * @param state - Current state, complex `[batch, H, N2]`; it is not modified unless it is
   *   also passed as `outState`.
   * @param outY - Optional output, real `[batch, channels, H]`; allocated otherwise.
   * @param outState - Optional next state, complex `[batch, H, N2]`; may be `state` itself (an
   *   in-place update) but must not otherwise overlap it. Allocated otherwise.
   * @returns `{ y, state }`: the given output tensors when passed (no array is allocated then).
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
 * Sets up the recurrent step of H diagonal (S4D) systems, as the official
 * `SSMKernelDiag._setup_step`: with x = ΔΛ, `zoh` gives Ā = eˣ, B̄ = B·(eˣ − 1)/Λ and `bilinear`
 * gives Ā = (1 + x/2)/(1 − x/2), B̄ = B·Δ/(1 − x/2); dC = C. The stepper computes in the
 * precision of `Lambda` (float32 parameters give float32 states and outputs); the discrete
 * matrices are computed in float64 and rounded once. The inputs are never modified, so setup
 * may be repeated freely.
 *
 * @throws RangeError on bad shapes, non-finite parameters, Δ ≤ 0 or an unknown `disc`, naming
 *   the argument.
 */
export function setupDiagStep<A extends ComplexArray>(
  params: DiagStepParams & { Lambda: ComplexTensor<A> },
): DiagStepper<A> {
  if (params === null || typeof params !== 'object') {
    throw new TypeError('params must be an object { Lambda, B, C, dt, disc }');
  }
  const { Lambda, B, C, dt, disc } = params;
  assertOneOf('disc', disc, DIAG_STEP_DISCS);
  // Validates Lambda, B (shape [H, N2], finite) and dt ([H] or [H, N2], finite, > 0).
  const { dA, dB } = discretizeDiagonal(Lambda, B, dt, disc);
  const [H, halfN] = Lambda.shape;
  const channels = assertChannelsTensor('C', C, H, halfN);
  const like = dA.data;
  const a = dA.data;
  const b = dB.data;
  const c = allocateLike(like, C.data.length);
  c.set(C.data);

  return {
    disc,
    H,
    halfN,
    channels,
    stateSize: halfN,
    get dA() {
      return copyTensor(dA);
    },
    get dB() {
      return copyTensor(dB);
    },
    get dC() {
      return { data: c.slice() as A, shape: [channels, H, halfN] };
    },
    defaultState(batch) {
      assertInteger('batch', batch, 1);
      return { data: allocateLike(like, 2 * batch * H * halfN), shape: [batch, H, halfN] };
    },
    step<Y extends RealArray = A, S extends ComplexArray = A>(
      u: Tensor,
      state: ComplexTensor,
      outY?: Tensor<Y>,
      outState?: ComplexTensor<S>,
    ): StepResult<Y, S> {
      const batch = assertStepInput(u, H);
      assertStateTensor('state', state, batch, H, halfN);
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
          shape: [batch, H, halfN],
        } as unknown as ComplexTensor<S>);
      if (outState !== undefined) assertStateTensor('outState', outState, batch, H, halfN);
      diagStep(a, b, c, state.data, next.data, u.data, y.data, batch, H, halfN, channels);
      return { y, state: next };
    },
  };
}

/**
 * x' = dA ⊙ x + dB·u and y = 2·Re Σ_n dC·x' over a batch (a top-level loop: its arrays are locals,
 * which V8 keeps in registers, unlike the closure's).
 */
function diagStep(
  a: ComplexArray,
  b: ComplexArray,
  c: ComplexArray,
  x: ComplexArray,
  xn: ComplexArray,
  ud: RealArray,
  yd: RealArray,
  batch: number,
  H: number,
  halfN: number,
  channels: number,
): void {
  for (let bt = 0; bt < batch; bt++) {
    for (let h = 0; h < H; h++) {
      const uh = ud[bt * H + h];
      const row = 2 * (bt * H + h) * halfN;
      const mode = 2 * h * halfN;
      for (let n = 0; n < 2 * halfN; n += 2) {
        const ar = a[mode + n];
        const ai = a[mode + n + 1];
        const xr = x[row + n];
        const xi = x[row + n + 1];
        xn[row + n] = ar * xr - ai * xi + b[mode + n] * uh;
        xn[row + n + 1] = ar * xi + ai * xr + b[mode + n + 1] * uh;
      }
      for (let ch = 0; ch < channels; ch++) {
        const cOff = 2 * (ch * H + h) * halfN;
        let s = 0;
        // Re(c·x') from the state as stored (rounded to its precision), as the official step.
        for (let n = 0; n < 2 * halfN; n += 2)
          s += c[cOff + n] * xn[row + n] - c[cOff + n + 1] * xn[row + n + 1];
        yd[(bt * channels + ch) * H + h] = 2 * s;
      }
    }
  }
}

function copyTensor<A extends RealArray>(t: {
  data: A;
  shape: readonly number[];
}): { data: A; shape: number[] } {
  return { data: t.data.slice() as A, shape: [...t.shape] };
}

function isFloatArray(data: unknown): data is Float64Array | Float32Array {
  return data instanceof Float64Array || data instanceof Float32Array;
}

function shapeText(t: { shape?: readonly number[] } | undefined): string {
  return Array.isArray(t?.shape) ? `[${t.shape.join(', ')}]` : String(t?.shape);
}

/**
 * Checks an output matrix `[channels, H, N2]` (finite, complex) and returns `channels`.
 * @internal Shared by the step setups of this package; not part of the public API.
 */
export function assertChannelsTensor(arg: string, t: ComplexTensor, H: number, halfN: number): number {
  const s = t?.shape;
  if (
    !Array.isArray(s) ||
    s.length !== 3 ||
    s[1] !== H ||
    s[2] !== halfN ||
    s[0] < 1 ||
    !isFloatArray(t.data)
  ) {
    throw new RangeError(
      `${arg} must be a ComplexTensor of shape [channels, ${H}, ${halfN}] with channels ≥ 1; got ${shapeText(t)}`,
    );
  }
  if (t.data.length !== 2 * s[0] * H * halfN) {
    throw new RangeError(
      `${arg}.data must hold ${2 * s[0] * H * halfN} numbers (interleaved complex); got ${t.data.length}`,
    );
  }
  assertFinite(arg, t.data);
  return s[0];
}

/**
 * Checks a step input `u` (real `[batch, H]`, finite) and returns `batch`.
 * @internal Shared by the steppers of this package; not part of the public API.
 */
export function assertStepInput(u: Tensor, H: number): number {
  const s = u?.shape;
  if (!Array.isArray(s) || s.length !== 2 || s[1] !== H || s[0] < 1 || !isFloatArray(u.data)) {
    throw new RangeError(`u must be a Tensor of shape [batch, ${H}] with batch ≥ 1; got ${shapeText(u)}`);
  }
  if (u.data.length !== s[0] * H) {
    throw new RangeError(
      `u.data must hold ${s[0] * H} values for shape [${s[0]}, ${H}]; got ${u.data.length}`,
    );
  }
  assertFinite('u', u.data);
  return s[0];
}

/**
 * Checks a state tensor, complex `[batch, H, size]`.
 * @internal Shared by the steppers of this package; not part of the public API.
 */
export function assertStateTensor(
  arg: string,
  t: ComplexTensor,
  batch: number,
  H: number,
  size: number,
): void {
  const s = t?.shape;
  if (
    !Array.isArray(s) ||
    s.length !== 3 ||
    s[0] !== batch ||
    s[1] !== H ||
    s[2] !== size ||
    !isFloatArray(t.data) ||
    t.data.length !== 2 * batch * H * size
  ) {
    throw new RangeError(
      `${arg} must be a ComplexTensor of shape [${batch}, ${H}, ${size}] (batch of u, H, state size) ` +
        `holding ${2 * batch * H * size} interleaved numbers; got ${shapeText(t)} with ${t?.data?.length} numbers`,
    );
  }
}

/**
 * Checks an output tensor, real `[batch, channels, H]`.
 * @internal Shared by the steppers of this package; not part of the public API.
 */
export function assertOutputTensor(t: Tensor, batch: number, channels: number, H: number): void {
  const s = t?.shape;
  if (
    !Array.isArray(s) ||
    s.length !== 3 ||
    s[0] !== batch ||
    s[1] !== channels ||
    s[2] !== H ||
    !isFloatArray(t.data) ||
    t.data.length !== batch * channels * H
  ) {
    throw new RangeError(
      `outY must be a Tensor of shape [${batch}, ${channels}, ${H}] (batch, channels, H); ` +
        `got ${shapeText(t)} with ${t?.data?.length} values`,
    );
  }
}
