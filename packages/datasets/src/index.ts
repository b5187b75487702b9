/**
 * Sequence tasks for S4/S4D models as deterministic, batched loaders: sequential and permuted MNIST,
 * the copy task, the adding problem, ListOps (Long Range Arena) and byte-level spam classification.
 * Generated tasks depend only on their seed; loaded ones have a fixed split; nothing downloads.
 *
 * @packageDocumentation
 */
export { type AddingOptions, addingTask } from './adding';
export { batchCount, batches } from './batches';
export { type CopyingOptions, copyingTask } from './copying';
export { type ListOpsOptions, listOpsTask } from './listops';
export {
  generateListOps,
  LISTOPS_VOCABULARY,
  type ListOpsExpression,
  type ListOpsParams,
} from './listops-generator';
export { loadTask, TASK_NAMES, type TaskOptionsByName } from './load-task';
export {
  MNIST_LENGTH,
  MNIST_TEST_EVERY,
  type MnistDigitsOptions,
  mnistFromDigits,
  PSMNIST_PERMUTATION_SEED,
  psmnistPermutation,
  splitMnist,
} from './mnist';
export { type LoadMnistOptions, loadMnist } from './mnist-package';
export { mixSeed } from './seed';
export {
  messageBytes,
  SPAM_MAX_LENGTH,
  type SpamDatasetOptions,
  type SpamMessage,
  spamFromMessages,
} from './spam';
export { SPAM_TEST_EVERY, type SpamOptions, spamTask } from './spam-package';
export type {
  Batch,
  BatchOptions,
  Example,
  InputKind,
  SequenceDataset,
  Target,
  TaskName,
  TaskOptions,
  TaskSplits,
} from './types';
