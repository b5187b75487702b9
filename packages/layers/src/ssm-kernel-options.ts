import { assertOneOf } from '@statespace/complex';
import { TRANSFORMS, type Transform } from '@statespace/discretize';
import type { DplrOptions, SsmOptions } from '@statespace/hippo';
import { MODULE_OPTIONS, type ModuleOptions } from './context';
import type { OptimSettings } from './module';
import { assertKnownOptions, booleanOption, integerOption, numberOption } from './options';

// The constructor arguments of the official SSM kernels (`SSMKernel`, `SSMKernelDiag`,
// `SSMKernelDPLR` in models/s4/s4.py), spelled as there so that configurations port unchanged,
// and their validation into one resolved configuration.

/** The kernel modes: S4 (`dplr`, aliases `nplr`, `s4`) and S4D (`diag`, alias `s4d`), as the official registry. */
export const SSM_KERNEL_MODES = ['dplr', 'nplr', 's4', 'diag', 's4d'] as const;

/** One of {@link SSM_KERNEL_MODES}. */
export type SsmKernelMode = (typeof SSM_KERNEL_MODES)[number];

/** The discretisations of S4D; S4 (DPLR) is bilinear only. */
export const SSM_DISCS = ['zoh', 'bilinear', 'dss'] as const;

/** One of {@link SSM_DISCS}. */
export type SsmDisc = (typeof SSM_DISCS)[number];

/**
 * Learning rates or weight decays per parameter group (the official `lr` / `wd` dicts): `dt` for
 * `inv_dt`; `A` for `A_real`, `A_imag` and `P`; `B`; `C`. A missing or null entry means the
 * optimiser's global value.
 */
export interface SsmOptimGroups {
  dt?: number | null;
  A?: number | null;
  B?: number | null;
  C?: number | null;
}

/**
 * Options of the SSM kernel, with the official names and defaults (`init_args` of the DPLR
 * initialisations are accepted at the top level, as the official `**init_args`).
 */
export interface SsmKernelOptions
  extends ModuleOptions,
    // The initialisation options of the DPLR/S4D inits, as @statespace/hippo documents them.
    Pick<
      DplrOptions,
      | 'real_random'
      | 'real_scale'
      | 'imag_random'
      | 'imag_scale'
      | 'B_init'
      | 'B_scale'
      | 'P_scale'
      | 'normalize'
    > {
  /** Number of features H (independent SSMs). */
  d_model: number;
  /** `dplr` (S4, default), `nplr`, `s4`; `diag` or `s4d` (S4D). */
  mode?: SsmKernelMode;
  /** State size N (default 64); N/2 conjugate pairs are stored (N with `is_real`). */
  d_state?: number;
  /** Output channels per feature (default 1). */
  channels?: number;
  /** Kernel length, or null (default): the length of each input. S4 attunes C̃ to it at the first forward. */
  l_max?: number | null;
  /**
   * Learning rates (default `{ dt: 0.001, A: 0.001, B: 0.001 }`, the official layer config): a
   * number gives every kernel parameter, C included, that rate; null the global one; 0 freezes.
   */
  lr?: number | null | SsmOptimGroups;
  /** Weight decays (default 0 for dt, A, B; C always takes the global one, as officially). */
  wd?: number | null | SsmOptimGroups;
  /** Δ on a log-linspace over H instead of random (default false). */
  deterministic?: boolean;
  /** Smallest initial Δ (default 0.001). */
  dt_min?: number;
  /** Largest initial Δ (default 0.1). */
  dt_max?: number;
  /** One Δ per feature (default true) or one per mode. */
  dt_tie?: boolean;
  /** Transform of the stored `inv_dt` (default `exp`; the official configs use `softplus`). */
  dt_transform?: Transform;
  /** Store asinh(inv_dt) and read sinh of it (default false). */
  dt_fast?: boolean;
  /** Rank of the low-rank term of S4 (default 1; `legt` needs 2). */
  rank?: number;
  /** Independent copies of (A, B), repeated over H (default H); must divide H. */
  n_ssm?: number | null;
  /**
   * Initialisation (default `legs`): a HiPPO measure (`legs`, `legt`, `fourier`, …), `diag-<init>` /
   * `dplr-<init>` (`diag-lin`, `diag-inv`, `dplr-legs`, …), a combination name (`hippo`, `diag`,
   * `all`) or a list of them, split over the n_ssm copies.
   */
  init?: string | readonly string[];
  /** S4D discretisation: `zoh` (default), `bilinear` or `dss`. S4 is always `bilinear`. */
  disc?: SsmDisc;
  /** Transform of `A_real` (default `exp`): Re A = −T(A_real). */
  real_transform?: Transform;
  /** Transform of `A_imag` (default `none`): Im A = −T(A_imag). */
  imag_transform?: Transform;
  /** S4ND band limit: C is zeroed where Δ·|Im A|/(2π) ≥ bandlimit/2 (default null: none). */
  bandlimit?: number | null;
  /** Real S4D (A, B, C real; `d_state` real modes); S4D only (default false). */
  is_real?: boolean;
  /** Clip |B̃| of the HiPPO-measure inits at this magnitude (default 2; null: no clip). */
  B_clip?: number | null;
}

