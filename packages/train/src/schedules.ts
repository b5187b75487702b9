import { integerAtLeast } from './checks';

// Learning-rate schedules as multipliers of the optimizer's lr per optimizer step, with the
// formulas of Hugging Face `transformers.optimization` (the official code's `cosine_warmup`).

/** A learning-rate schedule: the multiplier of every group's lr. */
export interface Schedule {
  /** The lr multiplier at optimizer step `step` (0-based: the first update uses factor(0)). */
  factor(step: number): number;
}

/** Options of {@link cosineWithWarmup}. */
export interface CosineOptions {
  /** Steps of linear warmup from 0 (default 0). */
  warmupSteps?: number;
  /** Total optimizer steps: the cosine reaches its minimum there. */
  totalSteps: number;
  /** The multiplier the cosine decays to (default 0). */
  minFactor?: number;
}

/**
 * HF `get_cosine_schedule_with_warmup` (one half cosine): step/warmup during the warmup, then
 * ½(1 + cos(π·p)) with p = (step − warmup)/(total − warmup), never below 0. With `minFactor` m,
 * HF `get_cosine_with_min_lr_schedule_with_warmup`: the cosine part becomes m + (1 − m)·½(1 + cos(π·p)).
 * As in HF, p is not clamped: past `totalSteps` the cosine rises again.
 * @throws RangeError for negative or non-integer step counts, or minFactor outside [0, 1].
 */
export function cosineWithWarmup(options: CosineOptions): Schedule {
  const warmup = integerAtLeast('warmupSteps', options.warmupSteps ?? 0, 0);
  const total = integerAtLeast('totalSteps', options.totalSteps, 0);
  const minFactor = options.minFactor ?? 0;
  if (!(minFactor >= 0 && minFactor <= 1))
    throw new RangeError(`minFactor must be in [0, 1]; got ${minFactor}`);
  return {
    factor(step: number): number {
      if (step < warmup) return step / Math.max(1, warmup);
      const progress = (step - warmup) / Math.max(1, total - warmup);
      const cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
      return Math.max(0, cosine * (1 - minFactor) + minFactor);
    },
  };
}

/** HF `get_constant_schedule_with_warmup`: step/warmup during the warmup, then 1. */
export function constantWithWarmup(options: { warmupSteps?: number } = {}): Schedule {
  const warmup = integerAtLeast('warmupSteps', options.warmupSteps ?? 0, 0);
  return { factor: (step: number) => (step < warmup ? step / Math.max(1, warmup) : 1) };
}
