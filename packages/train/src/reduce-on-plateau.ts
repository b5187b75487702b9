import { assertOneOf } from '@statespace/complex';
import { integerAtLeast, nonNegative } from './checks';

/** Options of {@link ReduceOnPlateau} (torch `ReduceLROnPlateau`'s, on an lr multiplier). */
export interface ReduceOnPlateauOptions {
  /** Multiply the lr by this when the metric stalls (default 0.1). */
  factor?: number;
  /** Observations without improvement tolerated before reducing (default 10). */
  patience?: number;
  /** `min`: lower is better (a loss, default); `max`: higher is better (an accuracy). */
  mode?: 'min' | 'max';
  /** Improvement needed to count (default 1e-4). */
  threshold?: number;
  /** `rel` (default): relative to the best value; `abs`: absolute. */
  thresholdMode?: 'rel' | 'abs';
  /** Observations to wait after a reduction before counting again (default 0). */
  cooldown?: number;
  /** Lower bound of the multiplier (default 0). */
  minFactor?: number;
  /** Reductions smaller than this are skipped (default 1e-8). */
  eps?: number;
}

/** What {@link ReduceOnPlateau.stateDict} returns (plain JSON). */
export interface ReduceOnPlateauState {
  best: number | null;
  badEpochs: number;
  cooldownCounter: number;
  multiplier: number;
}

/**
 * torch `optim.lr_scheduler.ReduceLROnPlateau` as an lr multiplier: after each observation of
 * the monitored metric, count the observations without improvement (better than the best by
 * more than the threshold); when the count exceeds `patience`, multiply by `factor` (not below
 * `minFactor`), reset the count and wait `cooldown` observations. torch's `min_lr` and `eps`
 * act on the multiplier here.
 */
export class ReduceOnPlateau {
  readonly #factor: number;
  readonly #patience: number;
  readonly #mode: 'min' | 'max';
  readonly #threshold: number;
  readonly #thresholdMode: 'rel' | 'abs';
  readonly #cooldown: number;
  readonly #minFactor: number;
  readonly #eps: number;
  #best = Number.NaN;
  #badEpochs = 0;
  #cooldownCounter = 0;
  #multiplier = 1;

  /** @throws RangeError for an option out of range or an unknown mode. */
  constructor(options: ReduceOnPlateauOptions = {}) {
    this.#factor = options.factor ?? 0.1;
    if (!(this.#factor >= 0 && this.#factor < 1))
      throw new RangeError(`factor must be in [0, 1); got ${this.#factor}`);
    this.#patience = integerAtLeast('patience', options.patience ?? 10, 0);
    this.#cooldown = integerAtLeast('cooldown', options.cooldown ?? 0, 0);
    const mode = options.mode ?? 'min';
    assertOneOf('mode', mode, ['min', 'max'] as const);
    this.#mode = mode;
    const thresholdMode = options.thresholdMode ?? 'rel';
    assertOneOf('thresholdMode', thresholdMode, ['rel', 'abs'] as const);
    this.#thresholdMode = thresholdMode;
    this.#threshold = nonNegative('threshold', options.threshold ?? 1e-4);
    this.#minFactor = nonNegative('minFactor', options.minFactor ?? 0);
    this.#eps = nonNegative('eps', options.eps ?? 1e-8);
  }

  /** The current multiplier (1 until the first reduction). */
  get multiplier(): number {
    return this.#multiplier;
  }

  /**
   * Records one value of the monitored metric (once per epoch) and returns the new multiplier.
   * @throws RangeError for a non-finite metric.
   */
  observe(metric: number): number {
    if (!Number.isFinite(metric)) throw new RangeError(`metric must be a finite number; got ${metric}`);
    if (this.#isBetter(metric)) {
      this.#best = metric;
      this.#badEpochs = 0;
    } else {
      this.#badEpochs++;
    }
    if (this.#cooldownCounter > 0) {
      this.#cooldownCounter--;
      this.#badEpochs = 0;
    }
    if (this.#badEpochs > this.#patience) {
      const reduced = Math.max(this.#multiplier * this.#factor, this.#minFactor);
      if (this.#multiplier - reduced > this.#eps) this.#multiplier = reduced;
      this.#cooldownCounter = this.#cooldown;
      this.#badEpochs = 0;
    }
    return this.#multiplier;
  }

  /** The counters, for checkpoints. */
  stateDict(): ReduceOnPlateauState {
    return {
      best: Number.isNaN(this.#best) ? null : this.#best,
      badEpochs: this.#badEpochs,
      cooldownCounter: this.#cooldownCounter,
      multiplier: this.#multiplier,
    };
  }

  /** Restores counters saved by {@link stateDict}. */
  loadStateDict(state: ReduceOnPlateauState): void {
    this.#best = state.best ?? Number.NaN;
    this.#badEpochs = integerAtLeast('badEpochs', state.badEpochs, 0);
    this.#cooldownCounter = integerAtLeast('cooldownCounter', state.cooldownCounter, 0);
    this.#multiplier = nonNegative('multiplier', state.multiplier);
  }

  /** torch's `is_better`; the first observation always improves (best starts at ±inf). */
  #isBetter(a: number): boolean {
    const best = this.#best;
    if (Number.isNaN(best)) return true;
    const t = this.#threshold;
    if (this.#mode === 'min') return this.#thresholdMode === 'rel' ? a < best * (1 - t) : a < best - t;
    return this.#thresholdMode === 'rel' ? a > best * (1 + t) : a > best + t;
  }
}
