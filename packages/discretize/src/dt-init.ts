import {
  type ArrayOf,
  allocate,
  assertInteger,
  assertOneOf,
  assertPositive,
  createRng,
  type DType,
  type Tensor,
} from '@statespace/complex';
import { invTransform, paramTransform, TRANSFORMS, type Transform } from './transforms';

// The official initialisation of the step sizes (`SSMKernel.init_dt`) and their read-out
// (`_get_params`): log Δ is drawn log-uniformly in [dt_min, dt_max], and stored under `dt_transform`.

/** Options of the Δ initialisation; the names are the official constructor arguments. */
export interface DtInitOptions<D extends DType = DType> {
  /** Smallest Δ (default 0.001). */
  dt_min?: number;
  /** Largest Δ (default 0.1). */
  dt_max?: number;
  /** One Δ per row, shape `[H, 1]` (default), or one per mode, `[H, N/2]` (needs `N`). */
  dt_tie?: boolean;
  /** Full state size N (even), needed when `dt_tie` is false. */
  N?: number;
  /** Log-linspace over the H rows instead of random draws (needs `dt_tie`). */
  deterministic?: boolean;
  /** Seed of the random draws; required unless `deterministic`. */
  seed?: number;
  /** Precision of the result (default `float64`). */
  dtype?: D;
}

/** The options of {@link initInvDt}: those of {@link initLogDt} and the transform Δ is stored under. */
export interface InvDtInitOptions<D extends DType = DType> extends DtInitOptions<D> {
  /** Transform of the stored parameter (default `exp`, the official code default). */
  dt_transform?: Transform;
}

/**
 * log Δ as the official `init_dt` draws it: log Δ ~ U[log dt_min, log dt_max] (seeded `createRng`
 * uniforms, row-major), or with `deterministic` the log-linspace from log dt_min to log dt_max over
 * the H rows (official: `torch.linspace`, one value for H = 1).
 *
 * The official deterministic path stores `exp(linspace(…))`, i.e. Δ itself rather than log Δ,
 * under the `exp` transform (so it reads back as e^Δ); this function returns log Δ, as intended.
 *
 * @param H - Number of rows (≥ 1).
 * @returns log Δ, `[H, 1]` (tied) or `[H, N/2]`.
 * @throws RangeError on bad sizes, dt_min > dt_max, a missing seed, or `deterministic` untied.
 */
export function initLogDt<D extends DType = 'float64'>(
  H: number,
  options: DtInitOptions<D> = {},
): Tensor<ArrayOf<D>> {
  const { dt_min = 0.001, dt_max = 0.1, dt_tie = true, N, deterministic = false, seed } = options;
  const dtype = options.dtype ?? ('float64' as D);
  assertInteger('H', H, 1);
  assertPositive('dt_min', dt_min);
  assertPositive('dt_max', dt_max);
  if (dt_min > dt_max) throw new RangeError(`dt_min must be ≤ dt_max; got ${dt_min} > ${dt_max}`);
  let width = 1;
  if (!dt_tie) {
    if (N === undefined || !Number.isInteger(N) || N < 2 || N % 2 !== 0) {
      throw new RangeError(
        `N must be an even integer ≥ 2 when dt_tie is false (N/2 modes per row); got ${N}`,
      );
    }
    width = N / 2;
  }
  const lo = Math.log(dt_min);
  const hi = Math.log(dt_max);
  const out = allocate(dtype, H * width);
  if (deterministic) {
    if (!dt_tie) throw new RangeError('deterministic dt initialisation is tied: dt_tie must be true');
    for (let h = 0; h < H; h++) out[h] = H === 1 ? lo : lo + ((hi - lo) * h) / (H - 1);
  } else {
    if (seed === undefined) throw new RangeError('seed is required for a random dt initialisation');
    const rng = createRng(seed);
    for (let i = 0; i < out.length; i++) out[i] = rng.uniform() * (hi - lo) + lo;
  }
  return { data: out, shape: [H, width] };
}

/**
 * The stored Δ parameter `inv_dt` of the official `init_dt`: log Δ from {@link initLogDt} when
 * `dt_transform` is `exp`, otherwise `inv_transform(exp(log Δ), dt_transform)`.
 *
 * @param H - Number of rows (≥ 1).
 * @returns `inv_dt`, `[H, 1]` or `[H, N/2]`.
 */
export function initInvDt<D extends DType = 'float64'>(
  H: number,
  options: InvDtInitOptions<D> = {},
): Tensor<ArrayOf<D>> {
  const { dt_transform = 'exp' } = options;
  assertOneOf('dt_transform', dt_transform, TRANSFORMS);
  const logDt = initLogDt(H, options);
  if (dt_transform === 'exp') return logDt;
  const dt = paramTransform(logDt.data, 'exp');
  return { data: invTransform(dt, dt_transform, dt), shape: logDt.shape };
}

/**
 * Δ from the stored parameter, as the official `_get_params`: `param_transform(inv_dt, dt_transform)·rate`.
 *
 * @param inv_dt - The stored parameter (any shape); the output has its precision and shape.
 * @param dt_transform - One of `TRANSFORMS`.
 * @param rate - Relative sampling rate (default 1), a finite number > 0.
 */
export function dtFromInvDt<A extends Float64Array | Float32Array>(
  inv_dt: Tensor<A>,
  dt_transform: Transform,
  rate = 1,
): Tensor<A> {
  assertPositive('rate', rate);
  const dt = paramTransform(inv_dt.data, dt_transform);
  for (let i = 0; i < dt.length; i++) dt[i] *= rate;
  return { data: dt, shape: [...inv_dt.shape] };
}
