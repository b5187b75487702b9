import { assertOneOf, type DType } from '@statespace/complex';
import type { KernelBackend } from '@statespace/kernels';
import { SequenceModel, type SequenceModelOptions } from '@statespace/layers';
import { integerAtLeast } from './checks';
import type { TrainingDataset } from './dataset';

/** The layer kinds {@link modelForTask} builds. */
export const MODEL_KINDS = ['s4', 's4d'] as const;

/** How {@link modelForTask} reads a class out of a sequence: the official decoder modes (`mean` is `pool`). */
export const POOLINGS = ['mean', 'first', 'last', 'sum'] as const;

/** Options of {@link modelForTask}. */
export interface ModelForTaskOptions {
  /** `s4d`: diagonal S4D layers (`mode: 'diag'`, `init: 'diag-lin'`); `s4`: S4 (`mode: 'dplr'`, `init: 'legs'`). */
  model: (typeof MODEL_KINDS)[number];
  /** Number of residual blocks. */
  layers: number;
  /** Features of every block (H). */
  dModel: number;
  /** State size N of every SSM. */
  dState: number;
  /** Dropout of every block (default 0). */
  dropout?: number;
  /** Precision (default `float64`; `float32` is the fast path). */
  dtype?: DType;
  /** Where kernels and convolutions run (default `'cpu'`: the shared multi-thread CPU backend). */
  backend?: KernelBackend | 'cpu';
  /** Seed of the initialisation and dropout masks (default 0). */
  seed?: number;
  /** LayerNorm before each layer and at the end (default true), or after each residual. */
  prenorm?: boolean;
  /**
   * Bidirectional convolutions (default false): each layer also runs its kernel backwards in time,
   * as the official LRA configurations do. Such a model has no recurrent step.
   */
  bidirectional?: boolean;
  /**
   * Class tasks: the position(s) the decoder reads (default `mean`: the mean up to each example's
   * length). `first` suits a bidirectional model (position 0 sees the whole sequence), `last` a
   * unidirectional one.
   */
  pool?: (typeof POOLINGS)[number];
}

/**
 * A `SequenceModel` for a dataset's task, close to the official small models: a linear encoder of
 * the input features (real inputs) or an embedding of the vocabulary (tokens); `layers` residual
 * blocks of S4D or S4 layers (GELU after the convolution, GLU output map, LayerNorm, residual,
 * `l_max` the dataset's length, the official SSM learning rates); and a decoder that fits the
 * target: `class` → the mean over positions (or the position `pool` names), mapped to the
 * classes; `sequence-class` → the last `length` positions, each mapped to the classes;
 * `regression` → the last position, mapped to the outputs. Positions count up to each example's
 * length for variable-length datasets.
 *
 * @returns The model, and the options it was built with minus `backend` (plain JSON, for
 *   checkpoints and for rebuilding the model in data-parallel workers).
 * @throws RangeError for an unknown model kind or bad sizes.
 */
export function modelForTask(
  dataset: TrainingDataset,
  options: ModelForTaskOptions,
): { model: SequenceModel; modelOptions: SequenceModelOptions } {
  assertOneOf('model', options.model, MODEL_KINDS);
  const pool = options.pool ?? 'mean';
  assertOneOf('pool', pool, POOLINGS);
  const bidirectional = options.bidirectional === true;
  const { input, target, length } = dataset;
  const shared = {
    d_state: integerAtLeast('dState', options.dState, 1),
    l_max: length,
    ...(bidirectional ? { bidirectional } : {}),
  };
  const layer =
    options.model === 's4d'
      ? { mode: 'diag' as const, init: 'diag-lin', ...shared }
      : { mode: 'dplr' as const, init: 'legs', ...shared };
  // Variable-length examples are decoded up to their own length (the padding is also masked in every block).
  const use_lengths = dataset.variableLength === true;
  const modelOptions: SequenceModelOptions = {
    d_model: integerAtLeast('dModel', options.dModel, 1),
    n_layers: integerAtLeast('layers', options.layers, 1),
    dropout: options.dropout ?? 0,
    prenorm: options.prenorm ?? true,
    dtype: options.dtype ?? 'float64',
    seed: options.seed ?? 0,
    layer,
    encoder:
      input.kind === 'real'
        ? { _name_: 'linear', d_input: input.features }
        : { _name_: 'embedding', n_tokens: input.vocab },
    decoder:
      target.kind === 'class'
        ? { d_output: target.classes, mode: pool === 'mean' ? 'pool' : pool, l_output: 0, use_lengths }
        : target.kind === 'sequence-class'
          ? { d_output: target.classes, mode: 'last', l_output: target.length, use_lengths }
          : { d_output: target.outputs, mode: 'last', l_output: 0, use_lengths },
  };
  const model = new SequenceModel({ ...modelOptions, backend: options.backend ?? 'cpu' });
  return { model, modelOptions };
}
