import type { ComplexTensor, DType, RealArray, Rng, Tensor } from '@statespace/complex';
import type { DplrStepMode } from '@statespace/kernels';
import { type Activation, parseActivation } from './activation';
import { applyActivation } from './activation-vjp';
import { childOptions, createContext } from './context';
import { dropoutRecorded } from './dropout-vjp';
import { FFTCONV_OPTIONS, FFTConv, type FFTConvOptions } from './fftconv';
import { parseLengths, sequenceDims } from './layout';
import { maskPaddingRecorded, swapAxesRecorded } from './layout-vjp';
import { Linear } from './linear';
import { linearActivation, type PositionwiseLayer } from './linear-activation';
import { Module } from './module';
import { assertKnownOptions, booleanOption, integerOption, probabilityOption } from './options';
import { type StepOutput, stepInputBatch } from './step';
import type { Tape } from './tape';

/** Options of {@link S4Block}: its own (official names) and those of its FFTConv and kernel. */
export interface S4BlockOptions extends FFTConvOptions {
  /** Run the layer on d_model/bottleneck features between two linear maps (GSS) (default null). */
  bottleneck?: number | null;
  /** Multiplicative gate of width (d_model/bottleneck)·gate (GSS) (default null). */
  gate?: number | null;
  /** Activation of the gate branch (default null). */
  gate_act?: string | null;
  /** Activation after the gate multiplication (default null). */
  mult_act?: string | null;
  /** Activation of the output linear map (default `glu`); null: no output linear map. */
  final_act?: string | null;
  /** Deprecated official alias of `final_act`. */
  postact?: string | null;
  /** The inner layer: only `fftconv` (default). */
  layer?: 'fftconv';
}

const OWN_OPTIONS = ['bottleneck', 'gate', 'gate_act', 'mult_act', 'final_act', 'postact', 'layer'] as const;

/** Every option name of {@link S4BlockOptions}. */
export const S4BLOCK_OPTIONS = [...OWN_OPTIONS, ...FFTCONV_OPTIONS] as const;

/** Options of {@link S4Block.forward}. */
export interface S4BlockForwardOptions {
  /**
   * Lengths of suffix-padded sequences: one integer, or one per example; positions at or past an
   * example's length are zeroed before the layer (official `lengths`).
   */
  lengths?: number | readonly number[];
  /** Initial states of the convolution (see {@link FFTConv.forward}). */
  state?: ComplexTensor;
  /** Sampling-rate factor (default 1). */
  rate?: number;
  /**
   * Records the block on this tape, for the gradients of x and of every parameter (see
   * {@link Tape}); not with `state`, nor band-limited S4 kernels.
   */
  tape?: Tape;
}

/** What {@link S4Block.forward} returns. */
export interface S4BlockOutput {
  /** The output, [batch, d_output, length] (transposed) or [batch, length, d_output]. */
  y: Tensor;
  /** The states after the chunk, when states were given. */
  state?: ComplexTensor;
}

/**
 * The official `S4Block`: [gate branch] → [bottleneck] → FFTConv (with its activation, GELU by
 * default) → [gate multiplication] → mult_act → dropout → position-wise linear map with
 * `final_act` (GLU by default, which doubles the map's outputs). Tensors, named as officially:
 * `layer.…` (the FFTConv), `output_linear.0.weight/bias` (any non-null `final_act`),
 * `input_linear.weight/bias`, `input_gate.weight/bias` (`input_gate.0.…` with a `gate_act`) and
 * `output_gate.weight/bias`.
 *
 * The official `gate` option crashes at construction and its `bottleneck` maps d/b → d/b; here
 * they work as in GSS: `input_linear` maps d_model → d_model/bottleneck before the layer,
 * `input_gate` d_model → (d_model/bottleneck)·gate, `output_gate` the layer's output to that width
 * (only when it differs), and `output_linear` back to d_model.
 */
export class S4Block extends Module {
  readonly d_model: number;
  /** Features of the output: d_model with an output linear map, otherwise the layer's (or the gate's). */
  readonly d_output: number;
  readonly dtype: DType;
  readonly transposed: boolean;
  readonly layer: FFTConv;
  readonly input_linear: Linear | undefined;
  readonly input_gate: PositionwiseLayer | undefined;
  readonly output_gate: Linear | undefined;
  readonly output_linear: PositionwiseLayer | undefined;
  readonly #multAct: Activation;
  readonly #dropout: number;
  readonly #tieDropout: boolean;
  readonly #rng: Rng;

