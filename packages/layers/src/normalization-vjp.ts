import type { RealArray } from '@statespace/complex';

/** The gradients of a normalisation of [rows, d] rows, in float64 (a `Tape`'s precision). */
export interface NormalizationGrads {
  /** ∂ℓ/∂x, [rows, d]. */
  x: Float64Array;
  /** ∂ℓ/∂weight, [d] (0 without an affine map). */
  weight: Float64Array;
  /** ∂ℓ/∂bias, [d]. */
  bias: Float64Array;
}

/**
 * The vector-Jacobian product of a normalisation y = x̂·w + b of [rows, d] rows with x̂ = (x − μ)/√(σ² + ε):
 * LayerNorm (`over: 'features'`, μ and the biased σ² of each row), BatchNorm in training mode
 * (`over: 'rows'`, of each feature over all rows), or BatchNorm in evaluation mode (`stats`: the
 * running μ and σ², constants). With the gradient h = grad·w of x̂, each group of n values gets
 * ∂ℓ/∂x = (h − mean(h) − x̂·mean(h·x̂))/√(σ² + ε) (just h/√(σ² + ε) for constant statistics),
 * ∂ℓ/∂w = Σ grad·x̂ and ∂ℓ/∂b = Σ grad over the rows.
 */
export function normalizationVjp(
  x: RealArray,
  rows: number,
  d: number,
  eps: number,
  weight: RealArray | undefined,
  grad: ArrayLike<number>,
  over: 'features' | 'rows',
  stats?: { mean: ArrayLike<number>; variance: ArrayLike<number> },
): NormalizationGrads {
  if (x.length !== rows * d || grad.length !== rows * d) {
    throw new RangeError(
      `x and grad must hold rows × d = ${rows * d} values; got ${x.length} and ${grad.length}`,
    );
  }
  const gx = new Float64Array(x.length);
  const gw = new Float64Array(d);
  const gb = new Float64Array(d);
  const byRow = over === 'features';
  const groups = byRow ? rows : d;
  const n = byRow ? d : rows;
  // Value j of group g is x[g·groupStride + j·step]; its feature is j (LayerNorm) or g (BatchNorm).
  const groupStride = byRow ? d : 1;
  const step = byRow ? 1 : d;
  const xhat = new Float64Array(n);
  const h = new Float64Array(n);
  for (let g = 0; g < groups; g++) {
    const start = g * groupStride;
    let mean = 0;
    let variance = 0;
    if (stats) {
      mean = stats.mean[g];
      variance = stats.variance[g];
    } else {
      for (let j = 0, i = start; j < n; j++, i += step) mean += x[i];
      mean /= n;
      for (let j = 0, i = start; j < n; j++, i += step) {
        const c = x[i] - mean;
        variance += c * c;
      }
      variance /= n;
    }
    const inv = 1 / Math.sqrt(variance + eps);
    let meanH = 0;
    let meanHX = 0;
    for (let j = 0, i = start; j < n; j++, i += step) {
      const f = byRow ? j : g;
      const gi = grad[i];
      xhat[j] = (x[i] - mean) * inv;
      h[j] = weight ? gi * weight[f] : gi;
      gw[f] += gi * xhat[j];
      gb[f] += gi;
      meanH += h[j];
      meanHX += h[j] * xhat[j];
    }
    meanH /= n;
    meanHX /= n;
    for (let j = 0, i = start; j < n; j++, i += step) {
      gx[i] = stats ? h[j] * inv : (h[j] - meanH - xhat[j] * meanHX) * inv;
    }
  }
  return { x: gx, weight: gw, bias: gb };
}
