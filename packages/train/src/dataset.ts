// What training reads from a dataset: the `SequenceDataset` interface of @statespace/datasets,
// restated structurally so that this package needs no runtime dependency on the data packages
// (MNIST, SpamAssassin). Every dataset of @statespace/datasets fits it, and so does any object
// with these fields (tests build tiny ones).

/** What a model must output for a task (the datasets' `Target`). */
export type TaskTarget =
  /** One label per example (cross-entropy). */
  | { readonly kind: 'class'; readonly classes: number }
  /** A label per output position, read from the last `length` positions (cross-entropy). */
  | { readonly kind: 'sequence-class'; readonly classes: number; readonly length: number }
  /** Real targets (mean squared error). */
  | { readonly kind: 'regression'; readonly outputs: number };

/** One example: its input (suffix-padded to the dataset's length), true length and target. */
export interface TrainingExample {
  /** Float32Array L×features (real inputs) or Int32Array L (tokens). */
  readonly input: Float32Array | Int32Array;
  /** The true length (≤ L). */
  readonly length: number;
  /** A class number, an Int32Array of `target.length` classes, or a Float32Array of `target.outputs` values. */
  readonly target: number | Int32Array | Float32Array;
}

/** A finite, indexable set of sequences (structurally the `SequenceDataset` of @statespace/datasets). */
export interface TrainingDataset {
  /** Task and split, e.g. `'smnist/train'` (used in error messages). */
  readonly name: string;
  /** Number of examples. */
  readonly size: number;
  /** Maximum sequence length L. */
  readonly length: number;
  /** `real`: inputs are [L, features] values; `tokens`: inputs are [L] integers in [0, vocab). */
  readonly input:
    | { readonly kind: 'real'; readonly features: number }
    | { readonly kind: 'tokens'; readonly vocab: number };
  readonly target: TaskTarget;
  /** True when examples have different lengths: batches then carry lengths and class decoders pool up to them. */
  readonly variableLength?: boolean;
  /** Example i (0 ≤ i < size); the same i always gives the same example. */
  example(i: number): TrainingExample;
}
