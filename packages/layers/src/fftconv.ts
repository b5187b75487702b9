import {
  allocateLike,
  type ComplexTensor,
  type DType,
  type RealArray,
  type Rng,
  type Tensor,
} from '@statespace/complex';
import { type DplrStepMode, type KernelBackend, pythonRound } from '@statespace/kernels';
import { type Activation, parseActivation } from './activation';
import { applyActivation } from './activation-vjp';
import { childOptions, createContext, normalArray } from './context';
import { dropoutRecorded } from './dropout-vjp';
import { sequenceDims, swapAxes } from './layout';
import { swapAxesRecorded } from './layout-vjp';
import { Module, type Parameter } from './module';
import { assertKnownOptions, booleanOption, integerOption, probabilityOption } from './options';
import { SSMKernel } from './ssm-kernel';
import { SSM_KERNEL_OPTIONS, type SsmKernelMode, type SsmKernelOptions } from './ssm-kernel-options';
import { type StepOutput, stepInputBatch } from './step';
import type { Tape } from './tape';

/** Options of {@link FFTConv}: its own (official names) and those of its SSM kernel. */
export interface FFTConvOptions extends SsmKernelOptions {
  /** Channels per feature, like heads: the output has channels·H features (default 1). */
  channels?: number;
  /** Flatten the output channels as (h c) instead of (c h) (default false). */
  swap_channels?: boolean;
  /** Add an anticausal kernel (the official off-by-one kept, see `convolve`); no recurrent step (default false). */
  bidirectional?: boolean;
  /** Activation after the convolution (default `gelu`, as the standalone official FFTConv); `glu*` doubles the kernel's channels. */
  activation?: string | null;
  /** Input and output [batch, H, length] (default true, as officially) or [batch, length, H]. */
  transposed?: boolean;
  /** Dropout after the convolution, in training mode (default 0). */
  dropout?: number;
  /** Share the dropout mask over the sequence (official `DropoutNd`) (default false). */
  tie_dropout?: boolean;
  /** Dropout on the kernel taps, in training mode (default 0). */
  drop_kernel?: number;
  /** The kernel: the official alias of `mode` (pass one of them). */
  kernel?: SsmKernelMode;
}

const OWN_OPTIONS = [
  'swap_channels',
  'bidirectional',
  'activation',
  'transposed',
  'dropout',
  'tie_dropout',
  'drop_kernel',
  'kernel',
] as const;

/** Every option name of {@link FFTConvOptions}. */
export const FFTCONV_OPTIONS = [...OWN_OPTIONS, ...SSM_KERNEL_OPTIONS] as const;

/** Options of {@link FFTConv.forward}. */
export interface FFTConvForwardOptions {
  /**
   * Initial states, complex [batch, H, N/2] (or a full S4 state [batch, H, N]): adds their
   * contribution and returns the states after the chunk, so that a long sequence can be processed
   * chunk by chunk. Not with `bidirectional`.
   */
  state?: ComplexTensor;
  /** Sampling-rate factor (default 1). */
  rate?: number;
  /**
   * Records the layer on this tape, for the gradients of x, `D` and the kernel's tensors (see
   * {@link Tape}); not with `state`, nor band-limited S4 kernels.
   */
  tape?: Tape;
}

/** What {@link FFTConv.forward} returns. */
export interface FFTConvOutput {
  /** The output, [batch, channels·H, length] (transposed) or [batch, length, channels·H]. */
  y: Tensor;
  /** The states after the chunk, when states were given. */
  state?: ComplexTensor;
}

/**
 * The official `FFTConv`: an SSM kernel (S4 or S4D) as a long convolution over each feature,
 * with a skip term D, channels, an optional anticausal kernel, dropout and an activation:
 *
 * y = act(drop(flatten_channels(K ∗ u + D·u (+ K_state)))).
 *
 * Tensors: `D` [channels', H] (channels' = channels, doubled by a `glu*` activation) and the
 * kernel's under `kernel.` (see {@link SSMKernel}). The kernel and the convolution run on the
 * module's backend.
 */
