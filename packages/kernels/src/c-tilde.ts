import {
  assertInteger,
  type ComplexArray,
  type ComplexTensor,
  complexTensor,
  conjExpand,
} from '@statespace/complex';
import { cidentity, cmatrixPower, csolve } from '@statespace/linalg';
import { type DplrSystem, denseBilinear } from './dplr-system';

// S4 learns C̃ = C(I − Ā^L) instead of C: with it the length-L kernel is a resolvent at the L-th
// roots of unity (no Ā^L term), which is what makes the Cauchy form exact (paper, Lemma C.3).
// These conversions are the official `_setup_C` and the C recovery of `_setup_step`, in float64
// on dense N×N matrices: they run once per setup, not per step.

/**
 * C̃ from the true output matrix C for kernel length L: C̃ = [C, conj C]·(I − Ā^L), first half.
 * @param C - Output matrix, complex [channels, H, N2].
 * @returns C̃, complex [channels, H, N2], float64.
 */
export function cTildeFromC(system: DplrSystem, C: ComplexTensor, L: number): ComplexTensor {
  return applyPowerCorrection(system, C, L, -1);
}

/**
 * Doubles the length C̃ is attuned to: C̃_{2L} = C̃_L·(I + Ā^L), since I − Ā^{2L} = (I − Ā^L)(I + Ā^L).
 * @param Ctilde - C̃ for length L, complex [channels, H, N2].
 * @returns C̃ for length 2L, complex [channels, H, N2], float64.
 */
export function doubleCTilde(system: DplrSystem, Ctilde: ComplexTensor, L: number): ComplexTensor {
  return applyPowerCorrection(system, Ctilde, L, +1);
}

/**
 * The true output matrix over the full state from C̃ for length L: solves (I − Ā^L)ᵀ·dC = [C̃, conj C̃]
 * (official `_setup_step`). The result is conjugate-symmetric up to rounding; its first N2 entries
 * of each row are the half-state C.
 * @param Ctilde - C̃, complex [channels, H, N2].
 * @returns dC, complex [channels, H, N] (N = 2·N2), float64.
 */
export function cFromCTilde(system: DplrSystem, Ctilde: ComplexTensor, L: number): ComplexTensor {
  const { channels, H, N2 } = outputShape(system, Ctilde, L);
  const N = 2 * N2;
  const powers = statePowers(system, L);
  const out = new Float64Array(channels * H * N * 2);
  for (let h = 0; h < H; h++) {
    // (I − Ā^L)ᵀ, built once per row and solved for every channel.
    const lhs = cidentity(N).data;
    const power = powers[h];
    for (let r = 0; r < N; r++) {
      for (let c = 0; c < N; c++) {
        lhs[2 * (r * N + c)] -= power[2 * (c * N + r)];
        lhs[2 * (r * N + c) + 1] -= power[2 * (c * N + r) + 1];
      }
    }
    const system_ = complexTensor(lhs, [N, N]);
    for (let ch = 0; ch < channels; ch++) {
      const full = conjExpand(rowOf(Ctilde.data, (ch * H + h) * N2, N2));
      const solved = csolve(system_, complexTensor(full, [N])).data;
      out.set(solved, (ch * H + h) * N * 2);
    }
  }
  return complexTensor(out, [channels, H, N]);
}

/** C ← first half of [C, conj C]·(I + sign·Ā^L), row by row. */
function applyPowerCorrection(system: DplrSystem, C: ComplexTensor, L: number, sign: 1 | -1): ComplexTensor {
  const { channels, H, N2 } = outputShape(system, C, L);
  const N = 2 * N2;
  const powers = statePowers(system, L);
  const out = new Float64Array(channels * H * N2 * 2);
  for (let ch = 0; ch < channels; ch++) {
    for (let h = 0; h < H; h++) {
      const base = (ch * H + h) * N2;
      const full = conjExpand(rowOf(C.data, base, N2));
      const power = powers[h];
      // Only the first N2 entries of the row vector [C, conj C]·Ā^L are kept.
      for (let m = 0; m < N2; m++) {
        let re = 0;
        let im = 0;
        for (let n = 0; n < N; n++) {
          const ar = power[2 * (n * N + m)];
          const ai = power[2 * (n * N + m) + 1];
          re += full[2 * n] * ar - full[2 * n + 1] * ai;
          im += full[2 * n] * ai + full[2 * n + 1] * ar;
        }
        out[2 * (base + m)] = full[2 * m] + sign * re;
        out[2 * (base + m) + 1] = full[2 * m + 1] + sign * im;
      }
    }
  }
  return complexTensor(out, [channels, H, N2]);
}

/** Ā^L for every row, float64 [N, N] each. */
function statePowers(system: DplrSystem, L: number): Float64Array[] {
  const { dA } = denseBilinear(system);
  const [H, N] = dA.shape;
  const size = 2 * N * N;
  return Array.from(
    { length: H },
    (_, h) =>
      cmatrixPower(complexTensor(Float64Array.from(dA.data.subarray(h * size, (h + 1) * size)), [N, N]), L)
        .data as Float64Array,
  );
}

function outputShape(system: DplrSystem, C: ComplexTensor, L: number) {
  assertInteger('L', L, 1);
  const [H, N2] = system.Lambda.shape;
  if (C.shape.length !== 3 || C.shape[1] !== H || C.shape[2] !== N2) {
    throw new RangeError(`C must have shape [channels, ${H}, ${N2}]; got [${C.shape.join(', ')}]`);
  }
  return { channels: C.shape[0], H, N2 };
}

function rowOf(data: ComplexArray, start: number, length: number): Float64Array {
  return Float64Array.from(data.subarray(2 * start, 2 * (start + length)));
}
