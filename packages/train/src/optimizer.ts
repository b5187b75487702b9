import { assertOneOf, type RealArray } from '@statespace/complex';
import type { Module } from '@statespace/layers';
import { adamwRule } from './adamw';
import { assertKnownKeys, nonNegative } from './checks';
import { type ParamGroup, parameterGroups } from './param-groups';
import { sgdRule } from './sgd';
import type { UpdateRule } from './update-rule';

export type { ParamGroup } from './param-groups';

/** The optimizers {@link createOptimizer} builds. */
export const OPTIMIZERS = ['adamw', 'sgd'] as const;

/** One of {@link OPTIMIZERS}. */
export type OptimizerKind = (typeof OPTIMIZERS)[number];

/** Global settings of an optimizer (PyTorch's names in camelCase, PyTorch's defaults). */
export interface OptimizerOptions {
  /** Global learning rate. */
  lr: number;
  /** Global weight decay (default 0.01 for AdamW, 0 for SGD, as torch). */
  weightDecay?: number;
  /** AdamW: moment decay rates (default [0.9, 0.999]). */
  betas?: readonly [number, number];
  /** AdamW: term added to the denominator (default 1e-8). */
  eps?: number;
  /** SGD: momentum factor (default 0). */
  momentum?: number;
  /** SGD: momentum dampening (default 0). */
  dampening?: number;
  /** SGD: Nesterov momentum (default false). */
  nesterov?: boolean;
}

/** A tensor of an optimizer's state dict. */
export interface OptimizerStateTensor {
  data: Float64Array;
  shape: number[];
}

/** An optimizer over a model's parameters, in the parameter groups of {@link parameterGroups}. */
export interface Optimizer {
  readonly groups: readonly ParamGroup[];
  /** Optimizer steps taken so far. */
  readonly stepCount: number;
  /**
   * Applies one update with gradients by parameter name (`Tape.gradients(model)`); `lrScale`
   * (default 1) multiplies every group's lr (schedules), weight decay included as in PyTorch.
   * @throws RangeError when a parameter's gradient is missing or has the wrong length.
   */
  step(grads: ReadonlyMap<string, ArrayLike<number>>, lrScale?: number): void;
  /** The state to checkpoint: `step` ([] shape) and `<parameter>.<exp_avg | exp_avg_sq | momentum_buffer>`. */
  stateDict(): Map<string, OptimizerStateTensor>;
  /**
   * Restores a state saved by {@link stateDict} (copied, so the source may be reused).
   * @throws RangeError listing every missing, unexpected, mis-shaped or non-finite entry; the
   *   optimizer is then unchanged.
   */
  loadStateDict(state: ReadonlyMap<string, { data: ArrayLike<number>; shape: readonly number[] }>): void;
}

const COMMON_OPTIONS = ['lr', 'weightDecay'];
const KIND_OPTIONS: Record<OptimizerKind, string[]> = {
  adamw: ['betas', 'eps'],
  sgd: ['momentum', 'dampening', 'nesterov'],
};

/**
 * An AdamW or SGD optimizer for `model` with the official parameter groups (see
 * {@link parameterGroups}): the global settings for ordinary parameters, the SSM tensors' own lr
 * and weight decay, no weight decay on biases and norms.
 * @throws RangeError for an unknown kind or option, or a setting out of range.
 */
export function createOptimizer(model: Module, kind: OptimizerKind, options: OptimizerOptions): Optimizer {
  assertOneOf('optimizer', kind, OPTIMIZERS);
  assertKnownKeys(kind, options, [...COMMON_OPTIONS, ...KIND_OPTIONS[kind]]);
  const lr = nonNegative('lr', options.lr);
  const weightDecay = nonNegative('weightDecay', options.weightDecay ?? (kind === 'adamw' ? 0.01 : 0));
  return new GroupedOptimizer(model, parameterGroups(model, lr, weightDecay), updateRule(kind, options));
}

function updateRule(kind: OptimizerKind, options: OptimizerOptions): UpdateRule {
  if (kind === 'adamw') {
    const betas = options.betas ?? [0.9, 0.999];
    if (!Array.isArray(betas) || betas.length !== 2 || betas.some((b) => !(b >= 0 && b < 1))) {
      throw new RangeError(`betas must be two numbers in [0, 1); got ${JSON.stringify(betas)}`);
    }
    return adamwRule({ betas, eps: nonNegative('eps', options.eps ?? 1e-8) });
  }
  const momentum = nonNegative('momentum', options.momentum ?? 0);
  const dampening = nonNegative('dampening', options.dampening ?? 0);
  const nesterov = options.nesterov ?? false;
  if (typeof nesterov !== 'boolean')
    throw new TypeError(`nesterov must be a boolean; got ${String(nesterov)}`);
  if (nesterov && (momentum === 0 || dampening !== 0)) {
    throw new RangeError('nesterov momentum needs momentum > 0 and dampening 0 (as torch.optim.SGD)');
  }
  return sgdRule({ momentum, dampening, nesterov });
}

