import type { RealArray, Rng } from '@statespace/complex';

// Dropout as torch's `nn.Dropout` (each entry zeroed with probability p, the others scaled by
// 1/(1 − p)), the official `DropoutNd` with tied masks (one draw per example and feature, shared
// over the sequence), and stochastic depth (torchvision `StochasticDepth(mode='row')`: one draw per
// example). All work in place, in training mode only; the masks come from a seeded generator.

/** The layout of a sequence tensor: [batch, length, features], or [batch, features, length] if transposed. */
export interface SequenceLayout {
  readonly batch: number;
  readonly length: number;
  readonly features: number;
  readonly transposed: boolean;
}

/**
 * Dropout in place. With `tie`, one mask value per (example, feature) is shared over the whole
 * sequence (official `DropoutNd`, `tie_dropout=True`); otherwise every entry draws its own.
 */
export function dropout(x: RealArray, p: number, rng: Rng, layout: SequenceLayout, tie: boolean): void {
  if (p === 0) return;
  const keep = 1 - p;
  const scale = 1 / keep;
  if (!tie) {
    for (let i = 0; i < x.length; i++) x[i] = rng.uniform() < keep ? x[i] * scale : 0;
    return;
  }
  const { batch, length: L, features: F, transposed } = layout;
  const mask = new Float64Array(F);
  for (let b = 0; b < batch; b++) {
    for (let f = 0; f < F; f++) mask[f] = rng.uniform() < keep ? scale : 0;
    const base = b * L * F;
    for (let f = 0; f < F; f++) {
      for (let t = 0; t < L; t++) {
        const i = transposed ? base + f * L + t : base + t * F + f;
        x[i] *= mask[f];
      }
    }
  }
}

/** Stochastic depth in place: each of `batch` equal blocks of x is kept (scaled by 1/(1 − p)) or zeroed. */
export function dropPath(x: RealArray, p: number, rng: Rng, batch: number): void {
  if (p === 0) return;
  const keep = 1 - p;
  const block = x.length / batch;
  for (let b = 0; b < batch; b++) {
    const m = rng.uniform() < keep ? 1 / keep : 0;
    for (let i = b * block; i < (b + 1) * block; i++) x[i] *= m;
  }
}
