/**
 * Training for S4/S4D sequence models: losses with their gradients, AdamW and SGD with the
 * official parameter groups, learning-rate schedules, gradient clipping, and `fit` — a training
 * loop with evaluation, atomic checkpoints and resume, an abort signal, a NaN/Inf guard and
 * data-parallel CPU worker threads.
 *
 * @packageDocumentation
 */
export type { BatchGradients } from './batch-gradients';
export { clipGradNorm } from './clip-grad-norm';
export type { TaskTarget, TrainingDataset, TrainingExample } from './dataset';
export { type EvaluateOptions, type Evaluation, evaluate } from './evaluate';
export { type FitOptions, type FitResult, fit, SCHEDULES } from './fit';
export { crossEntropy, type LossOutput, meanSquaredError } from './losses';
export { MODEL_KINDS, type ModelForTaskOptions, modelForTask, POOLINGS } from './model-for-task';
export { NonFiniteError, type NonFiniteKind } from './non-finite';
export {
  createOptimizer,
  OPTIMIZERS,
  type Optimizer,
  type OptimizerKind,
  type OptimizerOptions,
  type OptimizerStateTensor,
} from './optimizer';
export { type ParamGroup, parameterGroups } from './param-groups';
export type { EpochMetrics, TrainProgress } from './progress';
export { ReduceOnPlateau, type ReduceOnPlateauOptions, type ReduceOnPlateauState } from './reduce-on-plateau';
export { type CosineOptions, constantWithWarmup, cosineWithWarmup, type Schedule } from './schedules';
export { taskLoss } from './task-loss';
export {
  CHECKPOINT_FILES,
  type LoadTrainedModelOptions,
  loadTrainedModel,
  type RunSettings,
  type TrainingState,
} from './training-checkpoint';
