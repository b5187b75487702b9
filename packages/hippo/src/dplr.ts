import {
  assertInteger,
  assertOneOf,
  type ComplexTensor,
  complexTensor,
  createRng,
  type Rng,
} from '@statespace/complex';
import { nplr } from './nplr';
import { assertKnownOptions, booleanOption, finiteOption } from './options';

/** The `init` names of the official `dplr.dplr` (aliases included). */
export const DPLR_INITS = [
  'legs',
  'hippo',
  'lin',
  'linear',
  'inv',
  'inverse',
  'inv2',
  'inverse2',
  'quad',
  'quadratic',
  'rand',
  'random',
  'real',
] as const;

/** A direct DPLR / S4D initialisation of A (see {@link DPLR_INITS}). */
export type DplrInit = (typeof DPLR_INITS)[number];

/** The `B_init` names of the official `dplr.dplr`. */
export const B_INITS = ['constant', 'random', 'alternating', 'unit-cw', 'unit-ccw', 'legs', 'hippo'] as const;

/** An initialisation of B (see {@link B_INITS}). */
export type BInit = (typeof B_INITS)[number];

/**
 * Options of {@link dplr}, spelled as the official keyword arguments so that configurations port
 * unchanged (the deprecated `B_random` and the torch `dtype` are not accepted; results are float64).
 */
export interface DplrOptions {
  /** Rows of the low-rank term P (default 1). */
  rank?: number;
  /** Independent copies (default 1). */
  H?: number;
  /** Re part −U[0, 1) instead of −½ (default false). */
  real_random?: boolean;
  /** Scale of the real part (default 1; ignored by `init: 'real'`, as officially). */
  real_scale?: number;
  /** Imaginary part N/2·U[0, 1) instead of n (default false); the init then transforms it. */
  imag_random?: boolean;
  /** Scale of the imaginary part (default 1). */
  imag_scale?: number;
  /** How B starts (default `'constant'`); forced to `'legs'` by `init: 'legs' | 'hippo'`. */
  B_init?: BInit;
  /** Scale of B (default 1). */
  B_scale?: number;
  /** Scale of the random P (default 1); unused when P comes from the LegS NPLR. */
  P_scale?: number;
  /** Divide B by √(2·Σ_n |B_n/A_n|²), per copy (experimental in the official code; default false). */
  normalize?: boolean;
  /** Seed of every random draw (default 0). */
  seed?: number;
}

/** A diagonal-plus-low-rank SSM initialisation, N/2 modes per copy (A = diag(A) − P P*). */
export interface Dplr {
  /** The diagonal, `[H, N/2]`, with Re ≤ 0 and Im ≤ 0. */
  A: ComplexTensor<Float64Array>;
  /** The low-rank factor, `[rank, H, N/2]`. */
  P: ComplexTensor<Float64Array>;
  /** The input vector, `[H, N/2]`. */
  B: ComplexTensor<Float64Array>;
}

/** The option names {@link dplr} accepts. */
export const DPLR_OPTIONS = [
  'rank',
  'H',
  'real_random',
  'real_scale',
  'imag_random',
  'imag_scale',
  'B_init',
  'B_scale',
  'P_scale',
  'normalize',
  'seed',
] as const satisfies readonly (keyof DplrOptions)[];

/**
 * A direct DPLR / S4D initialisation, as `dplr.dplr` of the official `src/models/sequence/kernels/
 * dplr.py`, with n = 0 … N/2−1 and A = −re − i·im:
 *
 * | init | im (before `imag_scale`) | re |
 * |---|---|---|
 * | `legs`/`hippo` (S4D-LegS) | −Im Λ of `nplr('legs', N)` | ½ |
 * | `lin`/`linear` (S4D-Lin) | π·n | ½ |
 * | `inv`/`inverse` (S4D-Inv) | N/π·(N/(1+2n) − 1) | ½ |
 * | `inv2`/`inverse2` | N/π·(N/(1+n) − 1) | ½ |
 * | `quad`/`quadratic` | (1+2n)²/π | ½ |
 * | `rand`/`random` | exp(randn) | ½ |
 * | `real` (S4D-Real) | 0 | 1+n, or N/2·U[0, 1) with `real_random` |
 *
 * (`imag_random` replaces n by N/2·U[0, 1) first; `real_random` replaces ½ by U[0, 1).)
 *
 * B by `B_init`: `constant` ones; `random` complex normal (variance 1); `alternating` 1, −1, …;
 * `unit-cw`/`unit-ccw` zⁿ with z = e^(∓2πi/N); `legs`/`hippo` B̃ of `nplr('legs', N)` (clipped in
 * magnitude at 2), which `init: 'legs' | 'hippo'` forces. Then B ← `B_scale`·B and, with
 * `normalize`, B ← B/√(2Σ|B/A|²). P is P̃ of that same `nplr('legs', N, { rank })` when B is
 * `legs`, else complex normal times `P_scale`.
 *
 * Random draws come from `createRng(seed)` in the official order (real, imag, init, B, P), so they
 * are reproducible but do not reproduce torch's. Where the official `real_random` real init computes
 * `rand·N//2` (a floor division, by operator precedence), this returns N/2·U[0, 1) as documented.
 *
 * @throws RangeError for an unknown init or B_init (listing the accepted names), an odd N, an
 * unknown option, a NaN option, `alternating` with N not divisible by 4, or an A with Re A ≥ 1e-4
 * or Im A > 0 (the official assertion: a negative scale, or `imag_random` with `inv`).
 */
