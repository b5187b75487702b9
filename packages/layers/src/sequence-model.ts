import { assertFinite, type ComplexTensor, type RealArray, type Rng, type Tensor } from '@statespace/complex';
import type { DplrStepMode } from '@statespace/kernels';
import { childOptions, createContext, MODULE_OPTIONS, type ModuleOptions } from './context';
import { SequenceDecoder, type SequenceDecoderOptions } from './decoder';
import { dropoutRecorded } from './dropout-vjp';
import { Embedding } from './embedding';
import { parseLengths } from './layout';
import { Linear } from './linear';
import { Module } from './module';
import { Normalization, type NormOptions } from './normalization';
import { assertKnownOptions, booleanOption, integerOption, probabilityOption } from './options';
import type { ResidualOptions } from './residual';
import { SequenceResidualBlock, type SequenceResidualBlockOptions } from './residual-block';
import type { StepOutput } from './step';
import type { Tape } from './tape';

/** An input encoder: a linear map of `d_input` real features, or an embedding of `n_tokens` tokens. */
export type EncoderOptions =
  | { _name_: 'linear'; d_input: number }
  | { _name_: 'embedding'; n_tokens: number };

/** Options of {@link SequenceModel} (the official backbone's names, plus an encoder and a decoder). */
export interface SequenceModelOptions extends ModuleOptions {
  /** Features of every block. */
  d_model: number;
  /** Number of blocks (default 1); with a list of layers, the list is repeated n_layers times. */
  n_layers?: number;
  /** Only false: the model works on [batch, length, features] (default false). */
  transposed?: false;
  /** Dropout of every block, and of every layer that sets none (default 0). */
  dropout?: number;
  /** Share dropout masks over the sequence (default false). */
  tie_dropout?: boolean;
  /** Normalise before each layer and once at the end (default true), or after each residual. */
  prenorm?: boolean;
  /** S4Block options of the layers: one object for all, or a list repeated n_layers times (default `{}`). */
  layer?:
    | SequenceResidualBlockOptions['layer']
    | readonly NonNullable<SequenceResidualBlockOptions['layer']>[];
  /** Residual of every block (default `R`). */
  residual?: ResidualOptions | null;
  /** Normalisation of every block and the final one (default `layer`). */
  norm?: NormOptions | null;
  /** Dropout on the inputs of the first block, in training mode (default 0). */
  dropinp?: number;
  /** Stochastic depth of every block (default 0). */
  drop_path?: number;
  /** Input encoder (default null: inputs already have d_model features). */
  encoder?: EncoderOptions | null;
  /** Output decoder (default null: the backbone's output sequence). */
  decoder?: SequenceDecoderOptions | null;
}

const SEQUENCE_MODEL_OPTIONS = [
  'd_model',
  'n_layers',
  'transposed',
  'dropout',
  'tie_dropout',
  'prenorm',
  'layer',
  'residual',
  'norm',
  'dropinp',
  'drop_path',
  'encoder',
  'decoder',
  ...MODULE_OPTIONS,
];

/** Real features [batch, length, d_input] (or [batch, length, d_model] without encoder), or integer tokens [batch, length]. */
export interface SequenceInput {
  readonly data: ArrayLike<number>;
  readonly shape: readonly number[];
}

/** Options of {@link SequenceModel.forward}. */
export interface SequenceModelForwardOptions {
  /** Lengths of suffix-padded sequences: masked in every block and used by a `use_lengths` decoder. */
  lengths?: number | readonly number[];
  /** The states of every block (chunked processing); the output then has the next ones. */
  state?: readonly ComplexTensor[];
  /** Sampling-rate factor (default 1). */
  rate?: number;
  /** Records the model on this tape, for the gradients of x (features) and every parameter (see {@link Tape}). */
  tape?: Tape;
}

/** What {@link SequenceModel.forward} returns. */
export interface SequenceModelOutput {
  /** The decoder's output, or the backbone's [batch, length, d_model]. */
  y: Tensor;
  /** The states of every block after the chunk, when states were given. */
  state?: ComplexTensor[];
}

/**
 * The official backbone `SequenceModel` between an encoder and a decoder: encoder → input dropout
 * → n_layers × {@link SequenceResidualBlock} → final norm (with prenorm) → decoder. Tensors:
 * `encoder.weight/bias`, `layers.<i>.…`, `norm.norm.…`, `decoder.output_transform.…`.
 *
 * Recurrent inference: `setupStep(mode)`, `defaultState(batch)` (one state per block), then
 * `step(x, state)` token by token; or `forward(x, { state })` chunk by chunk. All agree with one
 * whole-sequence forward (up to rounding) for causal layers.
 */
