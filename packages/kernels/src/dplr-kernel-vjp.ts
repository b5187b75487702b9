import { type ComplexTensor, type Tensor, tensor } from '@statespace/complex';
import { irfftVjp } from '@statespace/fft';
import { cauchy } from './cauchy';
import { cauchyLimitVjp, cauchyVjp } from './cauchy-vjp';
import { type DplrKernelParams, prepareDplrKernel } from './dplr-kernel';
import { modeSteps } from './parameters';
import { applyBilinearFactorVjp, woodburyLimitVjp, woodburyVjp } from './woodbury-vjp';

/** The gradients of `dplrKernel`'s K with respect to its parameters, float64. */
export interface DplrKernelGrads {
  /** ∂ℓ/∂Λ, complex [H, N2]. */
  Lambda: ComplexTensor<Float64Array>;
  /** ∂ℓ/∂P, complex [R, H, N2] (through both P and Q = conj P). */
  P: ComplexTensor<Float64Array>;
  /** ∂ℓ/∂B, complex [H, N2]. */
  B: ComplexTensor<Float64Array>;
  /** ∂ℓ/∂C̃, complex [channels, H, N2]. */
  C: ComplexTensor<Float64Array>;
  /** ∂ℓ/∂Δ, of dt's shape (tied steps sum over their modes). */
  dt: Tensor<Float64Array>;
}

/**
 * The vector-Jacobian product of `dplrKernel(params).K` (no states): given `grad` = ∂ℓ/∂K, real
 * [channels, H, L], returns the gradients with respect to Λ, P, B, C̃ and Δ. It runs the
 * forward's steps backwards — truncation to L, `irfftVjp`, `applyBilinearFactorVjp`,
 * `woodburyVjp` (and `woodburyLimitVjp` at the Nyquist node), `cauchyVjp` (and `cauchyLimitVjp`)
 * — to the Cauchy numerators v[i, j] = B̂ᵢ·Ĉⱼ·Δ (B̂ = [B; P], Ĉ = [C̃; Q], Q = conj P) and poles
 * w = ΔΛ, Δ = dt·rate:
 *
 *   ∂ℓ/∂B̂ᵢ = Σⱼ conj(Ĉⱼ·Δ)·gᵥ[i, j],  ∂ℓ/∂Ĉⱼ = Σᵢ conj(B̂ᵢ·Δ)·gᵥ[i, j],  ∂ℓ/∂P = g_B̂ + conj(g_Q),
 *   ∂ℓ/∂Λ = Δ·g_w,  ∂ℓ/∂Δ = Σ Re(conj(gᵥ)·B̂ᵢĈⱼ) + Re(conj(g_w)·Λ), times the rate for dt.
 *
 * @throws RangeError as `dplrKernel` for bad parameters, with `state`, or when `grad` is not
 *   [channels, H, L].
 */
