import { type ComplexTensor, type RealArray, type Tensor, tensor } from '@statespace/complex';
import { irfftVjp } from '@statespace/fft';
import { cauchy } from './cauchy';
import { cauchyLimitVjp, cauchyVjp } from './cauchy-vjp';
import { type DplrKernelParams, type DplrKernelProblem, prepareDplrKernel } from './dplr-kernel';
import { checkKernelGrad } from './kernel-grad';
import { applyBilinearFactorVjp, woodburyLimitVjp, woodburyVjp } from './woodbury-vjp';

/** The gradients of `dplrKernel`'s K with respect to its parameters (float64 from the CPU function). */
export interface DplrKernelGrads<A extends RealArray = Float64Array> {
  /** ∂ℓ/∂Λ, complex [H, N2]. */
  Lambda: ComplexTensor<A>;
  /** ∂ℓ/∂P, complex [R, H, N2] (through both P and Q = conj P). */
  P: ComplexTensor<A>;
  /** ∂ℓ/∂B, complex [H, N2]. */
  B: ComplexTensor<A>;
  /** ∂ℓ/∂C̃, complex [channels, H, N2]. */
  C: ComplexTensor<A>;
  /** ∂ℓ/∂Δ, of dt's shape (tied steps sum over their modes). */
  dt: Tensor<A>;
}

/**
 * The gradients of an S4 kernel's Cauchy problem (see `DplrKernelProblem`): what the heavy step of
 * {@link dplrKernelVjp} computes from ∂ℓ/∂K, and {@link finishDplrKernelVjp} takes.
 */