export class SequenceModel extends Module {
  readonly d_model: number;
  readonly d_output: number;
  readonly encoder: Linear | Embedding | undefined;
  readonly layers: readonly SequenceResidualBlock[];
  readonly norm: Normalization | undefined;
  readonly decoder: SequenceDecoder | undefined;
  readonly #dropinp: number;
  readonly #tieDropout: boolean;
  readonly #rng: Rng;

  /** @throws RangeError for an unknown or invalid option, naming it. */
  constructor(options: SequenceModelOptions) {
    super();
    assertKnownOptions('SequenceModel options', options, SEQUENCE_MODEL_OPTIONS);
    if (options.transposed !== undefined && options.transposed !== false) {
      throw new RangeError('transposed must be false: SequenceModel works on [batch, length, features]');
    }
    const context = createContext(options);
    const d = integerOption('d_model', options.d_model, Number.NaN);
    this.d_model = d;
    const nLayers = integerOption('n_layers', options.n_layers, 1);
    const dropoutP = probabilityOption('dropout', options.dropout);
    this.#dropinp = probabilityOption('dropinp', options.dropinp);
    this.#tieDropout = booleanOption('tie_dropout', options.tie_dropout, false);
    const prenorm = booleanOption('prenorm', options.prenorm, true);
    const norm = options.norm === undefined ? 'layer' : options.norm;

    const encoder = options.encoder ?? null;
    if (encoder !== null) {
      if (encoder._name_ === 'linear') {
        assertKnownOptions('encoder', encoder, ['_name_', 'd_input']);
        this.encoder = this.registerModule(
          'encoder',
          new Linear({ d_input: encoder.d_input, d_output: d, ...childOptions(context) }),
        );
      } else if (encoder._name_ === 'embedding') {
        assertKnownOptions('encoder', encoder, ['_name_', 'n_tokens']);
        this.encoder = this.registerModule(
          'encoder',
          new Embedding({ n_tokens: encoder.n_tokens, d_model: d, ...childOptions(context) }),
        );
      } else {
        throw new RangeError(
          `encoder _name_ must be 'linear' or 'embedding'; got '${String((encoder as { _name_: unknown })._name_)}'`,
        );
      }
    }

    const layerList = Array.isArray(options.layer) ? options.layer : [options.layer ?? {}];
    const blocks: SequenceResidualBlock[] = [];
    for (let i = 0; i < nLayers * layerList.length; i++) {
      const layer = layerList[i % layerList.length];
      const block = new SequenceResidualBlock({
        d_input: d,
        i_layer: i + 1,
        prenorm,
        dropout: dropoutP,
        tie_dropout: this.#tieDropout,
        // As officially, a layer without its own dropout takes the model's.
        layer: { ...layer, dropout: layer.dropout ?? dropoutP },
        residual: options.residual === undefined ? 'R' : options.residual,
        norm,
        drop_path: options.drop_path,
        ...childOptions(context),
      });
      if (block.d_output !== d) {
        throw new RangeError(
          `block ${i} outputs ${block.d_output} features, but every block must output d_model = ${d}`,
        );
      }
      blocks.push(this.registerModule(`layers.${i}`, block));
    }
    this.layers = blocks;
    this.norm =
      prenorm && norm !== null
        ? this.registerModule('norm', new Normalization(d, norm, childOptions(context)))
        : undefined;
    this.decoder =
      options.decoder == null
        ? undefined
        : this.registerModule('decoder', new SequenceDecoder(d, options.decoder, childOptions(context)));
    this.d_output = this.decoder?.d_output ?? d;
    this.#rng = this.registerMaskRng(childOptions(context).seed);
  }