export class FFTConv extends Module {
  readonly d_model: number;
  /** Features of the output: channels·H. */
  readonly d_output: number;
  readonly dtype: DType;
  readonly l_max: number | null;
  readonly transposed: boolean;
  readonly bidirectional: boolean;
  readonly kernel: SSMKernel;
  readonly D: Parameter;
  readonly activation: Activation;
  readonly #channels: number;
  readonly #swap: boolean;
  readonly #dropout: number;
  readonly #tieDropout: boolean;
  readonly #dropKernel: number;
  readonly #backend: KernelBackend;
  readonly #rng: Rng;

  /** @throws RangeError for an unknown or invalid option, naming it. */
  constructor(options: FFTConvOptions) {
    super();
    assertKnownOptions('FFTConv options', options, FFTCONV_OPTIONS);
    const context = createContext(options);
    const {
      swap_channels,
      bidirectional,
      activation,
      transposed,
      dropout: drop,
      tie_dropout,
      drop_kernel,
      kernel,
      dtype,
      backend,
      seed,
      ...kernelOptions
    } = options;
    if (kernel !== undefined && options.mode !== undefined) {
      throw new RangeError('pass either mode or kernel (its official alias), not both');
    }
    this.activation = parseActivation('activation', activation === undefined ? 'gelu' : activation);
    this.#swap = booleanOption('swap_channels', swap_channels, false);
    if (this.#swap && this.activation.gated) {
      throw new RangeError(
        `activation '${this.activation.name}' halves the flattened channels, but swap_channels orders them (h c), so it would pair features instead of channels: use swap_channels false`,
      );
    }
    this.bidirectional = booleanOption('bidirectional', bidirectional, false);
    this.transposed = booleanOption('transposed', transposed, true);
    this.#dropout = probabilityOption('dropout', drop);
    this.#tieDropout = booleanOption('tie_dropout', tie_dropout, false);
    this.#dropKernel = probabilityOption('drop_kernel', drop_kernel);
    this.dtype = context.dtype;
    this.#backend = context.backend;
    const channels = integerOption('channels', kernelOptions.channels, 1);
    this.#channels = this.activation.gated ? 2 * channels : channels;

    this.kernel = new SSMKernel({
      ...kernelOptions,
      ...(kernel === undefined ? {} : { mode: kernel }),
      channels: (this.bidirectional ? 2 : 1) * this.#channels,
      ...childOptions(context),
    });
    this.d_model = this.kernel.H;
    this.l_max = this.kernel.config.l_max;
    this.d_output = channels * this.d_model;
    // D (randn, as officially) is named before the kernel's tensors, as in the official state dict.
    this.D = this.registerParameter('D', normalArray(context, this.#channels * this.d_model), [
      this.#channels,
      this.d_model,
    ]);
    this.registerModule('kernel', this.kernel);
    this.#rng = this.registerMaskRng(childOptions(context).seed);
  }

