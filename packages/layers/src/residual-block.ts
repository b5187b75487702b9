import type { ComplexTensor, RealArray, Rng, Tensor } from '@statespace/complex';
import type { DplrStepMode } from '@statespace/kernels';
import { childOptions, createContext, MODULE_OPTIONS, type ModuleOptions } from './context';
import { dropoutRecorded, dropPathRecorded } from './dropout-vjp';
import { sequenceDims } from './layout';
import { Module } from './module';
import { Normalization, type NormOptions } from './normalization';
import { assertKnownOptions, booleanOption, integerOption, probabilityOption } from './options';
import { Residual, type ResidualOptions } from './residual';
import { S4Block, type S4BlockOptions } from './s4-block';
import { type StepOutput, stepInputBatch } from './step';
import type { Tape } from './tape';

/** Options of {@link SequenceResidualBlock} (official names). */
export interface SequenceResidualBlockOptions extends ModuleOptions {
  /** Features of the input. */
  d_input: number;
  /** Position of the block from 1 (for the `decay` and `affine` residuals) (default 1). */
  i_layer?: number;
  /** Normalise before the layer (default true) or after the residual. */
  prenorm?: boolean;
  /** Dropout on the layer output before the residual, in training mode (default 0). */
  dropout?: number;
  /** Share that dropout mask over the sequence (default false). */
  tie_dropout?: boolean;
  /** The S4Block's options (`d_model` and `transposed` are set by the block) (default `{}`). */
  layer?: Omit<S4BlockOptions, 'd_model' | 'transposed' | keyof ModuleOptions>;
  /** Residual connection (default `R`, the official backbone config); null: none. */
  residual?: ResidualOptions | null;
  /** Normalisation (default `layer`, the official backbone config); null: none. */
  norm?: NormOptions | null;
  /** Stochastic depth: drop the residual branch of whole examples, in training mode (default 0). */
  drop_path?: number;
}

/** Every option name of {@link SequenceResidualBlockOptions}. */
export const SEQUENCE_RESIDUAL_BLOCK_OPTIONS = [
  'd_input',
  'i_layer',
  'prenorm',
  'dropout',
  'tie_dropout',
  'layer',
  'residual',
  'norm',
  'drop_path',
  ...MODULE_OPTIONS,
] as const;

/** Options of {@link SequenceResidualBlock.forward}. */
export interface ResidualBlockForwardOptions {
  /** Lengths of suffix-padded sequences (see {@link S4Block.forward}). */
  lengths?: number | readonly number[];
  /** Initial states of the layer (chunked processing). */
  state?: ComplexTensor;
  /** Sampling-rate factor (default 1). */
  rate?: number;
  /** Records the block on this tape, for the gradients of x and every parameter (see {@link Tape}). */
  tape?: Tape;
}

/** What {@link SequenceResidualBlock.forward} returns. */
export interface ResidualBlockOutput {
  /** [batch, length, d_output]. */
  y: Tensor;
  /** The layer's states after the chunk, when states were given. */
  state?: ComplexTensor;
}

/**
 * The official `SequenceResidualBlock` on [batch, length, features] sequences:
 * [prenorm] → S4Block → dropout → drop path → residual → [postnorm]. Tensors: `layer.…` (the
 * S4Block), `norm.norm.…`, `residual.…` (highway and affine residuals). Pooling and the block-level
 * `bidirectional` option of the official block are not offered (use FFTConv's `bidirectional`).
 */
export class SequenceResidualBlock extends Module {
  readonly d_input: number;
  readonly d_output: number;
  readonly prenorm: boolean;
  readonly layer: S4Block;
  readonly norm: Normalization | undefined;
  readonly residual: Residual | undefined;
  readonly #dropout: number;
  readonly #tieDropout: boolean;
  readonly #dropPath: number;
  readonly #rng: Rng;

