import { assertFinite, assertInteger, assertOneOf, type Tensor, tensor } from '@statespace/complex';
import { booleanOption, finiteOption } from './options';

/** The measures {@link basis} knows, as in the official `visualizations.py`. */
export const BASES = ['legs', 'legt', 'lagt', 'fourier'] as const;

/** A measure with a reconstruction basis (see {@link BASES}). */
export type BasisMeasure = (typeof BASES)[number];

/** Options of {@link basis}. */
export interface BasisOptions {
  /** Tilt: every row is multiplied by e^(−c·s) (default 0). */
  c?: number;
  /** Zero the rows whose time lies outside the measure's support (default true). */
  truncateMeasure?: boolean;
}

/**
 * The reconstruction basis of a HiPPO state, as `basis()` of the official `visualizations.py`:
 * row i holds the N basis functions at `vals[i]` = s, the time elapsed before the present, so that
 * u(t − s) ≈ Σ_n basis[i, n]·x_n(t) for the state x(t) of x′ = A x + B u.
 *
 * - `legt`: √(2n+1)·(−1)ⁿ·P_n(2s − 1) on s ∈ [0, 1] (P_n Legendre), for the un-halved LegT of
 *   window 1. `transition('legt')` carries an extra ½, i.e. a window of 2: evaluate at s/2.
 * - `legs`: √(2n+1)·(−1)ⁿ·P_n(1 − 2e^(−s)) on s ≥ 0, for the time-invariant LegS of
 *   `transition('legs')` (measure e^(−s)).
 * - `lagt`: L_n(s)·e^(−s/2) on s ≥ 0 (L_n Laguerre), for `transition('lagt')`.
 * - `fourier`: 1, 0, √2·cos(2πks), √2·sin(2πks), … interleaved (k = 1 … N/2−1) on s ∈ [0, 1], for
 *   `transition('fourier2')`; `transition('fourier')` has window 2: evaluate at s/2.
 *
 * The bases are orthonormal on their supports (legs with weight e^(−s)). Two departures from
 * `visualizations.py`: the `lagt` rows follow `vals` like the others (the official code reverses
 * `vals` for lagt only, to suit its plotting), and the `legt` window is closed, [0, 1] (the official
 * Heaviside measure drops the two endpoints).
 *
 * @throws RangeError for an unknown measure (listing the accepted ones), a bad N (odd N for
 * `fourier`), non-finite times, or a non-finite `c`.
 */
export function basis(
  measure: BasisMeasure,
  N: number,
  vals: ArrayLike<number>,
  options: BasisOptions = {},
): Tensor<Float64Array> {
  assertOneOf('measure', measure, BASES);
  assertInteger('N', N, 1);
  if (measure === 'fourier' && N % 2 !== 0) {
    throw new RangeError(`N must be even for the fourier basis (cosine/sine pairs); got ${N}`);
  }
  assertFinite('vals', vals);
  const c = finiteOption('c', options.c, 0);
  const truncate = booleanOption('truncateMeasure', options.truncateMeasure, true);
  const T = vals.length;
  const out = new Float64Array(T * N);
  for (let i = 0; i < T; i++) {
    const s = vals[i];
    const row = out.subarray(i * N, (i + 1) * N);
    if (truncate && !inSupport(measure, s)) continue;
    switch (measure) {
      case 'legt':
        legendreRow(2 * s - 1, row);
        break;
      case 'legs':
        legendreRow(1 - 2 * Math.exp(-s), row);
        break;
      case 'lagt':
        laguerreRow(s, row);
        break;
      case 'fourier':
        fourierRow(s, row);
        break;
    }
    const tilt = Math.exp(-c * s);
    for (let n = 0; n < N; n++) row[n] *= tilt;
  }
  return tensor(out, [T, N]);
}

function inSupport(measure: BasisMeasure, s: number): boolean {
  return measure === 'legt' || measure === 'fourier' ? s >= 0 && s <= 1 : s >= 0;
}

// √(2n+1)·(−1)ⁿ·P_n(x) by the three-term recurrence (n+1)P_{n+1} = (2n+1)x·P_n − n·P_{n−1}.
function legendreRow(x: number, row: Float64Array): void {
  let previous = 0;
  let current = 1;
  for (let n = 0; n < row.length; n++) {
    row[n] = (n % 2 === 0 ? 1 : -1) * Math.sqrt(2 * n + 1) * current;
    const next = ((2 * n + 1) * x * current - n * previous) / (n + 1);
    previous = current;
    current = next;
  }
}

// L_n(s)·e^(−s/2) by (n+1)L_{n+1} = (2n+1−s)·L_n − n·L_{n−1}.
function laguerreRow(s: number, row: Float64Array): void {
  const decay = Math.exp(-s / 2);
  let previous = 0;
  let current = 1;
  for (let n = 0; n < row.length; n++) {
    row[n] = current * decay;
    const next = ((2 * n + 1 - s) * current - n * previous) / (n + 1);
    previous = current;
    current = next;
  }
}

function fourierRow(s: number, row: Float64Array): void {
  row[0] = 1;
  for (let k = 1; 2 * k < row.length; k++) {
    row[2 * k] = Math.SQRT2 * Math.cos(2 * Math.PI * k * s);
    row[2 * k + 1] = Math.SQRT2 * Math.sin(2 * Math.PI * k * s);
  }
}
