import {
  assertPositive,
  type ComplexTensor,
  type DType,
  type RealArray,
  type Tensor,
} from '@statespace/complex';
import { initInvDt, invTransform, paramTransform } from '@statespace/discretize';
import { combination } from '@statespace/hippo';
import {
  cTildeFromC,
  type DiagKernelGrads,
  type DiagKernelParams,
  type DiagStepper,
  DPLR_STEP_MODES,
  type DplrKernelGrads,
  type DplrKernelParams,
  type DplrStepMode,
  type DplrStepper,
  type DplrSystem,
  diagForwardState,
  doubleCTilde,
  dplrForwardState,
  type KernelBackend,
  pythonRound,
  type SsmKernelOutput,
  setupDiagStep,
  setupDplrStep,
} from '@statespace/kernels';
import { childOptions, createContext, inPrecision, normalArray, zeros } from './context';
import { Module, type Parameter } from './module';
import { parseSsmKernelOptions, type SsmKernelConfig, type SsmKernelOptions } from './ssm-kernel-options';
import { type SsmKernelStored, ssmKernelParamsVjp } from './ssm-kernel-params-vjp';
import { type StepOutput, stateSize } from './step';
import type { Tape } from './tape';

/** The parameters of the kernel after the transforms, repeated over H (official `_get_params`). */
export interface SsmKernelParams {
  /** A = −T_re(A_real) − i·T_im(A_imag), complex [H, N2] (the diagonal part Λ for S4). */
  Lambda: ComplexTensor;
  /** B, complex [H, N2]. */
  B: ComplexTensor;
  /** C (S4D) or C̃ attuned to `l_kernel` (S4), complex [channels, H, N2], band-limited if asked. */
  C: ComplexTensor;
  /** The low-rank term P, complex [rank, H, N2] (S4 only; Q = conj P). */
  P?: ComplexTensor;
  /** Δ = T_dt(inv_dt), real [H, 1] or [H, N2]. */
  dt: Tensor;
}

/** Options of {@link SSMKernel.forward}. */
export interface SsmKernelForwardOptions {
  /**
   * Kernel length. Default: `l_max` (S4D) or round(l_kernel/rate) (S4). S4 doubles the length its
   * C̃ is attuned to (in place, as officially) until round(rate·L) ≤ l_kernel.
   */
  L?: number;
  /** Sampling-rate factor (default 1): Δ is multiplied by it. */
  rate?: number;
  /**
   * Initial states, complex [batch, H, N2] (a full S4 state [batch, H, N] from `dense` step mode
   * is accepted: its first half is used); adds `K_state`.
   */
  state?: ComplexTensor;
  /**
   * Records the kernel on this tape, for the gradients of the stored tensors (see {@link Tape});
   * S4D without `state` only.
   */
  tape?: Tape;
}

/**
 * The SSM convolution kernel of a layer with the official parameterisation: S4 (`mode: 'dplr'`,
 * `'nplr'`, `'s4'`; A = diag(Λ) − P P*, bilinear, C stored as C̃ attuned to `l_kernel`) or S4D
 * (`mode: 'diag'`, `'s4d'`; zoh, bilinear or dss). Tensors and their official names:
 *
 * | name | shape | optimiser group |
 * |---|---|---|
 * | `inv_dt` | [H, 1] (or [H, N/2] with `dt_tie: false`) | dt |
 * | `C` | [channels, H, N/2, 2] | C (global weight decay) |
 * | `B` | [1, n_ssm, N/2, 2] | B |
 * | `A_real`, `A_imag` | [n_ssm, N/2] | A |
 * | `P` (S4) | [rank, n_ssm, N/2, 2] | A |
 * | `l_kernel` (S4, int64 buffer) | [] | — |
 *
 * (`is_real` S4D stores B [1, n_ssm, N], C [channels, H, N] and no `A_imag`.) The kernel itself
 * runs on the module's backend; state forwarding and recurrent steps run on the CPU.
 */
export class SSMKernel extends Module {
  readonly config: SsmKernelConfig;
  readonly dtype: DType;
  readonly inv_dt: Parameter;
  readonly C: Parameter;
  readonly B: Parameter;
  readonly A_real: Parameter;
  readonly A_imag: Parameter | undefined;
  readonly P: Parameter | undefined;
  readonly #backend: KernelBackend;
  readonly #lKernel: BigInt64Array | undefined;
  #stepper: DiagStepper | DplrStepper | undefined;
  #stepMode: DplrStepMode = 'dense';