export interface DplrCauchyGrads {
  /** ∂ℓ/∂v, complex [rows·cols, H, N2] (through the Cauchy sums at the finite nodes). */
  v: ArrayLike<number>;
  /** ∂ℓ/∂w, complex [H, N2]. */
  w: ArrayLike<number>;
  /**
   * ∂ℓ/∂limit, real [channels, H]: the gradient of the Woodbury-corrected limit at the Nyquist
   * node (½·Re of the spectrum's gradient there); absent without that node (odd discrete_L).
   */
  limit?: ArrayLike<number>;
  /**
   * Optional ∂ℓ/∂Δ through the Cauchy sums at the finite nodes, real [H, N2] (before the rate).
   * Without it, it is Σᵢⱼ Re(conj(gᵥ)·B̂ᵢĈⱼ) + Re(conj(g_w)·Λ), whose two terms cancel where
   * z ≈ 0 — harmless in float64, not in float32. As Δ scales v and w alike and
   * 1/(z − w) + w/(z − w)² = z/(z − w)², it is also (1/Δ)·Σ_b Re(conj(v_b)·S3_b) with the
   * transposed sums S3 = Σ_l conj(z·a²)·g + z·c²·conj(g) (a, c as in `cauchyVjp`), which do not
   * cancel: float32 backends give that.
   */
  delta?: ArrayLike<number>;
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
 * The heavy step, from ∂ℓ/∂K to the {@link DplrCauchyGrads}, is what backends run themselves
 * between `prepareDplrKernelVjp` and {@link finishDplrKernelVjp}.
 *
 * @throws RangeError as `dplrKernel` for bad parameters, with `state`, or when `grad` is not
 *   [channels, H, L].
 */
export function dplrKernelVjp(params: DplrKernelParams, grad: Tensor): DplrKernelGrads {
  const problem = prepareDplrKernelVjp(params, grad);
  return finishDplrKernelVjp(params, problem, dplrCauchyGrads(problem, grad));
}

/**
 * Validates an S4 kernel VJP's input (no states; `grad` real [channels, H, L], finite) and
 * prepares the forward's Cauchy problem (`prepareDplrKernel`), shared by every backend.
 * @throws as {@link dplrKernelVjp}.
 */
export function prepareDplrKernelVjp(params: DplrKernelParams, grad: Tensor): DplrKernelProblem {
  if (params?.state !== undefined) throw new RangeError('dplrKernelVjp has no gradient for state');
  const problem = prepareDplrKernel(params);
  const { channels, H, L } = problem;
  checkKernelGrad(grad, channels, H, L);
  return problem;
}

/** The heavy step on the CPU: ∂ℓ/∂K back through the inverse FFT, the factor, Woodbury and Cauchy. */
function dplrCauchyGrads(problem: DplrKernelProblem, grad: Tensor): DplrCauchyGrads {
  const { H, N2, R, channels, rows, cols, discreteL, L, v, w, nodes } = problem;
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
  return {
    v: gCauchy.v.data,
    w: gCauchy.w.data,
    limit: nodes.nyquist ? gBilinear.limit.data : undefined,
  };
}

/**
 * The {@link DplrCauchyGrads} from the transposed Cauchy sums of a backend that computes them
 * (complex [rows·cols, H, N2] each, see `cauchyVjp` for a and c):
 * S1 = Σ_l conj(a)·g + c·conj(g) is ∂ℓ/∂v; with S2 = Σ_l conj(a²)·g + c²·conj(g) and
 * S3 = Σ_l conj(z·a²)·g + z·c²·conj(g), ∂ℓ/∂w = Σ_b conj(v_b)·S2_b and Δ's part
 * Σ_b Re(conj(v_b)·S3_b)/Δ (see {@link DplrCauchyGrads.delta}), with the float64 v of `problem`.
 */
export function cauchyGradsFromSums(
  problem: DplrKernelProblem,
  sums: { s1: ArrayLike<number>; s2: ArrayLike<number>; s3: ArrayLike<number> },
  limit?: ArrayLike<number>,
): DplrCauchyGrads {
  const { H, N2, rows, cols, v } = problem;
  const HN = H * N2;
  const { s2, s3 } = sums;
  const w = new Float64Array(2 * HN);
  const delta = new Float64Array(HN);
  for (let b = 0; b < rows * cols; b++) {
    for (let m = 0; m < HN; m++) {
      const o = 2 * (b * HN + m);
      const vr = v[o];
      const vi = v[o + 1];
      w[2 * m] += vr * s2[o] + vi * s2[o + 1];
      w[2 * m + 1] += vr * s2[o + 1] - vi * s2[o];
      delta[m] += (vr * s3[o] + vi * s3[o + 1]) / problem.delta[m];
    }
  }
  return { v: sums.s1, w, limit, delta };
}

/**
 * The host steps of an S4 kernel VJP after its heavy step, shared by every backend: the Nyquist
 * node's gradient through `woodburyLimitVjp` and `cauchyLimitVjp`, then the chain rule from the
 * Cauchy problem's gradients to Λ, P, B, C̃ and Δ (see {@link dplrKernelVjp}), in float64.
 */
export function finishDplrKernelVjp(
  params: DplrKernelParams,
  problem: DplrKernelProblem,
  grads: DplrCauchyGrads,
): DplrKernelGrads {
  const { H, N2, R, channels, rows, cols, v } = problem;
  const HN = H * N2;
  const gv = Float64Array.from(grads.v);
  const gw = grads.w;
  // The Nyquist node's part of gᵥ, kept apart for Δ when the Cauchy sums' part is given.
  let gvLimit: RealArray | undefined;
  if (grads.limit !== undefined) {
    const gLimit = woodburyLimitVjp(tensor(Float64Array.from(grads.limit), [1, channels, H]), R);
    const vt: ComplexTensor = { data: v, shape: [rows * cols, H, N2] };
    gvLimit = cauchyLimitVjp(vt, tensor(gLimit.data, [rows * cols, H])).data;
    for (let i = 0; i < gv.length; i++) gv[i] += gvLimit[i];
  }
  const given = grads.delta;

  // v[i, j] = B̂ᵢ·Ĉⱼ·Δ and w = ΔΛ, with the rated Δ of the forward.
  const rate = params.rate ?? 1;
  const { delta } = problem;
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
        // Re(conj(g)·B̂Ĉ), of the Nyquist node's part alone when the Cauchy sums' part is given
        const dr0 = given ? (gvLimit?.[o + 2 * m] ?? 0) : gr0;
        const di0 = given ? (gvLimit?.[o + 2 * m + 1] ?? 0) : gi0;
        gDelta[m] += dr0 * (br * cr - bi * ci) + di0 * (br * ci + bi * cr);
      }
    }
  }
  const gLambda = new Float64Array(2 * HN);
  for (let m = 0; m < HN; m++) {
    const lr = params.Lambda.data[2 * m];
    const li = params.Lambda.data[2 * m + 1];
    gLambda[2 * m] = delta[m] * gw[2 * m];
    gLambda[2 * m + 1] = delta[m] * gw[2 * m + 1];
    gDelta[m] += given ? given[m] : gw[2 * m] * lr + gw[2 * m + 1] * li;
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