const INIT_ARGS = [
  'real_random',
  'real_scale',
  'imag_random',
  'imag_scale',
  'B_init',
  'B_scale',
  'P_scale',
  'normalize',
  'B_clip',
] as const;

/** Every option name of {@link SsmKernelOptions}. */
export const SSM_KERNEL_OPTIONS = [
  'd_model',
  'mode',
  'd_state',
  'channels',
  'l_max',
  'lr',
  'wd',
  'deterministic',
  'dt_min',
  'dt_max',
  'dt_tie',
  'dt_transform',
  'dt_fast',
  'rank',
  'n_ssm',
  'init',
  'disc',
  'real_transform',
  'imag_transform',
  'bandlimit',
  'is_real',
  ...INIT_ARGS,
  ...MODULE_OPTIONS,
] as const;

/** The validated kernel configuration. */
export interface SsmKernelConfig {
  readonly kind: 'dplr' | 'diag';
  readonly H: number;
  /** The state size as given (`d_state`). */
  readonly d_state: number;
  /** Stored modes per feature: d_state/2 (complex), or d_state with `is_real`. */
  readonly N2: number;
  readonly channels: number;
  readonly l_max: number | null;
  readonly rank: number;
  readonly n_ssm: number;
  readonly init: string | readonly string[];
  readonly disc: SsmDisc;
  readonly deterministic: boolean;
  readonly dt_min: number;
  readonly dt_max: number;
  readonly dt_tie: boolean;
  readonly dt_transform: Transform;
  readonly dt_fast: boolean;
  readonly real_transform: Transform;
  readonly imag_transform: Transform;
  readonly bandlimit: number | null;
  readonly is_real: boolean;
  /** The `init_args` for `@statespace/hippo`'s `combination` (B_clip as its `bClip`). */
  readonly initArgs: SsmOptions;
  /** Optimiser settings of each group. */
  readonly optim: Readonly<Record<'dt' | 'A' | 'B' | 'C', OptimSettings>>;
}

const DEFAULT_LR: SsmOptimGroups = { dt: 0.001, A: 0.001, B: 0.001 };

/**
 * Validates kernel options and fills in the defaults.
 * @throws RangeError for an unknown option or mode (listing the accepted ones), bad sizes,
 *   n_ssm not dividing H, an odd complex d_state, a disc other than bilinear for S4, or
 *   `is_real` with S4.
 */