  /** @throws RangeError for an invalid option (see `parseSsmKernelOptions`) or init. */
  constructor(options: SsmKernelOptions) {
    super();
    const config = parseSsmKernelOptions(options);
    const context = createContext(options);
    this.config = config;
    this.dtype = context.dtype;
    this.#backend = context.backend;
    const { H, N2, n_ssm: S, channels, rank, is_real, kind, optim } = config;
    const seed = () => childOptions(context).seed;

    // Δ: log-uniform in [dt_min, dt_max], stored under dt_transform (and asinh with dt_fast).
    const invDt = initInvDt(H, {
      dt_min: config.dt_min,
      dt_max: config.dt_max,
      dt_tie: config.dt_tie,
      N: 2 * N2,
      deterministic: config.deterministic,
      seed: seed(),
      dt_transform: config.dt_transform,
    });
    if (config.dt_fast) for (let i = 0; i < invDt.data.length; i++) invDt.data[i] = Math.asinh(invDt.data[i]);

    // (A, P, B) from the hippo initialisations over n_ssm copies; C complex normal over H.
    const init = combination(config.init, 2 * N2, rank, S, { ...config.initArgs, seed: seed() });
    const size = S * N2;
    const minusRe = new Float64Array(size);
    const minusIm = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      minusRe[i] = -init.A.data[2 * i];
      minusIm[i] = -init.A.data[2 * i + 1];
    }
    const c = is_real
      ? normalArray(context, channels * H * N2, Math.SQRT1_2)
      : normalArray(context, 2 * channels * H * N2, Math.SQRT1_2);

    this.inv_dt = this.registerParameter('inv_dt', inPrecision(context, invDt.data), invDt.shape, optim.dt);
    this.C = this.registerParameter('C', c, is_real ? [channels, H, N2] : [channels, H, N2, 2], optim.C);
    this.B = this.registerParameter(
      'B',
      inPrecision(context, is_real ? realParts(init.B.data) : init.B.data),
      is_real ? [1, S, N2] : [1, S, N2, 2],
      optim.B,
    );
    this.A_real = this.registerParameter(
      'A_real',
      inPrecision(context, invTransform(minusRe, config.real_transform)),
      [S, N2],
      optim.A,
    );
    this.A_imag = is_real
      ? undefined
      : this.registerParameter(
          'A_imag',
          inPrecision(context, invTransform(minusIm, config.imag_transform)),
          [S, N2],
          optim.A,
        );
    if (kind === 'dplr') {
      this.P = this.registerParameter('P', inPrecision(context, init.P.data), [rank, S, N2, 2], optim.A);
      this.#lKernel = new BigInt64Array(1);
      this.registerBuffer('l_kernel', this.#lKernel, []);
    } else {
      this.P = undefined;
      this.#lKernel = undefined;
    }
  }

  /** Number of features H. */
  get H(): number {
    return this.config.H;
  }

  /** Output channels of the kernel. */
  get channels(): number {
    return this.config.channels;
  }

  /** The length C̃ is attuned to (the official `l_kernel` buffer); 0 before the first S4 forward and for S4D. */
  get l_kernel(): number {
    return this.#lKernel === undefined ? 0 : Number(this.#lKernel[0]);
  }

