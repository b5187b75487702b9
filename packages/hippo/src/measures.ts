import { assertInteger, assertOneOf, createRng, type Tensor, tensor } from '@statespace/complex';
import { assertKnownOptions, finiteOption } from './options';
import { binomial, lgamma } from './special-functions';

/** Every HiPPO measure of the official `hippo.transition`, aliases included. */
export const MEASURES = [
  'legs',
  'legsd',
  'legt',
  'lmu',
  'lagt',
  'tlagt',
  'glagt',
  'fourier',
  'fout',
  'fourier_diag',
  'foud',
  'fourier_decay',
  'fourier2',
  'random',
  'diagonal',
] as const;

/** A HiPPO measure name (see {@link MEASURES}). */
export type Measure = (typeof MEASURES)[number];

/** Measure parameters; each measure accepts only the ones it uses. */
export interface TransitionOptions {
  /** `glagt` only: the Laguerre order α (default 0, must be > −1). */
  alpha?: number;
  /**
   * `lagt` and `tlagt`: the input scale / tilt β (default 1, no tilt); `glagt`: the decay β
   * (default 0.01, must be > 0).
   */
  beta?: number;
  /** `random` and `diagonal` only: the seed of their draws (default 0). */
  seed?: number;
}

/** The continuous HiPPO system x′ = A x + B u. */
export interface Transition {
  /** The state matrix, N×N row-major. */
  A: Tensor<Float64Array>;
  /** The input vector, length N. */
  B: Float64Array;
}

const MEASURE_OPTIONS: Partial<Record<Measure, readonly (keyof TransitionOptions)[]>> = {
  lagt: ['beta'],
  tlagt: ['beta'],
  glagt: ['alpha', 'beta'],
  random: ['seed'],
  diagonal: ['seed'],
};

const FOURIER_FAMILY: readonly Measure[] = [
  'fourier',
  'fout',
  'fourier_diag',
  'foud',
  'fourier_decay',
  'fourier2',
];

/**
 * Checks a measure name and state size, throwing an error that lists the accepted names. The
 * Fourier measures pair a cosine with a sine per frequency, so they need an even N.
 */
export function checkMeasureSize(measure: unknown, N: number): asserts measure is Measure {
  assertOneOf('measure', measure, MEASURES);
  assertInteger('N', N, 1);
  if (FOURIER_FAMILY.includes(measure) && N % 2 !== 0) {
    throw new RangeError(`N must be even for measure '${measure}' (cosine/sine pairs); got ${N}`);
  }
}

/**
 * The HiPPO transition matrices `(A, B)` of a measure, as `hippo.transition(measure, N)` of the
 * official code (float64; `B` as a flat vector instead of N×1).
 *
 * `legt` includes the official extra halving ("for timescale correctness"), so its window has
 * length 2; `fourier`/`fout` likewise remembers a window of length 2 and `fourier2` one of length 1.
 * `random` and `diagonal` draw from `createRng(seed)` (A row-major first, then B), so they are
 * reproducible but do not reproduce numpy's draws.
 *
 * @throws RangeError for an unknown measure (listing the accepted ones), a bad N, an option the
 * measure does not take, or a non-finite or out-of-range option.
 */
export function transition(measure: Measure, N: number, options: TransitionOptions = {}): Transition {
  checkMeasureSize(measure, N);
  assertKnownOptions(`options of measure '${measure}'`, options, MEASURE_OPTIONS[measure] ?? []);
  const A = new Float64Array(N * N);
  const B = new Float64Array(N);
  switch (measure) {
    case 'legs':
    case 'legsd':
      legs(N, A, B, measure === 'legsd');
      break;
    case 'legt':
      legt(N, A, B);
      break;
    case 'lmu':
      lmu(N, A, B);
      break;
    case 'lagt':
    case 'tlagt': {
      const beta = finiteOption('beta', options.beta, 1);
      // lagt's diagonal is ½ − 1 whatever β; tlagt tilts it to (1−β)/2 − 1.
      const diagonal = measure === 'lagt' ? 0.5 : (1 - beta) / 2;
      lowerOnes(N, A, diagonal - 1, -1);
      B.fill(beta);
      break;
    }
    case 'glagt':
      glagt(N, A, B, options);
      break;
    case 'fourier':
    case 'fout':
      fourier(N, A, B, Math.PI, 1);
      break;
    case 'fourier_decay':
      fourier(N, A, B, Math.PI, 0.5);
      break;
    case 'fourier2':
      fourier(N, A, B, 2 * Math.PI, 2);
      break;
    case 'fourier_diag':
    case 'foud':
      fourierDiag(N, A, B);
      break;
    case 'random':
    case 'diagonal':
      randomMeasure(N, A, B, measure, options.seed ?? 0);
      break;
  }
  return { A: tensor(A, [N, N]), B };
}

// A_nk = −√(2n+1)√(2k+1) below the diagonal, −(n+1) on it; B_n = √(2n+1). legsd adds ½BBᵀ (leaving
// the normal part −½I + skew) and halves B.
function legs(N: number, A: Float64Array, B: Float64Array, normalPart: boolean): void {
  for (let n = 0; n < N; n++) {
    const rn = Math.sqrt(2 * n + 1);
    B[n] = rn;
    for (let k = 0; k < n; k++) A[n * N + k] = -rn * Math.sqrt(2 * k + 1);
    A[n * N + n] = -(n + 1);
  }
  if (!normalPart) return;
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < N; k++) A[n * N + k] += 0.5 * B[n] * B[k];
  }
  for (let n = 0; n < N; n++) B[n] /= 2;
}