export function dplr(init: DplrInit, N: number, options: DplrOptions = {}): Dplr {
  assertOneOf('init', init, DPLR_INITS);
  assertInteger('N', N, 2);
  if (N % 2 !== 0) throw new RangeError(`N must be even: DPLR keeps N/2 conjugate pairs; got ${N}`);
  assertKnownOptions('dplr options', options, DPLR_OPTIONS);
  const { rank, H, seed, realRandom, imagRandom, normalize, realScale, imagScale, BScale, PScale, BInit } =
    parseDplrOptions(options);
  // The S4D-LegS init always takes the HiPPO B (and so the HiPPO P), whatever B_init says.
  const bInit = init === 'legs' || init === 'hippo' ? 'legs' : BInit;
  if (bInit === 'alternating' && N % 4 !== 0) {
    throw new RangeError(
      `B_init 'alternating' pairs (1, −1) over N/2 modes, so N must be divisible by 4; got ${N}`,
    );
  }
  const rng = createRng(seed);
  const M = N / 2;
  const size = H * M;
  const legs = bInit === 'legs' || bInit === 'hippo' ? nplr('legs', N, { rank }) : undefined;

  const re = new Float64Array(size);
  for (let i = 0; i < size; i++) re[i] = realScale * (realRandom ? rng.uniform() : 0.5);
  const base = new Float64Array(size);
  for (let i = 0; i < size; i++) base[i] = imagRandom ? M * rng.uniform() : i % M;
  const im = imaginaryPart(init, N, base, rng, legs?.Lambda);
  if (init === 'real') {
    for (let i = 0; i < size; i++) re[i] = realRandom ? M * rng.uniform() : 1 + (i % M);
  }

  const A = new Float64Array(2 * size);
  for (let i = 0; i < size; i++) {
    A[2 * i] = -re[i];
    A[2 * i + 1] = -imagScale * im[i];
    // The official assertion (with its tolerance on the real part): a stable, negative-frequency half.
    if (!(A[2 * i] < 1e-4 && A[2 * i + 1] <= 0)) {
      throw new RangeError(
        `init '${init}' gave A[${Math.floor(i / M)}, ${i % M}] = ${A[2 * i]} + ${A[2 * i + 1]}i, but Re A < 1e-4 and ` +
          'Im A ≤ 0 are required: check the sign of real_scale / imag_scale (imag_random with inv puts n past (N−1)/2)',
      );
    }
  }
  const B = inputVector(bInit, N, H, rng, legs?.B);
  for (let i = 0; i < B.length; i++) B[i] *= BScale;
  if (normalize) normalizeInput(B, A, H, M);

  let P: Float64Array;
  if (legs) {
    P = new Float64Array(2 * rank * size);
    for (let r = 0; r < rank; r++) {
      const row = legs.P.data.subarray(2 * r * M, 2 * (r + 1) * M);
      for (let h = 0; h < H; h++) P.set(row, 2 * (r * H + h) * M);
    }
  } else {
    P = complexNormal(rank * size, rng);
    for (let i = 0; i < P.length; i++) P[i] *= PScale;
  }
  return {
    A: complexTensor(A, [H, M]),
    P: complexTensor(P, [rank, H, M]),
    B: complexTensor(B, [H, M]),
  };
}

/**
 * Validates the values of {@link DplrOptions} (not the keys) and fills in the defaults; shared
 * with the dispatcher so that a bad value fails whichever route an init takes.
 */
