/** The tasks {@link loadTask} knows, by name. */
export type TaskName = 'smnist' | 'psmnist' | 'copy' | 'adding' | 'listops' | 'spam';

/** What a model must output for a task. */
export type Target =
  /** One label per example (cross-entropy). */
  | { kind: 'class'; classes: number }
  /** A label per output position: the model's decoder reads the last `length` positions (copy task). */
  | { kind: 'sequence-class'; classes: number; length: number }
  /** Real targets (adding problem, mean squared error). */
  | { kind: 'regression'; outputs: number };

/** How a task's inputs are encoded. */
export type InputKind =
  /** Inputs are [L, features] float32 values. */
  | { kind: 'real'; features: number }
  /** Inputs are [L] integer tokens in [0, vocab); 0 is padding where examples have variable lengths. */
  | { kind: 'tokens'; vocab: number };

/** One example of a dataset. */
export interface Example {
  /** Float32Array L×features (real inputs) or Int32Array L (tokens), suffix-padded with zeros. */
  input: Float32Array | Int32Array;
  /** The true length (≤ L): the positions before the padding. */
  length: number;
  /** A class number, an Int32Array of `target.length` classes, or a Float32Array of `target.outputs` values. */
  target: number | Int32Array | Float32Array;
}

/** A finite, indexable set of sequences with one kind of input and target. */
export interface SequenceDataset {
  /** Task and split, e.g. `'smnist/train'`. */
  readonly name: string;
  /** Number of examples. */
  readonly size: number;
  /** Maximum sequence length L: every input holds L steps, suffix-padded. */
  readonly length: number;
  readonly input: InputKind;
  readonly target: Target;
  /** True when examples have different lengths (listops, spam): batches then carry `lengths`. */
  readonly variableLength?: boolean;
  /** Example i (0 ≤ i < size). The same i always gives the same example. */
  example(i: number): Example;
}

/** A batch of examples, inputs padded to the dataset's length L. */
export interface Batch {
  /** [B, L, features] float32 (real inputs) or [B, L] int32 tokens. */
  readonly x: { data: Float32Array | Int32Array; shape: readonly number[] };
  /** Int32Array [B] (class), Int32Array [B, length] (sequence-class) or Float32Array [B, outputs] (regression). */
  readonly y: { data: Int32Array | Float32Array; shape: readonly number[] };
  /** True lengths [B] when the dataset has variable lengths (listops, spam); undefined otherwise. */
  readonly lengths?: Int32Array;
  /** Dataset indices of the batch's examples. */
  readonly indices: Int32Array;
}

/** How {@link batches} walks through a dataset. */
export interface BatchOptions {
  /** Examples per batch (an integer ≥ 1). */
  batchSize: number;
  /** Visit the examples in a permuted order (default false: index order). */
  shuffle?: boolean;
  /** Shuffle seed (default 0); epoch e uses the permutation derived from (seed, e). */
  seed?: number;
  /** Epoch number (default 0). */
  epoch?: number;
  /** Drop a last batch smaller than `batchSize` (default false). */
  dropLast?: boolean;
  /** Only positions [start, end) of the (shuffled) order: for resuming mid-epoch and for sharding. */
  start?: number;
  end?: number;
}

/** Options every task accepts. */
export interface TaskOptions {
  /** Seed of the generated examples (synthetic tasks; default 0). Loaded data sets have a fixed split and ignore it. */
  seed?: number;
  /** Keep at most the first n examples of each split (quick runs, tests). */
  limit?: { train?: number; test?: number };
}

/** The train and test splits of a task. */
export interface TaskSplits {
  train: SequenceDataset;
  test: SequenceDataset;
}
