import type { KernelBackend } from '@statespace/kernels';
import {
  readSafetensors,
  type Safetensors,
  SequenceModel,
  type SequenceModelOptions,
  writeFileAtomic,
  writeSafetensors,
} from '@statespace/layers';
import type { Optimizer, OptimizerKind } from './optimizer';
import type { EpochMetrics } from './progress';
import type { ReduceOnPlateauState } from './reduce-on-plateau';
import type { Totals } from './totals';

// A training checkpoint is a directory of three files: model.safetensors (the model's state dict,
// official key names), optimizer.safetensors (the optimizer's state) and state.json (where training
// stands). Node.js only: the file system is imported when a function is called, so that the
// package still loads in browsers. Each file is written to a temporary name and renamed; state.json goes last, and a
// `generation` tag in all three tells whether they belong to the same save.

/** `dir/name` (forward slashes work on every platform Node.js runs on). */
function join(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}

/** File names inside a checkpoint directory. */
export const CHECKPOINT_FILES = {
  model: 'model.safetensors',
  optimizer: 'optimizer.safetensors',
  state: 'state.json',
} as const;

/** Settings of the run that fix which batches and updates come next (checked when resuming). */
export interface RunSettings {
  batchSize: number;
  trainSize: number;
  epochs: number;
  optimizer: OptimizerKind;
  lr: number;
  weightDecay: number;
  schedule: 'cosine' | 'plateau' | 'constant';
  warmupSteps: number;
  clip: number | null;
  workers: number;
  /** Batches of examples of similar length ({@link FitOptions.lengthBuckets}); absent in older checkpoints (false). */
  lengthBuckets?: boolean;
}

/** state.json: where training stands. */
export interface TrainingState {
  /** Format version of this file (1). */
  format: 1;
  /** Completed epochs: training continues with epoch `epoch` (0-based), i.e. epoch number epoch + 1. */
  epoch: number;
  /**
   * Training steps already done of that epoch: 0 at an epoch boundary, between 1 and
   * stepsPerEpoch − 1 after an abort mid-epoch, stepsPerEpoch when aborted during its evaluation.
   */
  step: number;
  /** Optimizer steps done so far (the schedule's position). */
  globalStep: number;
  /** The run's seed (batch order). */
  seed: number;
  /** Metrics of the completed epochs. */
  history: EpochMetrics[];
  /** The model's options (without backend): `new SequenceModel(modelOptions)` rebuilds it. */
  modelOptions: SequenceModelOptions;
  /** Whatever the caller stored with the run (the CLI: task name and options). */
  task?: unknown;
  /** Training sums of the unfinished epoch (when step > 0). */
  partial?: { totals: Totals; seconds: number };
  /** ReduceOnPlateau's counters (schedule `plateau`). */
  plateau?: ReduceOnPlateauState;
  settings: RunSettings;
  /** Tag shared by the three files of one save. */
  generation: string;
}

/** A checkpoint read back: its state and the tensors of its two safetensors files. */
export interface StoredCheckpoint {
  state: TrainingState;
  model: Safetensors['tensors'];
  optimizer: Safetensors['tensors'];
}

/**
 * Writes a checkpoint of `model`, `optimizer` and `state` (whose `generation` is replaced) into
 * `dir` (created when missing). A crash at any point leaves whole files: the previous checkpoint,
 * or files of two saves, which {@link readCheckpoint} detects.
 */
export async function saveCheckpointDir(
  dir: string,
  model: SequenceModel,
  optimizer: Optimizer,
  state: Omit<TrainingState, 'generation'>,
): Promise<void> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(dir, { recursive: true });
  const generation = `${state.epoch}.${state.step}.${Date.now().toString(36)}.${Math.random().toString(36).slice(2, 8)}`;
  await writeSafetensors(join(dir, CHECKPOINT_FILES.model), model.stateDict(), { generation });
  await writeSafetensors(join(dir, CHECKPOINT_FILES.optimizer), optimizer.stateDict(), { generation });
  const json = `${JSON.stringify({ ...state, generation }, null, 2)}\n`;
  await writeFileAtomic(join(dir, CHECKPOINT_FILES.state), new TextEncoder().encode(json));
}

/**
 * Reads the checkpoint in `dir`, or returns undefined when it holds no state.json.
 * @throws Error when the files are not of one save or state.json is not a training state.
 */
export async function readCheckpoint(dir: string): Promise<StoredCheckpoint | undefined> {
  const { readFile } = await import('node:fs/promises');
  let text: string;
  try {
    text = await readFile(join(dir, CHECKPOINT_FILES.state), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const state = JSON.parse(text) as TrainingState;
  if (state?.format !== 1 || typeof state.generation !== 'string') {
    throw new Error(`${join(dir, CHECKPOINT_FILES.state)} is not a training state of format 1`);
  }
  const model = await readSafetensors(join(dir, CHECKPOINT_FILES.model));
  const optimizer = await readSafetensors(join(dir, CHECKPOINT_FILES.optimizer));
  for (const [file, read] of [
    [CHECKPOINT_FILES.model, model],
    [CHECKPOINT_FILES.optimizer, optimizer],
  ] as const) {
    if (read.metadata.generation !== state.generation) {
      throw new Error(
        `the checkpoint in ${dir} is inconsistent: ${file} (save ${read.metadata.generation ?? 'untagged'}) is not from the save of ${CHECKPOINT_FILES.state} (${state.generation}); a save was interrupted — delete the directory to start over`,
      );
    }
  }
  return { state, model: model.tensors, optimizer: optimizer.tensors };
}

/** Options of {@link loadTrainedModel}. */
export interface LoadTrainedModelOptions {
  /** Where the rebuilt model's kernels run (default `'cpu'`). */
  backend?: KernelBackend | 'cpu';
}

/**
 * The model of a training checkpoint: rebuilt from state.json's `modelOptions` and loaded with the
 * weights of model.safetensors, in evaluation mode.
 * @throws Error when `dir` holds no checkpoint or an inconsistent one.
 */
export async function loadTrainedModel(
  dir: string,
  options: LoadTrainedModelOptions = {},
): Promise<{ model: SequenceModel; state: TrainingState }> {
  const stored = await readCheckpoint(dir);
  if (!stored) throw new Error(`no training checkpoint in ${dir} (${CHECKPOINT_FILES.state} is missing)`);
  const model = new SequenceModel({ ...stored.state.modelOptions, backend: options.backend ?? 'cpu' });
  model.loadStateDict(stored.model);
  return { model, state: stored.state };
}
