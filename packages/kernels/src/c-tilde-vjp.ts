import { assertFinite, assertInteger, type ComplexTensor, complexTensor } from '@statespace/complex';
import { cmatrixPower } from '@statespace/linalg';
import { type DplrSystem, denseBilinear } from './dplr-system';

/**
 * The vector-Jacobian product of `cTildeFromC(system, C, L)` with respect to C (the system is held
 * constant: no gradient flows into Λ, P, B or Δ through Ā^L). C̃ is the first half of
 * [C, conj C]·(I − Ā^L), a real-linear map of C, so with P = Ā^L (full N×N, N = 2·N2) and
 * G = ∂ℓ/∂C̃ (interleaved (∂ℓ/∂Re, ∂ℓ/∂Im), docs/architecture.md "Gradients"):
 *
 *   ∂ℓ/∂C_n = G_n − Σ_{m<N2} conj(P[n,m])·G_m + P[N2+n, m]·conj(G_m).
 *
 * @param grad - ∂ℓ/∂C̃, complex [channels, H, N2].
 * @param L - The kernel length C̃ was made for, an integer ≥ 1.
 * @returns ∂ℓ/∂C, complex [channels, H, N2], float64.
 * @throws RangeError when `grad` is not [channels, H, N2] for the system's H and N2, holds
 *   non-finite values, or L is not an integer ≥ 1.
 */
export function cTildeFromCVjp(system: DplrSystem, grad: ComplexTensor, L: number): ComplexTensor {
  assertInteger('L', L, 1);
  const [H, N2] = system.Lambda.shape;
  const gs = grad?.shape;
  if (
    !Array.isArray(gs) ||
    gs.length !== 3 ||
    gs[1] !== H ||
    gs[2] !== N2 ||
    grad.data.length !== 2 * gs[0] * H * N2
  ) {
    throw new RangeError(`grad must have shape [channels, ${H}, ${N2}]; got [${gs?.join(', ') ?? ''}]`);
  }
  assertFinite('grad', grad.data);
  const channels = gs[0];
  const N = 2 * N2;
  const { dA } = denseBilinear(system);
  const size = 2 * N * N;
  const gd = grad.data;
  const out = new Float64Array(2 * channels * H * N2);
  for (let h = 0; h < H; h++) {
    const block = Float64Array.from(dA.data.subarray(h * size, (h + 1) * size));
    const p = cmatrixPower(complexTensor(block, [N, N]), L).data;
    for (let ch = 0; ch < channels; ch++) {
      const base = 2 * (ch * H + h) * N2;
      for (let n = 0; n < N2; n++) {
        let re = gd[base + 2 * n];
        let im = gd[base + 2 * n + 1];
        for (let m = 0; m < N2; m++) {
          const gr = gd[base + 2 * m];
          const gi = gd[base + 2 * m + 1];
          const ar = p[2 * (n * N + m)];
          const ai = p[2 * (n * N + m) + 1];
          const br = p[2 * ((N2 + n) * N + m)];
          const bi = p[2 * ((N2 + n) * N + m) + 1];
          // conj(a)·g + b·conj(g)
          re -= ar * gr + ai * gi + (br * gr + bi * gi);
          im -= ar * gi - ai * gr + (bi * gr - br * gi);
        }
        out[base + 2 * n] = re;
        out[base + 2 * n + 1] = im;
      }
    }
  }
  return complexTensor(out, [channels, H, N2]);
}
