import { nonNegative } from './checks';

/**
 * torch `nn.utils.clip_grad_norm_` (2-norm): the global norm ‖(‖g₁‖, ‖g₂‖, …)‖ of all gradients;
 * when it exceeds `maxNorm`, every gradient is scaled in place by maxNorm/(norm + 1e-6).
 * @returns The global norm before clipping (non-finite when a gradient is; nothing is scaled then).
 * @throws RangeError for a negative or non-finite maxNorm.
 */
export function clipGradNorm(grads: ReadonlyMap<string, Float64Array>, maxNorm: number): number {
  nonNegative('maxNorm', maxNorm);
  let squares = 0;
  for (const g of grads.values()) {
    let s = 0;
    for (let i = 0; i < g.length; i++) s += g[i] * g[i];
    squares += s;
  }
  const norm = Math.sqrt(squares);
  const coefficient = maxNorm / (norm + 1e-6);
  if (Number.isFinite(norm) && coefficient < 1) {
    for (const g of grads.values()) for (let i = 0; i < g.length; i++) g[i] *= coefficient;
  }
  return norm;
}