  /**
   * The layer on a sequence (official `forward(x, state, rate)`): the kernel of length
   * min(L, round(l_max/rate)) (L without l_max), the FFT convolution with D, the states'
   * contribution, channel flattening, dropout and the activation.
   *
   * @param x - [batch, H, L] (transposed) or [batch, L, H], of the module's precision.
   * @throws RangeError for a bad input shape, or states with a bidirectional layer or a chunk
   *   longer than the kernel.
   */
  async forward(x: Tensor, options: FFTConvForwardOptions = {}): Promise<FFTConvOutput> {
    const dims = sequenceDims('x', x, this.d_model, this.transposed);
    const { batch, length: L } = dims;
    const H = this.d_model;
    const rate = options.rate ?? 1;
    const lKernel = this.l_max === null ? L : Math.min(L, pythonRound(this.l_max / rate));
    const { state, tape } = options;
    if (state !== undefined) {
      if (this.bidirectional)
        throw new RangeError('a bidirectional FFTConv cannot carry states: it looks at future inputs');
      if (lKernel < L) {
        throw new RangeError(
          `states need a kernel as long as the chunk: L = ${L} > round(l_max/rate) = ${lKernel}; use shorter chunks`,
        );
      }
    }
    const u: Tensor = {
      data: this.transposed ? x.data : swapAxesRecorded(x.data, batch, L, H, 1, tape),
      shape: [batch, H, L],
    };
    const { K, K_state } = await this.kernel.forward({ L: lKernel, rate, state, tape });
    const C = this.#channels;
    let taps = K.data;
    if (this.training && this.#dropKernel > 0) {
      const layout = { batch: 1, length: 1, features: taps.length, transposed: false };
      taps = dropoutRecorded(taps, this.#dropKernel, this.#rng, layout, false, tape);
    }
    let k: Tensor = { data: taps, shape: K.shape };
    let kReverse: Tensor | undefined;
    if (this.bidirectional) {
      k = { data: taps.subarray(0, C * H * lKernel), shape: [C, H, lKernel] };
      kReverse = { data: taps.subarray(C * H * lKernel), shape: [C, H, lKernel] };
    }
    const D: Tensor = { data: this.D.data, shape: [C, H] };
    const input = { u, k, D, ...(kReverse ? { kReverse } : {}) };
    const conv = await this.#backend.convolve(input);
    let y = conv.data;
    tape?.record('FFTConv convolution', [u.data, taps, D.data], y, async (g) => {
      const grads = await this.#backend.convolveVjp(input, { data: g, shape: conv.shape });
      const gK = grads.kReverse ? concatenated(grads.k.data, grads.kReverse.data) : grads.k.data;
      return [grads.u.data, gK, grads.D?.data];
    });
    if (K_state !== undefined) for (let i = 0; i < y.length; i++) y[i] += K_state.data[i];
    const next = state === undefined ? undefined : this.kernel.forwardState(u, state, rate);

    // [batch, C, H, L] → [batch, C·H, L] ((c h), or (h c) with swap_channels).
    if (this.#swap) y = swapAxesRecorded(y, batch, C, H, L, tape);
    const F = C * H;
    if (this.training && this.#dropout > 0) {
      const layout = { batch, length: L, features: F, transposed: true };
      y = dropoutRecorded(y, this.#dropout, this.#rng, layout, this.#tieDropout, tape);
    }
    if (!this.transposed) y = swapAxesRecorded(y, batch, F, L, 1, tape);
    const out = this.transposed
      ? applyActivation(this.activation, y, batch, F, L, tape)
      : applyActivation(this.activation, y, batch * L, F, 1, tape);
    const features = this.activation.gated ? F / 2 : F;
    const shape = this.transposed ? [batch, features, L] : [batch, L, features];
    return { y: { data: out, shape }, ...(next ? { state: next } : {}) };
  }

  /**
   * Prepares the recurrent step (see {@link SSMKernel.setupStep}).
   * @throws RangeError for a bidirectional layer, which looks at future inputs.
   */
  setupStep(mode?: DplrStepMode): void {
    this.#assertCausal();
    this.kernel.setupStep(mode);
  }

  /** A zero state for `batch` sequences. */
  defaultState(batch: number): ComplexTensor {
    this.#assertCausal();
    return this.kernel.defaultState(batch);
  }

  /**
   * One time step (official `FFTConv.step`): x [batch, H] → y [batch, channels·H] (activation
   * applied) and the next state. Equal to {@link forward} on the whole sequence, up to rounding
   * and to the kernel's truncation at l_max.
   */
  step(x: Tensor, state: ComplexTensor): StepOutput {
    this.#assertCausal();
    const H = this.d_model;
    const batch = stepInputBatch('x', x, H);
    const { y: ky, state: next } = this.kernel.step(x, state);
    const C = this.#channels;
    const y = ky.data;
    const D = this.D.data;
    for (let b = 0; b < batch; b++) {
      for (let c = 0; c < C; c++) {
        for (let h = 0; h < H; h++) y[(b * C + c) * H + h] += D[c * H + h] * x.data[b * H + h];
      }
    }
    const flat = this.#swap ? swapAxes(y, batch, C, H, 1) : y;
    const out = this.activation.apply(flat, batch, C * H, 1);
    return { y: { data: out, shape: [batch, this.activation.gated ? (C * H) / 2 : C * H] }, state: next };
  }

  #assertCausal(): void {
    if (this.bidirectional) {
      throw new RangeError('a bidirectional FFTConv has no recurrent step: it looks at future inputs');
    }
  }
}

/** [a; b] in a's precision. */
function concatenated(a: RealArray, b: RealArray): RealArray {
  const out = allocateLike(a, a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