export function dplrKernelVjp(params: DplrKernelParams, grad: Tensor): DplrKernelGrads {
  if (params.state !== undefined) throw new RangeError('dplrKernelVjp has no gradient for state');
  const { H, N2, R, channels, rows, cols, discreteL, L, v, w, nodes } = prepareDplrKernel(params);
  const expected = [channels, H, L];
  if (grad?.shape?.length !== 3 || grad.shape.some((d, i) => d !== expected[i])) {
    throw new RangeError(
      `grad must have shape [channels, H, L] = [${expected.join(', ')}]; got [${grad?.shape?.join(', ') ?? ''}]`,
    );
  }
  const HN = H * N2;
  const Lz = nodes.count;
  const count = channels * H;
  // K = irfft(spectrum, discrete_L) truncated to L, row by row.
  const gSpectrum = new Float64Array(2 * count * Lz);
  const row = new Float64Array(discreteL);
  for (let k = 0; k < count; k++) {
    for (let l = 0; l < L; l++) row[l] = grad.data[k * L + l];
    gSpectrum.set(irfftVjp(row, Lz), 2 * k * Lz);
  }
  const gBilinear = applyBilinearFactorVjp({ data: gSpectrum, shape: [1, channels, H, Lz] }, nodes.omega);
  const vt: ComplexTensor = { data: v, shape: [rows * cols, H, N2] };
  const wt: ComplexTensor = { data: w, shape: [H, N2] };
  const z: ComplexTensor = { data: nodes.z, shape: [Lz] };
  const r = cauchy(vt, wt, z);
  const gr = woodburyVjp({ data: r.data, shape: [rows, cols, H, Lz] }, R, gBilinear.kf);
  const gCauchy = cauchyVjp(vt, wt, z, { data: gr.data, shape: [rows * cols, H, Lz] });
  const gv = Float64Array.from(gCauchy.v.data);
  const gw = gCauchy.w.data;
  if (nodes.nyquist) {
    const gLimit = woodburyLimitVjp(tensor(gBilinear.limit.data, [1, channels, H]), R);
    const gvLimit = cauchyLimitVjp(vt, tensor(gLimit.data, [rows * cols, H])).data;
    for (let i = 0; i < gv.length; i++) gv[i] += gvLimit[i];
  }

  // v[i, j] = B̂ᵢ·Ĉⱼ·Δ and w = ΔΛ, with the rated Δ of the forward.
  const rate = params.rate ?? 1;
  const delta = modeSteps(params.dt, H, N2).map((d) => d * rate);
  const bHat = new Float64Array(2 * rows * HN);
  const cHat = new Float64Array(2 * cols * HN);
  bHat.set(params.B.data);
  bHat.set(params.P.data, 2 * HN);
  cHat.set(params.C.data);
  for (let i = 0; i < R * HN; i++) {
    cHat[2 * (channels * HN + i)] = params.P.data[2 * i];
    cHat[2 * (channels * HN + i) + 1] = -params.P.data[2 * i + 1];
  }
  const gB = new Float64Array(2 * rows * HN);
  const gC = new Float64Array(2 * cols * HN);
  const gDelta = new Float64Array(HN);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const o = 2 * (i * cols + j) * HN;
      for (let m = 0; m < HN; m++) {
        const d = delta[m];
        const br = bHat[2 * (i * HN + m)];
        const bi = bHat[2 * (i * HN + m) + 1];
        const cr = cHat[2 * (j * HN + m)];
        const ci = cHat[2 * (j * HN + m) + 1];
        const gr0 = gv[o + 2 * m];
        const gi0 = gv[o + 2 * m + 1];
        // conj(Ĉ·Δ)·g and conj(B̂·Δ)·g
        gB[2 * (i * HN + m)] += d * (cr * gr0 + ci * gi0);
        gB[2 * (i * HN + m) + 1] += d * (cr * gi0 - ci * gr0);
        gC[2 * (j * HN + m)] += d * (br * gr0 + bi * gi0);
        gC[2 * (j * HN + m) + 1] += d * (br * gi0 - bi * gr0);
        // Re(conj(g)·B̂Ĉ)
        gDelta[m] += gr0 * (br * cr - bi * ci) + gi0 * (br * ci + bi * cr);
      }
    }
  }
  const gLambda = new Float64Array(2 * HN);
  for (let m = 0; m < HN; m++) {
    const lr = params.Lambda.data[2 * m];
    const li = params.Lambda.data[2 * m + 1];
    gLambda[2 * m] = delta[m] * gw[2 * m];
    gLambda[2 * m + 1] = delta[m] * gw[2 * m + 1];
    gDelta[m] += gw[2 * m] * lr + gw[2 * m + 1] * li;
  }
  const gP = new Float64Array(2 * R * HN);
  for (let i = 0; i < R * HN; i++) {
    gP[2 * i] = gB[2 * (HN + i)] + gC[2 * (channels * HN + i)];
    gP[2 * i + 1] = gB[2 * (HN + i) + 1] - gC[2 * (channels * HN + i) + 1];
  }
  const gDt = new Float64Array(params.dt.data.length);
  const perMode = gDt.length === HN;
  for (let m = 0; m < HN; m++) gDt[perMode ? m : Math.floor(m / N2)] += gDelta[m] * rate;
  return {
    Lambda: { data: gLambda, shape: [H, N2] },
    P: { data: gP, shape: [R, H, N2] },
    B: { data: gB.slice(0, 2 * HN), shape: [H, N2] },
    C: { data: gC.slice(0, 2 * channels * HN), shape: [channels, H, N2] },
    dt: { data: gDt, shape: [...params.dt.shape] },
  };
}
