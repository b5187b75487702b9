import type { DType } from '@statespace/complex';
import { type SequenceInput, type SequenceModel, Tape } from '@statespace/layers';
import type { TrainingBatch } from './batches';
import type { TaskTarget } from './dataset';
import type { LossOutput } from './losses';
import { taskLoss } from './task-loss';

/** The loss of a batch with the gradient of every parameter (official names, float64). */
export interface BatchGradients {
  loss: number;
  correct?: number;
  count: number;
  grads: Map<string, Float64Array>;
}

/** A model's precision, read from its parameters. */
export function modelDtype(model: SequenceModel): DType {
  const first = model.parameters().values().next().value;
  return first?.data instanceof Float32Array ? 'float32' : 'float64';
}

/** A batch's inputs as `SequenceModel.forward` takes them: real values in the model's precision, or tokens. */
function modelInput(model: SequenceModel, batch: TrainingBatch): SequenceInput {
  const { data, shape } = batch.x;
  if (data instanceof Int32Array) return { data, shape };
  return { data: modelDtype(model) === 'float64' ? Float64Array.from(data) : data, shape };
}

/** One forward and backward pass of `model` (in its current mode) on a batch; no gradients when the loss is not finite. */
export async function batchGradients(
  model: SequenceModel,
  batch: TrainingBatch,
  target: TaskTarget,
): Promise<BatchGradients> {
  const tape = new Tape();
  const { y } = await model.forward(modelInput(model, batch), { tape, lengths: lengthsOf(batch) });
  const { grad, ...loss } = taskLoss(target, y, batch.y);
  // A non-finite loss is for the training loop's guard to report; the VJPs would reject its gradient.
  if (!Number.isFinite(loss.loss)) return { ...loss, grads: new Map() };
  await tape.backward(y.data, grad);
  return { ...loss, grads: tape.gradients(model) };
}

/** The loss of `model` (in its current mode) on a batch, without gradients. */
export async function batchLoss(
  model: SequenceModel,
  batch: TrainingBatch,
  target: TaskTarget,
): Promise<LossOutput> {
  const { y } = await model.forward(modelInput(model, batch), { lengths: lengthsOf(batch) });
  return taskLoss(target, y, batch.y);
}

function lengthsOf(batch: TrainingBatch): number[] | undefined {
  return batch.lengths && Array.from(batch.lengths);
}
