import type { TrainingBatch } from './batches';
import type { TaskTarget } from './dataset';
import { crossEntropy, type LossOutput, meanSquaredError } from './losses';

/**
 * The loss a task's target calls for, on a model's outputs for a batch: cross-entropy for `class`
 * ([B, classes] logits) and `sequence-class` ([B, length, classes], the mean over every position),
 * mean squared error for `regression` ([B, outputs]).
 * @throws RangeError when the outputs' shape is not the one the target needs.
 */
export function taskLoss(
  target: TaskTarget,
  outputs: { readonly data: ArrayLike<number>; readonly shape: readonly number[] },
  y: TrainingBatch['y'],
): LossOutput {
  const B = y.shape[0];
  const expected =
    target.kind === 'class'
      ? [B, target.classes]
      : target.kind === 'sequence-class'
        ? [B, target.length, target.classes]
        : [B, target.outputs];
  if (outputs.shape.length !== expected.length || outputs.shape.some((d, i) => d !== expected[i])) {
    throw new RangeError(
      `the model outputs [${outputs.shape.join(', ')}] but a ${target.kind} target needs [${expected.join(', ')}]: build the model for the task (modelForTask)`,
    );
  }
  if (target.kind === 'regression') return meanSquaredError(outputs.data, y.data as Float32Array);
  return crossEntropy(outputs.data, y.data as Int32Array, target.classes);
}