  /** The parameters after the transforms, repeated over H, in the module's precision (official `_get_params`). */
  params(): SsmKernelParams {
    const { H, N2, n_ssm: S, channels, rank, is_real } = this.config;
    const re = paramTransform(this.A_real.data, this.config.real_transform);
    const im = this.A_imag && paramTransform(this.A_imag.data, this.config.imag_transform);
    const Lambda = zeros(this.dtype, 2 * H * N2);
    const B = zeros(this.dtype, 2 * H * N2);
    const bd = this.B.data;
    for (let h = 0; h < H; h++) {
      const s = h % S;
      for (let n = 0; n < N2; n++) {
        const o = h * N2 + n;
        const i = s * N2 + n;
        Lambda[2 * o] = -re[i];
        Lambda[2 * o + 1] = im ? -im[i] : 0;
        B[2 * o] = is_real ? bd[i] : bd[2 * i];
        B[2 * o + 1] = is_real ? 0 : bd[2 * i + 1];
      }
    }
    const invDt = this.config.dt_fast ? this.inv_dt.data.map(Math.sinh) : this.inv_dt.data;
    const dt: Tensor = { data: paramTransform(invDt, this.config.dt_transform), shape: this.inv_dt.shape };
    let C = is_real ? complexFromReal(this.C.data) : this.C.data;
    if (this.config.bandlimit !== null)
      C = bandlimited(C, Lambda, dt.data, this.config.bandlimit, channels, H, N2);
    const out: SsmKernelParams = {
      Lambda: { data: Lambda, shape: [H, N2] },
      B: { data: B, shape: [H, N2] },
      C: { data: C, shape: [channels, H, N2] },
      dt,
    };
    if (this.P) {
      const P = zeros(this.dtype, 2 * rank * H * N2);
      for (let r = 0; r < rank; r++) {
        for (let h = 0; h < H; h++) {
          const from = 2 * (r * S + (h % S)) * N2;
          P.set(this.P.data.subarray(from, from + 2 * N2), 2 * (r * H + h) * N2);
        }
      }
      out.P = { data: P, shape: [rank, H, N2] };
    }
    return out;
  }

  /**
   * The convolution kernel K [channels, H, L] and, with states, K_state [batch, channels, H, L]
   * (official `forward(state, rate, L)`), computed on the module's backend. S4 first attunes C̃
   * (in place, as officially): to `l_max` at the first call, then by doubling while
   * round(rate·L) > l_kernel.
   *
   * @throws RangeError without a length (no L, no l_max, and S4 not yet attuned), on a bad rate
   *   or state, or for a `diagonal`-mode full state (eigenbasis coordinates).
   */
  async forward(options: SsmKernelForwardOptions = {}): Promise<SsmKernelOutput> {
    const rate = options.rate ?? 1;
    assertPositive('rate', rate);
    const state = options.state && this.#halfState(options.state);
    const { tape } = options;
    const bandlimit = this.config.bandlimit;
    if (tape !== undefined && (state !== undefined || (this.config.kind === 'dplr' && bandlimit !== null))) {
      throw new RangeError(
        'gradients are not implemented for kernel states, nor for band-limited S4 kernels: forward with a tape and no state',
      );
    }
    if (this.config.kind === 'diag') {
      const L = options.L ?? this.config.l_max ?? undefined;
      if (L === undefined) throw new RangeError('L is required: this kernel has no l_max');
      const { Lambda, B, C, dt } = this.params();
      const params: DiagKernelParams = { Lambda, B, C, dt, L, disc: this.config.disc, rate, state };
      const out = await this.#backend.diagKernel(params);
      if (tape !== undefined) {
        const limited = bandlimit === null ? params : { ...params, bandlimit };
        this.#record(tape, out.K, (gK) => this.#backend.diagKernelVjp(limited, gK));
      }
      return out;
    }
    if (this.l_kernel === 0 && this.config.l_max !== null) this.#attuneC(this.config.l_max);
    if (options.L === undefined && this.l_kernel === 0) {
      throw new RangeError(
        'L is required: this kernel has no l_max and its C̃ is not attuned to a length yet',
      );
    }
    const L = options.L ?? pythonRound(this.l_kernel / rate);
    const continuousL = pythonRound(rate * L);
    while (continuousL > this.l_kernel) this.#attuneC(continuousL);
    const { Lambda, P, B, C, dt } = this.params();
    const params: DplrKernelParams = {
      Lambda,
      P: P as ComplexTensor,
      B,
      dt,
      C,
      lKernel: this.l_kernel,
      L,
      rate,
      state,
    };
    const out = await this.#backend.dplrKernel(params);
    if (tape !== undefined) this.#record(tape, out.K, (gK) => this.#backend.dplrKernelVjp(params, gK));
    return out;
  }

