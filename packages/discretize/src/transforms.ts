import { allocateLike, assertFinite, assertOneOf, type RealArray } from '@statespace/complex';

// The official parameter transforms (`param_transform`, `inv_transform` in models/s4/s4.py) that keep
// Δ and −Re Λ positive: the stored parameter p maps to a positive value through one of them.

/** The transform names of `dt_transform`, `real_transform` and `imag_transform`. */
export const TRANSFORMS = ['none', 'exp', 'relu', 'sigmoid', 'softplus'] as const;

/** One of {@link TRANSFORMS}. */
export type Transform = (typeof TRANSFORMS)[number];

/** The floor of the official transforms: `inv_transform` clamps to it, `relu` adds it. */
export const TRANSFORM_FLOOR = 1e-4;

/** torch's `F.softplus` (β = 1, threshold 20): log(1 + e^p), and p itself above 20. */
function softplus(p: number): number {
  return p > 20 ? p : Math.log1p(Math.exp(p));
}

/** log(e^v − 1), the inverse of softplus, without overflow for large v. */
function softplusInverse(v: number): number {
  return v > 20 ? v + Math.log1p(-Math.exp(-v)) : Math.log(Math.expm1(v));
}

const FORWARD: Record<Transform, (p: number) => number> = {
  none: (p) => p,
  exp: Math.exp,
  relu: (p) => Math.max(p, 0) + TRANSFORM_FLOOR,
  sigmoid: (p) => 1 / (1 + Math.exp(-p)),
  softplus,
};

const INVERSE: Record<Transform, (v: number) => number> = {
  none: (v) => v,
  exp: Math.log,
  relu: (v) => v,
  sigmoid: (v) => Math.log(v / (1 - v)),
  softplus: softplusInverse,
};

function apply<A extends RealArray>(
  arg: string,
  values: A,
  f: (v: number) => number,
  out: A | undefined,
  clamp: boolean,
): A {
  assertFinite(arg, values);
  const o = out ?? allocateLike(values, values.length);
  if (o.length !== values.length)
    throw new RangeError(`out must hold ${values.length} values; got ${o.length}`);
  for (let i = 0; i < values.length; i++) o[i] = f(clamp ? Math.max(values[i], TRANSFORM_FLOOR) : values[i]);
  return o;
}

/**
 * The official `param_transform`: the positive value of a stored parameter, elementwise.
 * `none` p, `exp` e^p, `relu` max(p, 0) + 1e-4, `sigmoid` 1/(1 + e^{−p}), `softplus` log(1 + e^p)
 * (p above 20, as torch).
 *
 * @param param - Stored parameters (finite); the output has their precision.
 * @param transform - One of `TRANSFORMS`.
 * @param out - Optional output of the same length (may alias `param`).
 */
export function paramTransform<A extends RealArray>(param: A, transform: Transform, out?: A): A {
  assertOneOf('transform', transform, TRANSFORMS);
  return apply('param', param, FORWARD[transform], out, false);
}

/**
 * The official `inv_transform`: the stored parameter of a positive value, elementwise. Values are
 * first clamped to ≥ 1e-4, then `none` and `relu` keep them, `exp` takes log v, `sigmoid` logit v
 * and `softplus` log(e^v − 1). Because of the clamp, and of the `relu` floor, the round trip
 * `paramTransform(invTransform(v))` returns max(v, 1e-4) (`relu`: max(v, 1e-4) + 1e-4).
 *
 * @param value - Values (finite; < 1 for `sigmoid`); the output has their precision.
 * @param transform - One of `TRANSFORMS`.
 * @param out - Optional output of the same length (may alias `value`).
 * @throws RangeError for `sigmoid` with a value ≥ 1 (whose logit is not finite).
 */
export function invTransform<A extends RealArray>(value: A, transform: Transform, out?: A): A {
  assertOneOf('transform', transform, TRANSFORMS);
  if (transform === 'sigmoid') {
    const i = value.findIndex((v) => v >= 1);
    if (i >= 0)
      throw new RangeError(
        `value must be < 1 for the 'sigmoid' inverse (logit); found ${value[i]} at index ${i}`,
      );
  }
  return apply('value', value, INVERSE[transform], out, true);
}