  /** @throws RangeError for an unknown or invalid option, naming it. */
  constructor(options: SequenceResidualBlockOptions) {
    super();
    assertKnownOptions('SequenceResidualBlock options', options, SEQUENCE_RESIDUAL_BLOCK_OPTIONS);
    const context = createContext(options);
    const d = integerOption('d_input', options.d_input, Number.NaN);
    this.d_input = d;
    this.prenorm = booleanOption('prenorm', options.prenorm, true);
    this.#dropout = probabilityOption('dropout', options.dropout);
    this.#tieDropout = booleanOption('tie_dropout', options.tie_dropout, false);
    this.#dropPath = probabilityOption('drop_path', options.drop_path);
    const layerOptions = options.layer ?? {};
    if (layerOptions === null || typeof layerOptions !== 'object')
      throw new TypeError('layer must be an object of S4Block options');
    for (const key of ['d_model', 'transposed', ...MODULE_OPTIONS]) {
      if (key in layerOptions) throw new RangeError(`layer options cannot set '${key}': the block sets it`);
    }
    this.layer = this.registerModule(
      'layer',
      new S4Block({ ...layerOptions, d_model: d, transposed: false, ...childOptions(context) }),
    );
    const residual = options.residual === undefined ? 'R' : options.residual;
    this.residual =
      residual === null
        ? undefined
        : this.registerModule(
            'residual',
            new Residual(
              residual,
              integerOption('i_layer', options.i_layer, 1),
              d,
              this.layer.d_output,
              childOptions(context),
            ),
          );
    this.d_output = this.layer.d_output;
    const norm = options.norm === undefined ? 'layer' : options.norm;
    this.norm =
      norm === null
        ? undefined
        : this.registerModule(
            'norm',
            new Normalization(this.prenorm ? d : this.d_output, norm, childOptions(context)),
          );
    this.#rng = this.registerMaskRng(childOptions(context).seed);
  }

  /** The block on x [batch, length, d_input]. */
  async forward(x: Tensor, options: ResidualBlockForwardOptions = {}): Promise<ResidualBlockOutput> {
    const { batch, length } = sequenceDims('x', x, this.d_input, false);
    const rows = batch * length;
    const { tape } = options;
    const z = this.prenorm && this.norm ? this.norm.forwardRows(x.data, rows, tape) : x.data;
    const out = await this.layer.forward({ data: z, shape: [batch, length, this.d_input] }, options);
    let y = out.y.data;
    if (this.residual) {
      if (this.training) {
        const layout = { batch, length, features: this.d_output, transposed: false };
        y = dropoutRecorded(y, this.#dropout, this.#rng, layout, this.#tieDropout, tape);
        y = dropPathRecorded(y, this.#dropPath, this.#rng, batch, tape);
      }
      y = this.residual.forwardRows(x.data, y, rows, tape);
    }
    if (!this.prenorm && this.norm) y = this.norm.forwardRows(y, rows, tape);
    return {
      y: { data: y, shape: [batch, length, this.d_output] },
      ...(out.state ? { state: out.state } : {}),
    };
  }

  /** Prepares the recurrent step of the layer. */
  setupStep(mode?: DplrStepMode): void {
    this.layer.setupStep(mode);
  }

  /** A zero state for `batch` sequences. */
  defaultState(batch: number): ComplexTensor {
    return this.layer.defaultState(batch);
  }

  /** One time step: x [batch, d_input] → y [batch, d_output] and the next state. */
  step(x: Tensor, state: ComplexTensor): StepOutput {
    const batch = stepInputBatch('x', x, this.d_input);
    const z: RealArray = this.prenorm && this.norm ? this.norm.step(x.data, batch) : x.data;
    const out = this.layer.step({ data: z, shape: [batch, this.d_input] }, state);
    let y = out.y.data;
    if (this.residual) y = this.residual.forwardRows(x.data, y, batch);
    if (!this.prenorm && this.norm) y = this.norm.step(y, batch);
    return { y: { data: y, shape: [batch, this.d_output] }, state: out.state };
  }
}
