/**
 * The fields each golden file's cases may carry, as fixtures/golden/README.md documents them (plus
 * `name` and `init`, descriptive metadata the kernel cases carry). Conformance tests check every
 * case against these lists, so a field they do not understand fails the case instead of being
 * skipped.
 */
export const GOLDEN_FIELDS = {
  'measures.json': ['measure', 'N', 'A', 'B', 'P'],
  'hippo.json': ['measure', 'N', 'rank', 'A', 'B', 'P', 'Lambda', 'absB2', 'PconjB', 'absP2'],
  'kernels.json': [
    'name',
    'init',
    'kind',
    'disc',
    'H',
    'N',
    'L',
    'rank',
    'Lambda',
    'P',
    'B',
    'C',
    'log_dt',
    'K',
    'dA',
    'dB',
    'u',
    'y_step',
    'K_krylov',
    'state0',
    'K_state',
    'next_state',
  ],
  'fftconv.json': ['name', 'B', 'H', 'L', 'u', 'k', 'D', 'y'],
} as const satisfies Record<string, readonly string[]>;