  /** @throws RangeError for an unknown or invalid option, naming it. */
  constructor(options: S4BlockOptions) {
    super();
    assertKnownOptions('S4Block options', options, S4BLOCK_OPTIONS);
    const context = createContext(options);
    const {
      bottleneck,
      gate,
      gate_act,
      mult_act,
      final_act,
      postact,
      layer,
      transposed,
      dtype,
      backend,
      seed,
      ...layerOptions
    } = options;
    if ((layer ?? 'fftconv') !== 'fftconv')
      throw new RangeError(`layer must be 'fftconv'; got '${String(layer)}'`);
    if (postact !== undefined && final_act !== undefined) {
      throw new RangeError('pass final_act (postact is its deprecated alias), not both');
    }
    this.dtype = context.dtype;
    this.transposed = booleanOption('transposed', transposed, true);
    const H = integerOption('d_model', options.d_model, Number.NaN);
    this.d_model = H;
    const reduced = bottleneck == null ? H : H / integerOption('bottleneck', bottleneck, 1);
    if (!Number.isInteger(reduced))
      throw new RangeError(`bottleneck (${bottleneck}) must divide d_model (${H})`);
    const gateWidth = gate == null ? undefined : reduced * integerOption('gate', gate, 1);
    this.#multAct = parseActivation('mult_act', mult_act);
    this.#dropout = probabilityOption('dropout', options.dropout);
    this.#tieDropout = booleanOption('tie_dropout', options.tie_dropout, false);
    const child = () => childOptions(context);

    this.input_linear =
      bottleneck == null
        ? undefined
        : this.registerModule('input_linear', new Linear({ d_input: H, d_output: reduced, ...child() }));
    this.input_gate =
      gateWidth === undefined
        ? undefined
        : this.registerModule(
            'input_gate',
            linearActivation(
              { d_input: H, d_output: gateWidth, activation: gate_act ?? null, ...child() },
              'gate_act',
            ),
          );
    // The inner layer works on [batch, length, features] rows, as the official one (transposed=False).
    this.layer = this.registerModule(
      'layer',
      new FFTConv({ ...layerOptions, d_model: reduced, transposed: false, ...child() }),
    );
    this.output_gate =
      gateWidth === undefined || this.layer.d_output === gateWidth
        ? undefined
        : this.registerModule(
            'output_gate',
            new Linear({ d_input: this.layer.d_output, d_output: gateWidth, ...child() }),
          );
    const finalAct = postact !== undefined ? postact : final_act === undefined ? 'glu' : final_act;
    const inner = gateWidth ?? this.layer.d_output;
    this.output_linear =
      finalAct === null
        ? undefined
        : this.registerModule(
            'output_linear',
            linearActivation({ d_input: inner, d_output: H, activation: finalAct, ...child() }, 'final_act'),
          );
    this.d_output = this.output_linear ? H : inner;
    this.#rng = this.registerMaskRng(child().seed);
  }

  /**
   * The block on a sequence (official `forward(x, lengths, state, rate)`).
   * @param x - [batch, d_model, L] (transposed) or [batch, L, d_model], of the module's precision.
   * @throws RangeError for a bad input shape or lengths, or states the layer cannot take.
   */
  async forward(x: Tensor, options: S4BlockForwardOptions = {}): Promise<S4BlockOutput> {
    const dims = sequenceDims('x', x, this.d_model, this.transposed);
    const { batch, length: L } = dims;
    const rows = batch * L;
    const { tape } = options;
    let z = this.transposed ? swapAxesRecorded(x.data, batch, this.d_model, L, 1, tape) : x.data;
    const lengths = parseLengths(options.lengths, batch, L);
    // Without a tape the mask works in place: never on the caller's x.
    if (lengths) z = maskPaddingRecorded(z === x.data && !tape ? z.slice() : z, dims, lengths, tape);
    const v = this.input_gate?.forwardRows(z, rows, tape);
    if (this.input_linear) z = this.input_linear.forwardRows(z, rows, tape);
    const inner = this.layer.d_model;
    const out = await this.layer.forward(
      { data: z, shape: [batch, L, inner] },
      { state: options.state, rate: options.rate, tape },
    );
    let y = this.#pointwise(out.y.data, v, rows, tape);
    if (this.training && this.#dropout > 0) {
      const layout = { batch, length: L, features: y.length / rows, transposed: false };
      y = dropoutRecorded(y, this.#dropout, this.#rng, layout, this.#tieDropout, tape);
    }
    if (this.output_linear) y = this.output_linear.forwardRows(y, rows, tape);
    const F = this.d_output;
    const data = this.transposed ? swapAxesRecorded(y, batch, L, F, 1, tape) : y;
    const shape = this.transposed ? [batch, F, L] : [batch, L, F];
    return { y: { data, shape }, ...(out.state ? { state: out.state } : {}) };
  }

  /** Prepares the recurrent step (see {@link FFTConv.setupStep}). */
  setupStep(mode?: DplrStepMode): void {
    this.layer.setupStep(mode);
  }

  /** A zero state for `batch` sequences. */
  defaultState(batch: number): ComplexTensor {
    return this.layer.defaultState(batch);
  }

  /** One time step (official `S4Block.step`): x [batch, d_model] → y [batch, d_output], next state. */
  step(x: Tensor, state: ComplexTensor): StepOutput {
    const batch = stepInputBatch('x', x, this.d_model);
    const v = this.input_gate?.forwardRows(x.data, batch);
    const z = this.input_linear ? this.input_linear.forwardRows(x.data, batch) : x.data;
    const out = this.layer.step({ data: z, shape: [batch, this.layer.d_model] }, state);
    let y = this.#pointwise(out.y.data, v, batch);
    if (this.output_linear) y = this.output_linear.forwardRows(y, batch);
    return { y: { data: y, shape: [batch, this.d_output] }, state: out.state };
  }

  /**
   * The gate multiplication and mult_act on [rows, features] layer outputs (in place when
   * possible, into new arrays with a tape).
   */
  #pointwise(y: RealArray, v: RealArray | undefined, rows: number, tape?: Tape): RealArray {
    if (v !== undefined) {
      if (this.output_gate) y = this.output_gate.forwardRows(y, rows, tape);
      const a = y;
      const product = tape ? a.slice() : a;
      for (let i = 0; i < product.length; i++) product[i] *= v[i];
      tape?.record('gate', [a, v], product, (g) => [
        g.map((gi, i) => gi * v[i]),
        g.map((gi, i) => gi * a[i]),
      ]);
      y = product;
    }
    return applyActivation(this.#multAct, y, rows, y.length / rows, 1, tape);
  }
}