export function parseDplrOptions(options: DplrOptions) {
  const rank = options.rank ?? 1;
  const H = options.H ?? 1;
  assertInteger('rank', rank, 1);
  assertInteger('H', H, 1);
  const BInit = options.B_init ?? 'constant';
  assertOneOf('B_init', BInit, B_INITS);
  const seed = options.seed ?? 0;
  assertInteger('seed', seed);
  return {
    rank,
    H,
    seed,
    BInit,
    realRandom: booleanOption('real_random', options.real_random, false),
    imagRandom: booleanOption('imag_random', options.imag_random, false),
    normalize: booleanOption('normalize', options.normalize, false),
    realScale: finiteOption('real_scale', options.real_scale, 1),
    imagScale: finiteOption('imag_scale', options.imag_scale, 1),
    BScale: finiteOption('B_scale', options.B_scale, 1),
    PScale: finiteOption('P_scale', options.P_scale, 1),
  };
}

/** The imaginary part (before `imag_scale`, positive) from `base` = n or N/2·U[0, 1). */
function imaginaryPart(
  init: DplrInit,
  N: number,
  base: Float64Array,
  rng: Rng,
  legsLambda: Float64Array | undefined,
): Float64Array {
  const M = N / 2;
  const out = new Float64Array(base.length);
  for (let i = 0; i < base.length; i++) {
    const n = base[i];
    switch (init) {
      case 'rand':
      case 'random':
        out[i] = Math.exp(rng.normal());
        break;
      case 'real':
        out[i] = 0;
        break;
      case 'lin':
      case 'linear':
        out[i] = Math.PI * n;
        break;
      case 'inv':
      case 'inverse':
        out[i] = (N / Math.PI) * (N / (1 + 2 * n) - 1);
        break;
      case 'inv2':
      case 'inverse2':
        out[i] = (N / Math.PI) * (N / (1 + n) - 1);
        break;
      case 'quad':
      case 'quadratic':
        out[i] = (1 + 2 * n) ** 2 / Math.PI;
        break;
      case 'legs':
      case 'hippo':
        out[i] = -(legsLambda as Float64Array)[2 * (i % M) + 1];
        break;
    }
  }
  return out;
}

/** B, `[H, N/2]` interleaved, before `B_scale`. */
function inputVector(
  bInit: BInit,
  N: number,
  H: number,
  rng: Rng,
  legsB: Float64Array | undefined,
): Float64Array {
  const M = N / 2;
  if (bInit === 'random') return complexNormal(H * M, rng);
  const row = new Float64Array(2 * M);
  for (let n = 0; n < M; n++) {
    switch (bInit) {
      case 'constant':
        row[2 * n] = 1;
        break;
      case 'alternating':
        row[2 * n] = n % 2 === 0 ? 1 : -1;
        break;
      case 'unit-cw':
      case 'unit-ccw': {
        const angle = ((bInit === 'unit-cw' ? -2 : 2) * Math.PI * n) / N;
        row[2 * n] = Math.cos(angle);
        row[2 * n + 1] = Math.sin(angle);
        break;
      }
      case 'legs':
      case 'hippo':
        row[2 * n] = (legsB as Float64Array)[2 * n];
        row[2 * n + 1] = (legsB as Float64Array)[2 * n + 1];
        break;
    }
  }
  const out = new Float64Array(2 * H * M);
  for (let h = 0; h < H; h++) out.set(row, 2 * h * M);
  return out;
}

/** `count` draws of torch's complex `randn`: real and imaginary parts each N(0, ½). */
function complexNormal(count: number, rng: Rng): Float64Array {
  const out = new Float64Array(2 * count);
  for (let i = 0; i < out.length; i++) out[i] = Math.SQRT1_2 * rng.normal();
  return out;
}

// B ← B/√ζ with ζ = 2Σ_n |B_n/A_n|², the variance of ∫ kernel under a random C.
function normalizeInput(B: Float64Array, A: Float64Array, H: number, M: number): void {
  for (let h = 0; h < H; h++) {
    let zeta = 0;
    for (let n = 2 * h * M; n < 2 * (h + 1) * M; n += 2) {
      zeta += (B[n] ** 2 + B[n + 1] ** 2) / (A[n] ** 2 + A[n + 1] ** 2);
    }
    const s = 1 / Math.sqrt(2 * zeta);
    for (let n = 2 * h * M; n < 2 * (h + 1) * M; n++) B[n] *= s;
  }
}
