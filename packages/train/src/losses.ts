// The training losses with their gradients with respect to the model outputs, computed in float64.

/** A loss over a batch: its value, ∂loss/∂outputs, and the counts metrics are averaged over. */
export interface LossOutput {
  /** The mean loss. */
  loss: number;
  /** ∂loss/∂outputs, in the outputs' layout. */
  grad: Float64Array;
  /** Rows whose largest logit is the label (classification only). */
  correct?: number;
  /** Terms the mean is taken over: rows (cross-entropy) or values (mean squared error). */
  count: number;
}

/**
 * Mean cross-entropy of rows of logits against integer labels — torch
 * `F.cross_entropy(logits.view(-1, classes), labels.view(-1))` — with its gradient
 * (softmax − one-hot)/rows and the number of rows whose arg-max (first maximum) is the label.
 * The log-softmax subtracts each row's maximum first, so large logits do not overflow.
 *
 * @param logits - rows × classes values, row-major (a batch, or a batch of positions).
 * @param labels - One class in [0, classes) per row.
 * @throws RangeError for a bad `classes`, a length mismatch or a label out of range.
 */
export function crossEntropy(logits: ArrayLike<number>, labels: Int32Array, classes: number): LossOutput {
  if (!Number.isInteger(classes) || classes < 1) {
    throw new RangeError(`classes must be an integer ≥ 1; got ${classes}`);
  }
  const rows = labels.length;
  if (rows === 0) throw new RangeError('labels must hold at least one label');
  if (logits.length !== rows * classes) {
    throw new RangeError(
      `logits must hold labels.length × classes = ${rows} × ${classes} values; got ${logits.length}`,
    );
  }
  const grad = new Float64Array(logits.length);
  let total = 0;
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    const label = labels[r];
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new RangeError(`labels must be integers in [0, ${classes}); found ${label} at row ${r}`);
    }
    const o = r * classes;
    let max = logits[o];
    let argmax = 0;
    for (let c = 1; c < classes; c++) {
      if (logits[o + c] > max) {
        max = logits[o + c];
        argmax = c;
      }
    }
    let sum = 0;
    for (let c = 0; c < classes; c++) {
      const e = Math.exp(logits[o + c] - max);
      grad[o + c] = e;
      sum += e;
    }
    total += Math.log(sum) + max - logits[o + label];
    for (let c = 0; c < classes; c++) grad[o + c] /= sum * rows;
    grad[o + label] -= 1 / rows;
    if (argmax === label) correct++;
  }
  return { loss: total / rows, grad, correct, count: rows };
}

/**
 * Mean squared error over every value — torch `F.mse_loss(outputs, targets)` — with its gradient
 * 2·(outputs − targets)/n.
 * @throws RangeError for a length mismatch or empty targets.
 */
export function meanSquaredError(outputs: ArrayLike<number>, targets: Float32Array): LossOutput {
  const n = targets.length;
  if (n === 0) throw new RangeError('targets must hold at least one value');
  if (outputs.length !== n) {
    throw new RangeError(`outputs must hold as many values as targets (${n}); got ${outputs.length}`);
  }
  const grad = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const d = outputs[i] - targets[i];
    total += d * d;
    grad[i] = (2 * d) / n;
  }
  return { loss: total / n, grad, count: n };
}
