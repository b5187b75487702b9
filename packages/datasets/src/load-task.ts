import { type AddingOptions, addingTask } from './adding';
import { type CopyingOptions, copyingTask } from './copying';
import { type ListOpsOptions, listOpsTask } from './listops';
import { type LoadMnistOptions, loadMnist } from './mnist-package';
import { type SpamOptions, spamTask } from './spam-package';
import type { TaskName, TaskOptions, TaskSplits } from './types';

/** Every task {@link loadTask} knows. */
export const TASK_NAMES: readonly TaskName[] = Object.freeze([
  'smnist',
  'psmnist',
  'copy',
  'adding',
  'listops',
  'spam',
] as const);

/** The options of each task (the task name decides sMNIST vs psMNIST). */
export interface TaskOptionsByName {
  smnist: Omit<LoadMnistOptions, 'permute'>;
  psmnist: Omit<LoadMnistOptions, 'permute'>;
  copy: CopyingOptions;
  adding: AddingOptions;
  listops: ListOpsOptions;
  spam: SpamOptions;
}

/**
 * The train and test splits of a task, by name: sMNIST and psMNIST (the fixed 8,000/2,000 split of
 * the mnist package's digits; Node.js), the copy task, the adding problem, ListOps, and byte-level
 * spam classification (Node.js). Options are those of the task's own constructor ({@link loadMnist},
 * {@link copyingTask}, {@link addingTask}, {@link listOpsTask}, {@link spamTask}).
 */
export function loadTask<N extends TaskName>(name: N, options?: TaskOptionsByName[N]): TaskSplits;
export function loadTask(name: TaskName, options: TaskOptions = {}): TaskSplits {
  switch (name) {
    case 'smnist':
    case 'psmnist':
      if ('permute' in options) {
        throw new RangeError(
          `option 'permute' is not accepted by loadTask: name the task 'smnist' or 'psmnist'`,
        );
      }
      return loadMnist({ ...options, permute: name === 'psmnist' });
    case 'copy':
      return copyingTask(options);
    case 'adding':
      return addingTask(options);
    case 'listops':
      return listOpsTask(options);
    case 'spam':
      return spamTask(options);
    default:
      throw new RangeError(
        `task name must be one of ${TASK_NAMES.map((t) => `'${t}'`).join(', ')}; got '${String(name)}'`,
      );
  }
}
