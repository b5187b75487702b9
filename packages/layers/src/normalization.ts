import { allocateLike, type RealArray } from '@statespace/complex';
import { createContext, inPrecision, type ModuleOptions } from './context';
import { Module } from './module';
import { normalizationVjp } from './normalization-vjp';
import { assertKnownOptions, booleanOption, integerOption, numberOption } from './options';
import type { Tape } from './tape';

// The normalisations of the official residual blocks (`Normalization` in
// src/models/nn/normalization.py): LayerNorm over the features of each position, BatchNorm over
// the examples and positions of each feature with running statistics, or none. The official module
// wraps the torch one as its child `norm`, so tensors are named `norm.weight`, `norm.running_mean`….

/** The accepted normalisation names. */
export const NORMS = ['layer', 'batch', 'none'] as const;

/** One of {@link NORMS}. */
export type NormName = (typeof NORMS)[number];

/** A normalisation by name, or with options (official `norm: {_name_: …, …}`). */
export type NormOptions =
  | NormName
  | {
      _name_: NormName;
      /** Added to the variance (default 1e-5). */
      eps?: number;
      /** BatchNorm: weight of the new batch statistics in the running ones (default 0.1). */
      momentum?: number;
      /** Learnable scale and shift (`elementwise_affine` / `affine`, default true). */
      affine?: boolean;
    };

const NORM_OPTIONS = ['_name_', 'eps', 'momentum', 'affine'];

/** A position-wise (LayerNorm, or BatchNorm in evaluation mode) or batch-wise normalisation of [rows, d] rows. */
interface Normalizer extends Module {
  forwardRows(x: RealArray, rows: number, tape?: Tape): RealArray;
}

/** torch `nn.LayerNorm(d)`: each row scaled to zero mean and unit (biased) variance, then `weight`·x + `bias`. */
class LayerNorm extends Module implements Normalizer {
  readonly #d: number;
  readonly #eps: number;
  readonly #weight: RealArray | undefined;
  readonly #bias: RealArray | undefined;

