import { assertInteger, complexTensor } from '@statespace/complex';
import {
  DPLR_INITS,
  DPLR_OPTIONS,
  type Dplr,
  type DplrInit,
  type DplrOptions,
  dplr,
  parseDplrOptions,
} from './dplr';
import { nplr } from './nplr';
import { assertKnownOptions } from './options';
import { type NplrMeasure, RANK_CORRECTION_MEASURES } from './rank-correction';

/**
 * Options of {@link ssm} and {@link combination}: those of {@link dplr} (without `rank` and `H`,
 * which are arguments) for the `diag…`/`dplr…` inits, and `bClip` of {@link nplr} for the HiPPO
 * measures. Every value is validated whichever route an init takes.
 */
export interface SsmOptions extends Omit<DplrOptions, 'rank' | 'H'> {
  /** Clip |B̃| of the HiPPO-measure inits (default 2; `null` disables). */
  bClip?: number | null;
}

const SSM_OPTIONS = [...DPLR_OPTIONS.filter((k) => k !== 'rank' && k !== 'H'), 'bClip'];

/** The named init combinations of the official `dplr.combinations`. */
export const COMBINATIONS: Readonly<Record<string, readonly string[]>> = {
  hippo: ['legs', 'fourier'],
  diag: ['diag-inv', 'diag-lin'],
  all: ['legs', 'fourier', 'diag-inv', 'diag-lin'],
};

function acceptedInits(): string {
  return (
    `'diag' or 'dplr' optionally followed by '-<init>' with <init> one of ${DPLR_INITS.join(', ')}` +
    ` (e.g. 'diag-lin'), or a HiPPO measure: ${RANK_CORRECTION_MEASURES.join(', ')}`
  );
}

/**
 * One SSM initialisation repeated over H copies, as `dplr.ssm` of the official code:
 *
 * - `diag-<init>` → `dplr(<init>)` with `P_scale = 0` (S4D: no low-rank term); `diag` alone is
 *   `diag-hippo` (S4D-LegS).
 * - `dplr-<init>` → `dplr(<init>)` as it is; `dplr` alone is `dplr-hippo`.
 * - anything else must be a HiPPO measure with a rank correction: `nplr(init, N, { rank, bClip })`
 *   with Λ, P̃, B̃ repeated H times.
 *
 * The result has A, B `[H, N/2]` and P `[rank, H, N/2]`. (The official code also returns V: the
 * identity for the `diag`/`dplr` inits and `nplr(init, N).V` for the measures.)
 *
 * @throws RangeError for an init name it cannot parse (listing the accepted forms), an unknown or
 * invalid option, or any error of {@link dplr} / {@link nplr}.
 */
export function ssm(init: string, N: number, rank: number, H: number, options: SsmOptions = {}): Dplr {
  assertKnownOptions('ssm options', options, SSM_OPTIONS);
  const { bClip, ...dplrOptions } = options;
  parseDplrOptions({ ...dplrOptions, rank, H });
  if (typeof init === 'string' && (init.startsWith('diag') || init.startsWith('dplr'))) {
    const suffix = init.slice(4);
    if (
      suffix !== '' &&
      !(suffix.startsWith('-') && (DPLR_INITS as readonly string[]).includes(suffix.slice(1)))
    ) {
      throw new RangeError(`init must be ${acceptedInits()}; got '${init}'`);
    }
    const name = (suffix === '' ? 'hippo' : suffix.slice(1)) as DplrInit;
    const P_scale = init.startsWith('diag') ? 0 : dplrOptions.P_scale;
    return dplr(name, N, { ...dplrOptions, P_scale, rank, H });
  }
  if (!(RANK_CORRECTION_MEASURES as readonly string[]).includes(init)) {
    throw new RangeError(`init must be ${acceptedInits()}; got '${String(init)}'`);
  }
  const one = nplr(init as NplrMeasure, N, 'bClip' in options ? { rank, bClip } : { rank });
  const M = N / 2;
  return {
    A: complexTensor(tile(one.Lambda, 1, H), [H, M]),
    P: complexTensor(tile(one.P.data, rank, H), [rank, H, M]),
    B: complexTensor(tile(one.B, 1, H), [H, M]),
  };
}

/** Repeats each of `rows` equal rows of `data` H times in place: `[rows, n]` → `[rows, H, n]`. */
function tile(data: Float64Array, rows: number, H: number): Float64Array {
  const width = data.length / rows;
  const out = new Float64Array(data.length * H);
  for (let r = 0; r < rows; r++) {
    const row = data.subarray(r * width, (r + 1) * width);
    for (let h = 0; h < H; h++) out.set(row, (r * H + h) * width);
  }
  return out;
}

/**
 * Several initialisations side by side over S = n_ssm copies, as `dplr.combination`: `inits` is
 * a list of {@link ssm} init names, a name of {@link COMBINATIONS} (`hippo` = legs + fourier,
 * `diag` = diag-inv + diag-lin, `all` = all four) or a single init. Each init gets
 * S / inits.length consecutive copies; init i draws with seed `seed + i`, so that repeated random
 * inits differ.
 *
 * @throws RangeError when S is not a positive multiple of the number of inits, for an empty list,
 * or any error of {@link ssm}.
 */
export function combination(
  inits: string | readonly string[],
  N: number,
  rank: number,
  S: number,
  options: SsmOptions = {},
): Dplr {
  const list = typeof inits === 'string' ? (COMBINATIONS[inits] ?? [inits]) : inits;
  if (list.length === 0) throw new RangeError('inits must name at least one init');
  assertInteger('S', S, 1);
  if (S % list.length !== 0) {
    throw new RangeError(
      `S (${S} independent SSM copies) must be a multiple of the number of inits (${list.length}: ${list.join(', ')})`,
    );
  }
  const copies = S / list.length;
  const seed = options.seed ?? 0;
  const parts = list.map((init, i) => ssm(init, N, rank, copies, { ...options, seed: seed + i }));
  const M = N / 2;
  const A = new Float64Array(2 * S * M);
  const B = new Float64Array(2 * S * M);
  const P = new Float64Array(2 * rank * S * M);
  parts.forEach((part, i) => {
    A.set(part.A.data, 2 * i * copies * M);
    B.set(part.B.data, 2 * i * copies * M);
    for (let r = 0; r < rank; r++) {
      const row = part.P.data.subarray(2 * r * copies * M, 2 * (r + 1) * copies * M);
      P.set(row, 2 * (r * S + i * copies) * M);
    }
  });
  return {
    A: complexTensor(A, [S, M]),
    P: complexTensor(P, [rank, S, M]),
    B: complexTensor(B, [S, M]),
  };
}
