import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { DType } from '@statespace/complex';
import { loadTask, TASK_NAMES, type TaskName, type TaskSplits } from '@statespace/datasets';
import { CliError } from './cli/errors';

// The files of a training run: OUT/checkpoint/ (model.safetensors, optimizer.safetensors,
// state.json), OUT/learning-curve.svg and .png, OUT/metrics.json. state.json's `task` field holds the
// task description below, so that `eval` and `stream` can rebuild the data a checkpoint was trained on.

/** The checkpoint folder inside a run's output folder. */
export const CHECKPOINT_FOLDER = 'checkpoint';
const STATE_FILE = 'state.json';

/** The task of a run, as stored in state.json. */
export interface TaskSpec {
  readonly name: TaskName;
  /** Training examples used (the first n of the train split; absent: all). */
  readonly trainSize?: number;
  /** Test examples used during training (absent: all). */
  readonly testSize?: number;
}

/** The task's splits, limited to the spec's sizes. */
export function loadTaskSpec(spec: TaskSpec): TaskSplits {
  const limit = { train: spec.trainSize, test: spec.testSize };
  return loadTask(spec.name, { limit });
}

/**
 * The checkpoint folder `--checkpoint` names: a run's output folder (holding `checkpoint/`), the
 * checkpoint folder itself, or a file inside it (`state.json`, `model.safetensors`).
 * @throws CliError when the path does not exist or holds no checkpoint.
 */
export function resolveCheckpoint(path: string): string {
  if (!existsSync(path)) throw new CliError(`--checkpoint ${path}: no such file or folder`);
  const dir = statSync(path).isDirectory() ? path : dirname(path);
  for (const candidate of [dir, join(dir, CHECKPOINT_FOLDER)]) {
    if (existsSync(join(candidate, STATE_FILE))) return candidate;
  }
  const what = statSync(path).isDirectory() ? 'folder' : `folder of ${basename(path)}`;
  throw new CliError(
    `--checkpoint ${path}: the ${what} holds no training checkpoint (${STATE_FILE}); pass the --out folder of 'statespace train' or its ${CHECKPOINT_FOLDER}/ folder`,
  );
}

/** The task stored in a checkpoint's state.json by `statespace train`. */
export function storedTask(task: unknown, dir: string): TaskSpec {
  const spec = task as Partial<TaskSpec> | undefined;
  if (!spec || !(TASK_NAMES as readonly unknown[]).includes(spec.name)) {
    throw new CliError(
      `the checkpoint in ${dir} does not say which task it was trained on (state.json has no task written by 'statespace train')`,
    );
  }
  return spec as TaskSpec;
}

/** The precision of a checkpoint's model (state.json's `modelOptions.dtype`), to pick a backend before loading it. */
export function storedDtype(dir: string): DType {
  const state = JSON.parse(readFileSync(join(dir, STATE_FILE), 'utf8')) as {
    modelOptions?: { dtype?: DType };
  };
  return state.modelOptions?.dtype ?? 'float64';
}