export function parseSsmKernelOptions(options: SsmKernelOptions): SsmKernelConfig {
  assertKnownOptions('SSM kernel options', options, SSM_KERNEL_OPTIONS);
  const mode = options.mode ?? 'dplr';
  assertOneOf('mode', mode, SSM_KERNEL_MODES);
  const kind = mode === 'diag' || mode === 's4d' ? 'diag' : 'dplr';
  const H = integerOption('d_model', options.d_model, Number.NaN);
  const d_state = integerOption('d_state', options.d_state, 64);
  const is_real = booleanOption('is_real', options.is_real, false);
  if (is_real && kind === 'dplr') {
    throw new RangeError("is_real needs the diagonal kernel (mode 'diag'): S4's low-rank term is complex");
  }
  if (!is_real && d_state % 2 !== 0) {
    throw new RangeError(
      `d_state must be even: a complex SSM stores d_state/2 conjugate pairs; got ${d_state}`,
    );
  }
  const channels = integerOption('channels', options.channels, 1);
  const l_max = options.l_max == null ? null : integerOption('l_max', options.l_max, Number.NaN);
  const rank = integerOption('rank', options.rank, 1);
  const n_ssm = options.n_ssm == null ? H : integerOption('n_ssm', options.n_ssm, Number.NaN);
  if (H % n_ssm !== 0) throw new RangeError(`n_ssm (${n_ssm}) must divide d_model (${H})`);
  const disc = options.disc ?? (kind === 'diag' ? 'zoh' : 'bilinear');
  assertOneOf('disc', disc, SSM_DISCS);
  if (kind === 'dplr' && disc !== 'bilinear') {
    throw new RangeError(
      `disc must be 'bilinear' for the S4 (DPLR) kernel, the only one it has; got '${disc}'`,
    );
  }
  const transform = (name: string, value: unknown, fallback: Transform): Transform => {
    const t = value ?? fallback;
    assertOneOf(name, t, TRANSFORMS);
    return t;
  };
  const dt_min = numberOption('dt_min', options.dt_min, 0.001, Number.MIN_VALUE);
  const dt_max = numberOption('dt_max', options.dt_max, 0.1, Number.MIN_VALUE);
  const init = options.init ?? 'legs';
  if (!(typeof init === 'string' || (Array.isArray(init) && init.every((i) => typeof i === 'string')))) {
    throw new TypeError(`init must be a string or a list of strings; got ${String(init)}`);
  }
  const initArgs: Record<string, unknown> = {};
  for (const key of INIT_ARGS) {
    if (options[key] !== undefined) initArgs[key === 'B_clip' ? 'bClip' : key] = options[key];
  }
  return {
    kind,
    H,
    d_state,
    N2: is_real ? d_state : d_state / 2,
    channels,
    l_max,
    rank,
    n_ssm,
    init,
    disc,
    deterministic: booleanOption('deterministic', options.deterministic, false),
    dt_min,
    dt_max,
    dt_tie: booleanOption('dt_tie', options.dt_tie, true),
    dt_transform: transform('dt_transform', options.dt_transform, 'exp'),
    dt_fast: booleanOption('dt_fast', options.dt_fast, false),
    real_transform: transform('real_transform', options.real_transform, 'exp'),
    imag_transform: transform('imag_transform', options.imag_transform, 'none'),
    bandlimit: options.bandlimit == null ? null : numberOption('bandlimit', options.bandlimit, 0, 0),
    is_real,
    initArgs: initArgs as SsmOptions,
    optim: optimGroups(
      options.lr === undefined ? DEFAULT_LR : options.lr,
      options.wd === undefined ? 0 : options.wd,
    ),
  };
}

/** The official `lr_dict` / `wd_dict` logic; C never takes a special weight decay. */
function optimGroups(
  lr: number | null | SsmOptimGroups,
  wd: number | null | SsmOptimGroups,
): Record<'dt' | 'A' | 'B' | 'C', OptimSettings> {
  const pick = (name: string, value: number | null | SsmOptimGroups, key: keyof SsmOptimGroups) => {
    const v = value !== null && typeof value === 'object' ? value[key] : value;
    if (v === null || v === undefined) return undefined;
    return numberOption(`${name}${typeof value === 'object' ? `.${key}` : ''}`, v, 0, 0);
  };
  for (const [name, value] of [
    ['lr', lr],
    ['wd', wd],
  ] as const) {
    if (value !== null && typeof value === 'object') {
      assertKnownOptions(name, value, ['dt', 'A', 'B', 'C']);
    } else if (value !== null && typeof value !== 'number') {
      throw new TypeError(`${name} must be a number, null or an object {dt, A, B, C}; got ${String(value)}`);
    }
  }
  const group = (key: keyof SsmOptimGroups, withDecay: boolean): OptimSettings => {
    const l = pick('lr', lr, key);
    const w = withDecay ? pick('wd', wd, key) : undefined;
    return { ...(l === undefined ? {} : { lr: l }), ...(w === undefined ? {} : { weightDecay: w }) };
  };
  return { dt: group('dt', true), A: group('A', true), B: group('B', true), C: group('C', false) };
}