  /**
   * The states after a chunk of inputs u [batch, H, L] from `state` (official `forward_state`),
   * on the CPU: S4D by a transposed Vandermonde product, S4 by a power scan of the dense Ā. Half
   * states stay half, full S4 states (`dense` mode) stay full. Δ is multiplied by `rate` (the
   * official code ignores the rate here, which makes chunks at rate ≠ 1 inconsistent).
   */
  forwardState(u: Tensor, state: ComplexTensor, rate = 1): ComplexTensor {
    assertPositive('rate', rate);
    this.#halfState(state);
    const { Lambda, B, P, dt } = this.params();
    const rated: Tensor = { data: dt.data.map((d) => d * rate), shape: dt.shape };
    if (this.config.kind === 'diag') {
      const disc = this.config.disc;
      if (disc === 'dss') throw new RangeError("disc 'dss' has no recurrence: states cannot be forwarded");
      return diagForwardState({ Lambda, B, dt: rated, disc, u, state });
    }
    return dplrForwardState({ system: { Lambda, P: P as ComplexTensor, B, dt: rated }, u, state });
  }

  /**
   * Prepares the recurrent step from the current parameters (official `setup_step(mode)`):
   * S4 steps in `dense` (default, O(N²) per feature), `linear` (O(N), half state) or `diagonal`
   * (eigenbasis) mode; S4D always steps its diagonal form and ignores `mode`. Call it again after
   * the parameters change; it never changes them.
   * @throws RangeError for an unknown mode, or for S4D with `disc: 'dss'` (no recurrence).
   */
  setupStep(mode: DplrStepMode = 'dense'): void {
    if (!(DPLR_STEP_MODES as readonly string[]).includes(mode)) {
      throw new RangeError(
        `mode must be one of ${DPLR_STEP_MODES.map((m) => `'${m}'`).join(', ')}; got '${mode}'`,
      );
    }
    const { Lambda, B, C, P, dt } = this.params();
    if (this.config.kind === 'diag') {
      const disc = this.config.disc;
      if (disc === 'dss') throw new RangeError("disc 'dss' has no recurrence: the kernel cannot be stepped");
      this.#stepper = setupDiagStep({ Lambda, B, C, dt, disc });
    } else {
      const system: DplrSystem = { Lambda, P: P as ComplexTensor, B, dt };
      this.#stepper = setupDplrStep(system, C, { lKernel: this.l_kernel, mode });
    }
    this.#stepMode = mode;
  }

  /** A zero state, complex [batch, H, stateSize] (N/2, or N for S4 `dense`/`diagonal` mode). */
  defaultState(batch: number): ComplexTensor {
    return this.#ensureStepper().defaultState(batch);
  }

  /**
   * One recurrent step: u [batch, H] → y [batch, channels, H] and the next state (set up with
   * the default mode on first use). A half state from {@link forward}-style chunking is expanded
   * to a full one for `dense` mode, and a full one halved for `linear` mode.
   */
  step(u: Tensor, state: ComplexTensor): StepOutput {
    const stepper = this.#ensureStepper();
    const size = stateSize(state, this.config.H, this.config.N2, this.config.kind === 'dplr');
    if (this.#stepMode === 'diagonal' && size !== stepper.stateSize) {
      throw new RangeError(
        "a half state cannot enter 'diagonal' step mode, whose states are in the eigenbasis of Ā: use 'dense' or 'linear'",
      );
    }
    return stepper.step(u, adaptState(state, size, stepper.stateSize));
  }