// A_nk = −½√(2n+1)√(2k+1)·(1 if n ≥ k else (−1)^(n−k)), B_n = ½√(2n+1).
function legt(N: number, A: Float64Array, B: Float64Array): void {
  for (let n = 0; n < N; n++) {
    const rn = Math.sqrt(2 * n + 1);
    B[n] = 0.5 * rn;
    for (let k = 0; k < N; k++) {
      const sign = n >= k || (k - n) % 2 === 0 ? 1 : -1;
      A[n * N + k] = -0.5 * sign * rn * Math.sqrt(2 * k + 1);
    }
  }
}

// A_nk = (2n+1)·(−1 if n < k else (−1)^(n−k+1)), B_n = (−1)^n (2n+1).
function lmu(N: number, A: Float64Array, B: Float64Array): void {
  for (let n = 0; n < N; n++) {
    const r = 2 * n + 1;
    B[n] = n % 2 === 0 ? r : -r;
    for (let k = 0; k < N; k++) {
      const sign = n < k || (n - k) % 2 === 0 ? -1 : 1;
      A[n * N + k] = sign * r;
    }
  }
}

/** Fills A with `diagonal` on the diagonal and `below` under it. */
function lowerOnes(N: number, A: Float64Array, diagonal: number, below: number): void {
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < n; k++) A[n * N + k] = below;
    A[n * N + n] = diagonal;
  }
}

// Generalized Laguerre: A = −(1+β)/2·I − strict tril(1), B_n = C(α+n, n), then rescaled by
// L_n = √(Γ(n+α+1)/Γ(n+1)) (A ← L⁻¹AL, B ← L⁻¹B·Γ(1−α)^(−½)·β^((1−α)/2)).
function glagt(N: number, A: Float64Array, B: Float64Array, options: TransitionOptions): void {
  const alpha = finiteOption('alpha', options.alpha, 0);
  const beta = finiteOption('beta', options.beta, 0.01);
  if (alpha <= -1) throw new RangeError(`alpha must be > −1 for measure 'glagt'; got ${alpha}`);
  if (beta <= 0) throw new RangeError(`beta must be > 0 for measure 'glagt'; got ${beta}`);
  lowerOnes(N, A, -(1 + beta) / 2, -1);
  const L = new Float64Array(N);
  for (let n = 0; n < N; n++) L[n] = Math.exp(0.5 * (lgamma(n + alpha + 1) - lgamma(n + 1)));
  const scale = Math.exp(-0.5 * lgamma(1 - alpha)) * beta ** ((1 - alpha) / 2);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k <= n; k++) A[n * N + k] *= L[k] / L[n];
    B[n] = (binomial(alpha + n, n) / L[n]) * scale;
  }
}

/** B = [1, 0, √2, 0, √2, 0, …]: the cosine coefficients of the Fourier measures' input. */
function fourierInput(N: number, B: Float64Array): void {
  for (let n = 0; n < N; n += 2) B[n] = n === 0 ? 1 : Math.SQRT2;
}

// Frequencies k on the (2k, 2k+1) pairs: A₀[2k, 2k+1] = −ωk, A₀[2k+1, 2k] = +ωk. Then
// A = A₀ − c·BBᵀ and B ← c·B, the rank-one term standing for the window's far end u(t − θ).
function fourier(N: number, A: Float64Array, B: Float64Array, omega: number, c: number): void {
  fourierInput(N, B);
  for (let k = 1; k < N / 2; k++) {
    A[2 * k * N + 2 * k + 1] = -omega * k;
    A[(2 * k + 1) * N + 2 * k] = omega * k;
  }
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < N; k++) A[n * N + k] -= c * B[n] * B[k];
  }
  for (let n = 0; n < N; n++) B[n] *= c;
}

// The diagonalizable variant: 2π frequencies and a uniform −½ decay, no rank-one term.
function fourierDiag(N: number, A: Float64Array, B: Float64Array): void {
  fourierInput(N, B);
  for (let k = 1; k < N / 2; k++) {
    A[2 * k * N + 2 * k + 1] = -2 * Math.PI * k;
    A[(2 * k + 1) * N + 2 * k] = 2 * Math.PI * k;
  }
  for (let n = 0; n < N; n++) A[n * N + n] = -0.5;
}

// random: A = randn(N,N)/N; diagonal: A = −diag(exp(randn(N))). B = randn(N) after A's draws.
function randomMeasure(N: number, A: Float64Array, B: Float64Array, measure: Measure, seed: number): void {
  const rng = createRng(seed);
  if (measure === 'random') {
    for (let i = 0; i < N * N; i++) A[i] = rng.normal() / N;
  } else {
    for (let n = 0; n < N; n++) A[n * N + n] = -Math.exp(rng.normal());
  }
  for (let n = 0; n < N; n++) B[n] = rng.normal();
}
