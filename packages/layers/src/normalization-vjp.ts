import { allocateLike, type RealArray } from '@statespace/complex';

/** The gradients of a normalisation of [rows, d] rows. */
export interface NormalizationGrads {
  /** ∂ℓ/∂x, [rows, d], x's precision. */
  x: RealArray;
  /** ∂ℓ/∂weight, [d] (0 without an affine map). */
  weight: RealArray;
  /** ∂ℓ/∂bias, [d]. */
  bias: RealArray;
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
  const gx = allocateLike(x, x.length);
  const gw = allocateLike(x, d);
  const gb = allocateLike(x, d);
  const byRow = over === 'features';
  const groups = byRow ? rows : d;
  const n = byRow ? d : rows;
  const at = (g: number, j: number) => (byRow ? g * d + j : j * d + g);
  const xhat = new Float64Array(n);
  const h = new Float64Array(n);
  for (let g = 0; g < groups; g++) {
    let mean = 0;
    let variance = 0;
    if (stats) {
      mean = stats.mean[g];
      variance = stats.variance[g];
    } else {
      for (let j = 0; j < n; j++) mean += x[at(g, j)];
      mean /= n;
      for (let j = 0; j < n; j++) variance += (x[at(g, j)] - mean) ** 2;
      variance /= n;
    }
    const inv = 1 / Math.sqrt(variance + eps);
    let meanH = 0;
    let meanHX = 0;
    for (let j = 0; j < n; j++) {
      const i = at(g, j);
      const f = byRow ? j : g;
      xhat[j] = (x[i] - mean) * inv;
      h[j] = grad[i] * (weight ? weight[f] : 1);
      gw[f] += grad[i] * xhat[j];
      gb[f] += grad[i];
      meanH += h[j];
      meanHX += h[j] * xhat[j];
    }
    meanH /= n;
    meanHX /= n;
    for (let j = 0; j < n; j++) {
      gx[at(g, j)] = stats ? h[j] * inv : (h[j] - meanH - xhat[j] * meanHX) * inv;
    }
  }
  return { x: gx, weight: gw, bias: gb };
}
