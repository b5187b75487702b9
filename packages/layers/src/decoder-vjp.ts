import type { DecoderMode } from './decoder';

/**
 * The vector-Jacobian product of the decoder's restriction of one example (the `keep` output
 * positions from its L valid ones, `first` the first position kept): adds ∂ℓ/∂x of the example,
 * at `from` in `gx`, for ∂ℓ/∂out at `to` in `g` (rows of d features). `last`/`first` copy the
 * kept positions back; `pool`/`mean` (out_t = mean of x_0…x_t) and `sum` (their sum) spread each
 * output's gradient over the positions it summed: ∂ℓ/∂x_s = Σ_{t ≥ max(s, first)} scale_t·g_t.
 */
export function restrictVjp(
  mode: DecoderMode,
  d: number,
  g: ArrayLike<number>,
  to: number,
  L: number,
  keep: number,
  gx: Float64Array,
  from: number,
): void {
  const first = mode === 'first' ? 0 : L - keep;
  if (mode === 'last' || mode === 'first') {
    for (let k = 0; k < keep * d; k++) gx[from + first * d + k] += g[to + k];
    return;
  }
  const acc = new Float64Array(d);
  for (let t = L - 1; t >= 0; t--) {
    if (t >= first) {
      const scale = mode === 'sum' ? 1 : 1 / (t + 1);
      for (let i = 0; i < d; i++) acc[i] += scale * g[to + (t - first) * d + i];
    }
    for (let i = 0; i < d; i++) gx[from + t * d + i] += acc[i];
  }
}