  constructor(d: number, eps: number, affine: boolean, options: ModuleOptions) {
    super();
    const context = createContext(options);
    this.#d = d;
    this.#eps = eps;
    if (affine) {
      this.#weight = this.registerParameter('weight', inPrecision(context, new Float64Array(d).fill(1)), [
        d,
      ]).data;
      this.#bias = this.registerParameter('bias', inPrecision(context, new Float64Array(d)), [d]).data;
    }
  }

  forwardRows(x: RealArray, rows: number, tape?: Tape): RealArray {
    const d = this.#d;
    const weight = this.#weight;
    const bias = this.#bias as RealArray;
    const y = allocateLike(x, x.length);
    for (let r = 0; r < rows; r++) {
      const o = r * d;
      let mean = 0;
      for (let i = 0; i < d; i++) mean += x[o + i];
      mean /= d;
      let variance = 0;
      for (let i = 0; i < d; i++) {
        const c = x[o + i] - mean;
        variance += c * c;
      }
      const inv = 1 / Math.sqrt(variance / d + this.#eps);
      for (let i = 0; i < d; i++) {
        const v = (x[o + i] - mean) * inv;
        y[o + i] = weight ? v * weight[i] + bias[i] : v;
      }
    }
    tape?.record('LayerNorm', [x, this.#weight, this.#bias], y, (g) => {
      const grads = normalizationVjp(x, rows, d, this.#eps, this.#weight, g, 'features');
      return [grads.x, grads.weight, grads.bias];
    });
    return y;
  }
}

/**
 * torch `nn.BatchNorm1d(d)` on sequences: in training mode each feature is normalised by the
 * mean and biased variance over all rows (examples × positions) and the running statistics move
 * towards them (the variance unbiased) by `momentum`; in evaluation mode the running statistics
 * are used, which makes it position-wise (so it can be stepped, unlike the official one).
 */
class BatchNorm extends Module implements Normalizer {
  readonly #d: number;
  readonly #eps: number;
  readonly #momentum: number;
  readonly #weight: RealArray | undefined;
  readonly #bias: RealArray | undefined;
  readonly #mean: RealArray;
  readonly #var: RealArray;
  readonly #batches: BigInt64Array;

  constructor(d: number, eps: number, momentum: number, affine: boolean, options: ModuleOptions) {
    super();
    const context = createContext(options);
    this.#d = d;
    this.#eps = eps;
    this.#momentum = momentum;
    if (affine) {
      this.#weight = this.registerParameter('weight', inPrecision(context, new Float64Array(d).fill(1)), [
        d,
      ]).data;
      this.#bias = this.registerParameter('bias', inPrecision(context, new Float64Array(d)), [d]).data;
    }
    this.#mean = inPrecision(context, new Float64Array(d));
    this.#var = inPrecision(context, new Float64Array(d).fill(1));
    this.#batches = new BigInt64Array(1);
    this.registerBuffer('running_mean', this.#mean, [d]);
    this.registerBuffer('running_var', this.#var, [d]);
    this.registerBuffer('num_batches_tracked', this.#batches, []);
  }

  forwardRows(x: RealArray, rows: number, tape?: Tape): RealArray {
    const d = this.#d;
    let mean: ArrayLike<number> = this.#mean;
    let variance: ArrayLike<number> = this.#var;
    if (this.training) {
      if (rows < 2) throw new RangeError('BatchNorm in training mode needs more than one value per feature');
      const m = new Float64Array(d);
      const v = new Float64Array(d);
      for (let r = 0; r < rows; r++) for (let i = 0; i < d; i++) m[i] += x[r * d + i];
      for (let i = 0; i < d; i++) m[i] /= rows;
      for (let r = 0; r < rows; r++) for (let i = 0; i < d; i++) v[i] += (x[r * d + i] - m[i]) ** 2;
      for (let i = 0; i < d; i++) v[i] /= rows;
      const k = this.#momentum;
      for (let i = 0; i < d; i++) {
        this.#mean[i] = (1 - k) * this.#mean[i] + k * m[i];
        this.#var[i] = (1 - k) * this.#var[i] + (k * v[i] * rows) / (rows - 1);
      }
      this.#batches[0] += 1n;
      mean = m;
      variance = v;
    }
    const y = allocateLike(x, x.length);
    for (let i = 0; i < d; i++) {
      const inv = 1 / Math.sqrt(variance[i] + this.#eps);
      const scale = this.#weight ? this.#weight[i] * inv : inv;
      const shift = (this.#bias ? this.#bias[i] : 0) - mean[i] * scale;
      for (let r = 0; r < rows; r++) y[r * d + i] = x[r * d + i] * scale + shift;
    }
    const stats = this.training
      ? undefined
      : { mean: Float64Array.from(mean), variance: Float64Array.from(variance) };
    tape?.record('BatchNorm', [x, this.#weight, this.#bias], y, (g) => {
      const grads = normalizationVjp(x, rows, d, this.#eps, this.#weight, g, 'rows', stats);
      return [grads.x, grads.weight, grads.bias];
    });
    return y;
  }
}

/**
 * The official `Normalization(d, _name_)` on [batch, length, d] sequences: `layer` (default),
 * `batch` or `none`; the torch module is its child `norm`.
 */
export class Normalization extends Module {
  readonly name: NormName;
  readonly #norm: Normalizer | undefined;

  /** @throws RangeError for an unknown name or option, listing the accepted ones. */
  constructor(d: number, norm: NormOptions, options: ModuleOptions) {
    super();
    const spec = typeof norm === 'string' ? { _name_: norm } : norm;
    assertKnownOptions('norm', spec, NORM_OPTIONS);
    if (!(NORMS as readonly string[]).includes(spec._name_)) {
      throw new RangeError(
        `norm must be one of ${NORMS.map((n) => `'${n}'`).join(', ')}; got '${String(spec._name_)}'`,
      );
    }
    integerOption('d', d, Number.NaN);
    this.name = spec._name_;
    const eps = numberOption('norm eps', spec.eps, 1e-5, 0);
    const affine = booleanOption('norm affine', spec.affine, true);
    if (this.name === 'layer')
      this.#norm = this.registerModule('norm', new LayerNorm(d, eps, affine, options));
    else if (this.name === 'batch') {
      const momentum = numberOption('norm momentum', spec.momentum, 0.1, 0, 1);
      this.#norm = this.registerModule('norm', new BatchNorm(d, eps, momentum, affine, options));
    }
  }

  /**
   * Normalises [rows, d] rows (all positions of a batch at once, which BatchNorm's statistics
   * need); with a `tape`, records it for the gradients of x, `weight` and `bias`.
   */
  forwardRows(x: RealArray, rows: number, tape?: Tape): RealArray {
    return this.#norm ? this.#norm.forwardRows(x, rows, tape) : x;
  }

  /**
   * One position of each example, [batch, d] (official `Normalization.step`, which supports
   * only LayerNorm; BatchNorm is position-wise in evaluation mode and steps too).
   * @throws RangeError for BatchNorm in training mode, whose statistics need the whole sequence.
   */
  step(x: RealArray, batch: number): RealArray {
    if (this.name === 'batch' && this.training) {
      throw new RangeError(
        'BatchNorm in training mode normalises over whole sequences and cannot be stepped: call eval()',
      );
    }
    return this.forwardRows(x, batch);
  }
}