  /**
   * The model on a batch of sequences.
   * @param x - Features [batch, length, d_input] (d_model without encoder) of the model's
   *   precision, or tokens [batch, length] with an embedding encoder.
   * @throws RangeError for a bad input, lengths or states.
   */
  async forward(x: SequenceInput, options: SequenceModelForwardOptions = {}): Promise<SequenceModelOutput> {
    const [batch, length] = this.#inputDims(x, 'x', 2);
    const rows = batch * length;
    const { state, tape } = options;
    let h = this.#encode(x, rows, tape);
    if (this.training) {
      const layout = { batch, length, features: this.d_model, transposed: false };
      // Dropout works in place: without an encoder h is the caller's input, which must stay intact.
      if (this.#dropinp > 0 && h === x.data) h = h.slice();
      h = dropoutRecorded(h, this.#dropinp, this.#rng, layout, this.#tieDropout, tape);
    }
    if (state !== undefined && (!Array.isArray(state) || state.length !== this.layers.length)) {
      throw new RangeError(
        `state must hold one state per block (${this.layers.length}); got ${Array.isArray(state) ? state.length : String(state)}`,
      );
    }
    const next: ComplexTensor[] = [];
    for (const [i, block] of this.layers.entries()) {
      const out = await block.forward(
        { data: h, shape: [batch, length, this.d_model] },
        { lengths: options.lengths, rate: options.rate, tape, ...(state ? { state: state[i] } : {}) },
      );
      h = out.y.data;
      if (out.state) next.push(out.state);
    }
    if (this.norm) h = this.norm.forwardRows(h, rows, tape);
    const y = this.decoder
      ? this.decoder.forward(
          h,
          batch,
          length,
          parseLengths(options.lengths, batch, length) ?? lengthsOf(batch, length),
          tape,
        )
      : { data: h, shape: [batch, length, this.d_model] };
    return { y, ...(state ? { state: next } : {}) };
  }

  /** Prepares the recurrent step of every block (see `SSMKernel.setupStep` for the modes). */
  setupStep(mode?: DplrStepMode): void {
    for (const block of this.layers) block.setupStep(mode);
  }

  /** Zero states for `batch` sequences, one per block. */
  defaultState(batch: number): ComplexTensor[] {
    return this.layers.map((block) => block.defaultState(batch));
  }

  /**
   * One time step: x [batch, d_input] (features) or [batch] (tokens) → the decoder's step output
   * [batch, d_output] (or the backbone's [batch, d_model]) and the next states.
   */
  step(x: SequenceInput, state: readonly ComplexTensor[]): StepOutput<ComplexTensor[]> {
    const [batch] = this.#inputDims(x, 'x', 1);
    if (!Array.isArray(state) || state.length !== this.layers.length) {
      throw new RangeError(`state must hold one state per block (${this.layers.length})`);
    }
    let h = this.#encode(x, batch);
    const next: ComplexTensor[] = [];
    for (const [i, block] of this.layers.entries()) {
      const out = block.step({ data: h, shape: [batch, this.d_model] }, state[i]);
      h = out.y.data;
      next.push(out.state);
    }
    if (this.norm) h = this.norm.step(h, batch);
    const y = this.decoder ? this.decoder.step(h, batch) : h;
    return { y: { data: y, shape: [batch, this.d_output] }, state: next };
  }

  /** [rows, d_model] features of the inputs. */
  #encode(x: SequenceInput, rows: number, tape?: Tape): RealArray {
    if (this.encoder instanceof Embedding) return this.encoder.forwardRows(x.data, rows, tape);
    const data = x.data;
    if (!(data instanceof Float64Array || data instanceof Float32Array)) {
      throw new TypeError('x.data must be a Float64Array or Float32Array of the model precision');
    }
    assertFinite('x', data);
    return this.encoder ? this.encoder.forwardRows(data, rows, tape) : data;
  }

  /** The leading dimensions of an input with `lead` of them before the features (tokens have none). */
  #inputDims(x: SequenceInput, arg: string, lead: number): number[] {
    const tokens = this.encoder instanceof Embedding;
    const features = this.encoder instanceof Linear ? this.encoder.d_input : this.d_model;
    const shape = x?.shape;
    const rank = tokens ? lead : lead + 1;
    const names = lead === 2 ? 'batch, length' : 'batch';
    const want = tokens ? `[${names}] (tokens)` : `[${names}, ${features}]`;
    if (
      !Array.isArray(shape) ||
      shape.length !== rank ||
      shape.slice(0, lead).some((d) => !Number.isInteger(d) || d < 1) ||
      (!tokens && shape[lead] !== features) ||
      x.data?.length !== shape.reduce((a, b) => a * b, 1)
    ) {
      throw new RangeError(
        `${arg} must have shape ${want} with matching data; got [${shape?.join(', ') ?? ''}]`,
      );
    }
    return shape.slice(0, lead);
  }
}

function lengthsOf(batch: number, length: number): number[] {
  return Array.from({ length: batch }, () => length);
}
