import type { Module } from '@statespace/layers';

/** Where a non-finite value was found: a parameter's values, the loss, or a parameter's gradient. */
export type NonFiniteKind = 'parameter' | 'loss' | 'gradient';

/**
 * Thrown by the training loop's NaN/Inf guard, naming the first non-finite quantity of a step:
 * parameters are checked before the step, then the loss, then the gradients.
 */
export class NonFiniteError extends Error {
  /** The parameter (official dotted name) whose values or gradient are not finite, or `'loss'`. */
  readonly parameter: string;
  readonly kind: NonFiniteKind;
  /** The epoch, from 1. */
  readonly epoch: number;
  /** The step within the epoch, from 1. */
  readonly step: number;
  /** The first non-finite value and its index (the loss has index 0). */
  readonly value: number;
  readonly index: number;

  constructor(
    kind: NonFiniteKind,
    parameter: string,
    value: number,
    index: number,
    epoch: number,
    step: number,
  ) {
    const what =
      kind === 'loss'
        ? `the loss is ${value}`
        : kind === 'parameter'
          ? `parameter '${parameter}' holds ${value} at index ${index}`
          : `the gradient of '${parameter}' is ${value} at index ${index}`;
    const hint =
      kind === 'parameter'
        ? 'it was set so before this step, or the previous update overflowed'
        : 'lower the learning rate, clip gradients (clip), or check the inputs';
    super(`non-finite value at epoch ${epoch}, step ${step}: ${what} (${hint})`);
    this.name = 'NonFiniteError';
    this.kind = kind;
    this.parameter = parameter;
    this.value = value;
    this.index = index;
    this.epoch = epoch;
    this.step = step;
  }
}

/** The guard after a step's backward pass: throws a {@link NonFiniteError} for a non-finite loss, then gradient. */
export function assertFiniteStep(
  loss: number,
  grads: ReadonlyMap<string, ArrayLike<number>>,
  epoch: number,
  step: number,
): void {
  if (!Number.isFinite(loss)) throw new NonFiniteError('loss', 'loss', loss, 0, epoch, step);
  for (const [name, g] of grads) {
    const i = firstNonFinite(g);
    if (i >= 0) throw new NonFiniteError('gradient', name, g[i], i, epoch, step);
  }
}

/**
 * The guard before a step: throws a {@link NonFiniteError} for the first parameter of `model`
 * holding a non-finite value (checked first, as it is the root cause of a non-finite loss).
 */
export function assertFiniteParameters(model: Module, epoch: number, step: number): void {
  for (const [name, p] of model.parameters()) {
    const i = firstNonFinite(p.data);
    if (i >= 0) throw new NonFiniteError('parameter', name, p.data[i], i, epoch, step);
  }
}

function firstNonFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}
