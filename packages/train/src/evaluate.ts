import type { SequenceModel } from '@statespace/layers';
import { batchLoss } from './batch-gradients';
import { batchCountOf, collate, lengthSortedOrder } from './batches';
import { integerAtLeast } from './checks';
import type { TrainingDataset } from './dataset';
import { addBatch, emptyTotals, meanMetrics, type Totals } from './totals';

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Examples per forward pass (default 32). */
  batchSize?: number;
}

/** The mean loss over a dataset (per row or value, as the task's loss), its accuracy and the examples seen. */
export interface Evaluation {
  loss: number;
  /** Fraction of correct rows (classification tasks only). */
  accuracy?: number;
  /** Examples evaluated. */
  count: number;
}

/**
 * The loss and accuracy of `model` on every example of `dataset` (in index order; variable-length
 * data sorted by length, so that batches carry little padding), in evaluation mode (dropout off,
 * BatchNorm's running statistics) and without a tape; the model's mode is restored afterwards.
 * @throws RangeError for a bad batch size or a model whose outputs do not fit the task.
 */
export async function evaluate(
  model: SequenceModel,
  dataset: TrainingDataset,
  options: EvaluateOptions = {},
): Promise<Evaluation> {
  const { totals } = await evaluateBatches(
    model,
    dataset,
    integerAtLeast('batchSize', options.batchSize ?? 32, 1),
  );
  return { ...meanMetrics(totals, dataset.target.kind !== 'regression'), count: totals.examples };
}

/** What {@link evaluateBatches} reports after each batch. */
export type EvaluationProgress = (done: number, batches: number, totals: Totals) => void;

/**
 * The evaluation loop behind {@link evaluate}, with a progress callback and an abort signal
 * checked before each batch (`aborted` then tells that the totals are partial).
 */
export async function evaluateBatches(
  model: SequenceModel,
  dataset: TrainingDataset,
  batchSize: number,
  onBatch?: EvaluationProgress,
  signal?: AbortSignal,
): Promise<{ totals: Totals; aborted: boolean }> {
  const wasTraining = model.training;
  model.eval();
  const totals = emptyTotals();
  const batches = batchCountOf(dataset.size, batchSize);
  const order = dataset.variableLength ? lengthSortedOrder(dataset) : undefined;
  try {
    for (let b = 0; b < batches; b++) {
      if (signal?.aborted) return { totals, aborted: true };
      const indices = Array.from(
        { length: Math.min(batchSize, dataset.size - b * batchSize) },
        (_, i) => order?.[b * batchSize + i] ?? b * batchSize + i,
      );
      const batch = collate(dataset, indices);
      addBatch(totals, await batchLoss(model, batch, dataset.target), batch.size);
      onBatch?.(b + 1, batches, totals);
    }
  } finally {
    model.train(wasTraining);
  }
  return { totals, aborted: false };
}