/** The groups' parameters updated by one rule, with per-parameter state. */
class GroupedOptimizer implements Optimizer {
  readonly groups: readonly ParamGroup[];
  #steps = 0;
  readonly #params: Map<string, RealArray>;
  readonly #shapes: Map<string, readonly number[]>;
  readonly #state = new Map<string, Float64Array[]>();
  readonly #rule: UpdateRule;

  constructor(model: Module, groups: ParamGroup[], rule: UpdateRule) {
    const parameters = model.parameters();
    this.groups = groups;
    this.#rule = rule;
    this.#params = new Map([...parameters].map(([name, p]) => [name, p.data]));
    this.#shapes = new Map([...parameters].map(([name, p]) => [name, p.shape]));
    for (const [name, data] of this.#params) {
      this.#state.set(
        name,
        rule.stateNames.map(() => new Float64Array(data.length)),
      );
    }
  }

  get stepCount(): number {
    return this.#steps;
  }

  step(grads: ReadonlyMap<string, ArrayLike<number>>, lrScale = 1): void {
    if (!Number.isFinite(lrScale) || lrScale < 0) {
      throw new RangeError(`lrScale must be a finite number ≥ 0; got ${lrScale}`);
    }
    for (const [name, param] of this.#params) {
      const grad = grads.get(name);
      if (grad === undefined || grad.length !== param.length) {
        throw new RangeError(
          `grads must hold ${param.length} values for parameter '${name}'; got ${grad === undefined ? 'none' : grad.length}`,
        );
      }
    }
    const step = ++this.#steps;
    for (const group of this.groups) {
      for (const name of group.params) {
        const state = this.#state.get(name) as Float64Array[];
        const param = this.#params.get(name) as RealArray;
        this.#rule.update(
          param,
          grads.get(name) as ArrayLike<number>,
          state,
          group.lr * lrScale,
          group.weightDecay,
          step,
        );
      }
    }
  }

  stateDict(): Map<string, OptimizerStateTensor> {
    const out = new Map<string, OptimizerStateTensor>([
      ['step', { data: Float64Array.of(this.#steps), shape: [] }],
    ]);
    for (const [name, state] of this.#state) {
      const shape = [...(this.#shapes.get(name) as readonly number[])];
      this.#rule.stateNames.forEach((s, i) => {
        out.set(`${name}.${s}`, { data: state[i].slice(), shape });
      });
    }
    return out;
  }

  loadStateDict(state: ReadonlyMap<string, { data: ArrayLike<number>; shape: readonly number[] }>): void {
    const expected = this.stateDict();
    const problems: string[] = [];
    for (const [key, own] of expected) {
      const given = state.get(key);
      if (given === undefined) {
        problems.push(`${key}: missing`);
        continue;
      }
      const shape = given.shape;
      if (shape.length !== own.shape.length || shape.some((d, i) => d !== own.shape[i])) {
        problems.push(`${key}: expected shape [${own.shape.join(', ')}], got [${shape.join(', ')}]`);
      } else if (given.data.length !== own.data.length) {
        problems.push(`${key}: expected ${own.data.length} values, got ${given.data.length}`);
      } else {
        const bad = Array.prototype.findIndex.call(given.data, (v: number) => !Number.isFinite(v));
        if (bad >= 0) problems.push(`${key}: non-finite value at index ${bad}`);
      }
    }
    for (const key of state.keys()) if (!expected.has(key)) problems.push(`${key}: unexpected entry`);
    const steps = state.get('step')?.data[0];
    if (steps !== undefined && !(Number.isInteger(steps) && steps >= 0)) {
      problems.push(`step: expected an integer ≥ 0, got ${steps}`);
    }
    if (problems.length > 0) {
      throw new RangeError(`optimizer state does not fit this optimizer:\n  ${problems.join('\n  ')}`);
    }
    this.#steps = steps as number;
    for (const [name, tensors] of this.#state) {
      this.#rule.stateNames.forEach((s, i) => {
        tensors[i].set((state.get(`${name}.${s}`) as { data: ArrayLike<number> }).data);
      });
    }
  }
}
