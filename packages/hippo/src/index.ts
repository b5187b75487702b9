/**
 * HiPPO transition matrices, rank corrections, the NPLR decomposition and the DPLR/S4D
 * initialisations of the official S4 code (`state-spaces/s4`), in float64.
 *
 * Conventions (see `docs/architecture.md`): row-major typed arrays with explicit shapes; complex
 * values interleaved `(re, im)`; conjugate-symmetric systems stored as their N/2 modes.
 *
 * @packageDocumentation
 */
export { BASES, type BasisMeasure, type BasisOptions, basis } from './bases';
export { COMBINATIONS, combination, type SsmOptions, ssm } from './dispatch';
export {
  B_INITS,
  type BInit,
  DPLR_INITS,
  DPLR_OPTIONS,
  type Dplr,
  type DplrInit,
  type DplrOptions,
  dplr,
} from './dplr';
export { MEASURES, type Measure, type Transition, type TransitionOptions, transition } from './measures';
export { type Nplr, type NplrOptions, nplr, nplrReconstructionError, reconstructNplr } from './nplr';
export { type NplrMeasure, naturalRank, RANK_CORRECTION_MEASURES, rankCorrection } from './rank-correction';
export { binomial, lgamma } from './special-functions';