  /**
   * Records the kernel K(A_real, A_imag, B, C, inv_dt, P) on `tape`: `kernelVjp` (the backend's
   * `diagKernelVjp` or `dplrKernelVjp`) gives the gradients of the transformed parameters, and
   * {@link ssmKernelParamsVjp} those of the stored tensors.
   */
  #record(tape: Tape, K: Tensor, kernelVjp: (gK: Tensor) => Promise<KernelGrads>): void {
    const stored: SsmKernelStored = {
      A_real: this.A_real.data,
      A_imag: this.A_imag?.data,
      inv_dt: this.inv_dt.data,
    };
    const inputs = [
      this.A_real.data,
      this.A_imag?.data,
      this.B.data,
      this.C.data,
      this.inv_dt.data,
      this.P?.data,
    ];
    tape.record(`SSMKernel (${this.config.kind})`, inputs, K.data, async (gK) => {
      const g = await kernelVjp({ data: gK, shape: K.shape });
      const s = ssmKernelParamsVjp(this.config, stored, {
        Lambda: g.Lambda.data,
        B: g.B.data,
        C: g.C.data,
        dt: g.dt.data,
        P: g.P?.data,
      });
      return [s.A_real, s.A_imag, s.B, s.C, s.inv_dt, s.P];
    });
  }

  protected override onLoad(): void {
    this.#stepper = undefined;
  }

  #ensureStepper(): DiagStepper | DplrStepper {
    if (this.#stepper === undefined) this.setupStep(this.#stepMode);
    return this.#stepper as DiagStepper | DplrStepper;
  }

  /** The half state of a kernel-forward state (first N2 entries of a full S4 state). */
  #halfState(state: ComplexTensor): ComplexTensor {
    const size = stateSize(state, this.config.H, this.config.N2, this.config.kind === 'dplr');
    if (size !== this.config.N2 && this.#stepMode === 'diagonal' && this.#stepper !== undefined) {
      throw new RangeError(
        "this is a 'diagonal' step-mode state (eigenbasis of Ā), which cannot be convolved or forwarded: step in 'dense' or 'linear' mode to mix steps and chunks",
      );
    }
    return adaptState(state, size, this.config.N2);
  }

  /** The official `_setup_C(L)`: C̃ for length L from plain C (l_kernel 0), or doubled, in place. */
  #attuneC(L: number): void {
    const lKernel = this.#lKernel as BigInt64Array;
    const { Lambda, P, B, dt } = this.params();
    const system: DplrSystem = { Lambda, P: P as ComplexTensor, B, dt };
    const current: ComplexTensor = {
      data: this.C.data,
      shape: [this.config.channels, this.config.H, this.config.N2],
    };
    const before = Number(lKernel[0]);
    const next = before === 0 ? cTildeFromC(system, current, L) : doubleCTilde(system, current, before);
    this.C.data.set(next.data);
    lKernel[0] = BigInt(before === 0 ? L : 2 * before);
    this.#stepper = undefined;
  }
}

/** The gradients a kernel VJP gives: Λ, B, C, Δ, and P for S4 (in the backend's precision). */
type KernelGrads = DiagKernelGrads<RealArray> & Partial<Pick<DplrKernelGrads<RealArray>, 'P'>>;

function realParts(a: Float64Array): Float64Array {
  return Float64Array.from({ length: a.length / 2 }, (_, i) => a[2 * i]);
}

function complexFromReal(a: RealArray): RealArray {
  const out = a instanceof Float64Array ? new Float64Array(2 * a.length) : new Float32Array(2 * a.length);
  for (let i = 0; i < a.length; i++) out[2 * i] = a[i];
  return out;
}

/** C with the modes where Δ·|Im A|/(2π) ≥ bandlimit/2 zeroed (S4ND, official `_get_params`). */
function bandlimited(
  C: RealArray,
  Lambda: RealArray,
  dt: RealArray,
  bandlimit: number,
  channels: number,
  H: number,
  N2: number,
): RealArray {
  const out = C.slice();
  const perMode = dt.length === H * N2;
  for (let h = 0; h < H; h++) {
    for (let n = 0; n < N2; n++) {
      const d = perMode ? dt[h * N2 + n] : dt[h];
      if ((d * Math.abs(Lambda[2 * (h * N2 + n) + 1])) / (2 * Math.PI) < bandlimit / 2) continue;
      for (let c = 0; c < channels; c++) {
        out[2 * ((c * H + h) * N2 + n)] = 0;
        out[2 * ((c * H + h) * N2 + n) + 1] = 0;
      }
    }
  }
  return out;
}

/** A state of `size` entries per feature as one of `wanted` entries (half ↔ full, conjugates implied). */
function adaptState(state: ComplexTensor, size: number, wanted: number): ComplexTensor {
  if (size === wanted) return state;
  const [batch, H] = state.shape;
  const rows = batch * H;
  const d = state.data;
  const out =
    d instanceof Float64Array ? new Float64Array(2 * rows * wanted) : new Float32Array(2 * rows * wanted);
  for (let r = 0; r < rows; r++) {
    for (let n = 0; n < Math.min(size, wanted); n++) {
      out[2 * (r * wanted + n)] = d[2 * (r * size + n)];
      out[2 * (r * wanted + n) + 1] = d[2 * (r * size + n) + 1];
    }
    // Half → full: the second half holds the conjugates.
    for (let n = size; n < wanted; n++) {
      out[2 * (r * wanted + n)] = d[2 * (r * size + n - size)];
      out[2 * (r * wanted + n) + 1] = -d[2 * (r * size + n - size) + 1];
    }
  }
  return { data: out, shape: [batch, H, wanted] };
}
