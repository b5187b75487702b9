import type { TaskName } from '@statespace/datasets';
import type { POOLINGS } from '@statespace/train';
import type { Precision } from './backend';

// The defaults of `statespace train`, in this one place. With no flags it runs the main job of the
// README's Quick start: sequential MNIST with a small S4D model, sized to finish in about five minutes
// on a 2-core CPU (see MAIN_JOB's measured time), then prints the test accuracy, writes the learning
// curve and the checkpoint, and streams a few test digits. `--quick` is the same job shrunk to seconds
// (tests, CI); every flag given on the command line overrides both.

/** Every setting of a training run that has a default. */
export interface TrainSettings {
  readonly task: TaskName;
  readonly model: 's4' | 's4d';
  readonly layers: number;
  readonly dModel: number;
  readonly dState: number;
  readonly epochs: number;
  readonly lr: number;
  readonly weightDecay: number;
  readonly batch: number;
  readonly precision: Precision;
  readonly seed: number;
  /** Training examples (the first n of the train split); undefined: all of them. */
  readonly trainSize: number | undefined;
  /** Test examples evaluated after each epoch; undefined: all of them. */
  readonly testSize: number | undefined;
  /** Test examples streamed step by step after training (sMNIST and psMNIST). */
  readonly streamCount: number;
  /** Batches of examples of similar length (`--bucket`; variable-length tasks). */
  readonly lengthBuckets?: boolean;
  /** Bidirectional layers (`--bidirectional`). */
  readonly bidirectional?: boolean;
  /** The decoder's readout for class tasks (`--pool`; default mean). */
  readonly pool?: (typeof POOLINGS)[number];
}

/**
 * The main job: `statespace train` with no flags. Measured on the 2-core development CPU (Node 20,
 * float32, data-parallel on both cores, machine otherwise idle): training 3.6 minutes (75–86
 * samples/s), 87.9 % test accuracy (83.0 % after epoch 1); about 4.5 minutes for `corepack pnpm
 * start` with the build and the streamed digits. Details in apps/cli/README.md ("The main job").
 */
export const MAIN_JOB: TrainSettings = {
  task: 'smnist',
  model: 's4d',
  layers: 2,
  dModel: 32,
  dState: 32,
  epochs: 2,
  lr: 0.01,
  weightDecay: 0.01,
  batch: 16,
  precision: 'f32',
  seed: 0,
  trainSize: undefined,
  testSize: undefined,
  streamCount: 3,
};

/** `--quick`: the main job in seconds (one epoch on a few hundred digits, a tiny model). */
export const QUICK: TrainSettings = {
  ...MAIN_JOB,
  layers: 1,
  dModel: 8,
  dState: 8,
  epochs: 1,
  trainSize: 256,
  testSize: 64,
  streamCount: 1,
};

/**
 * The defaults of a run: `--quick` shrinks any task like the main job; sMNIST and psMNIST take the
 * main job's settings; the other tasks the same model and optimiser on their whole splits.
 */
export function defaultSettings(task: TaskName, quick: boolean): TrainSettings {
  if (quick) return { ...QUICK, task };
  if (task === 'smnist' || task === 'psmnist') return { ...MAIN_JOB, task };
  return { ...MAIN_JOB, task, streamCount: 0 };
}
