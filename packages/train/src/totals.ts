import type { LossOutput } from './losses';

/**
 * Running sums of a pass over batches, from which the mean loss and the accuracy follow; plain
 * numbers, so that a checkpoint taken mid-epoch can store and restore them exactly.
 */
export interface Totals {
  /** Σ loss·count over the batches. */
  lossSum: number;
  /** Σ correct (classification). */
  correct: number;
  /** Σ count: the terms the losses are means over. */
  count: number;
  /** Examples seen. */
  examples: number;
}

export function emptyTotals(): Totals {
  return { lossSum: 0, correct: 0, count: 0, examples: 0 };
}

/** Adds one batch of `examples` examples. */
export function addBatch(
  totals: Totals,
  out: Pick<LossOutput, 'loss' | 'correct' | 'count'>,
  examples: number,
): void {
  totals.lossSum += out.loss * out.count;
  totals.correct += out.correct ?? 0;
  totals.count += out.count;
  totals.examples += examples;
}

/** The mean loss and, for classification, the accuracy. */
export function meanMetrics(totals: Totals, classification: boolean): { loss: number; accuracy?: number } {
  const loss = totals.lossSum / totals.count;
  return classification ? { loss, accuracy: totals.correct / totals.count } : { loss };
}
