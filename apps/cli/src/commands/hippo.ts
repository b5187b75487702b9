import { join } from 'node:path';
import { RANK_CORRECTION_MEASURES } from '@statespace/hippo';
import { defineCommand } from '../cli/command';
import { UsageError } from '../cli/errors';
import { choiceFlag, integerFlag } from '../cli/flag-values';
import { analyseHippo, type HippoAnalysis, hippoFigure } from '../hippo-analysis';
import { writeFigure } from '../plot/write-figure';

/** Matrices up to this size are printed in full. */
const PRINT_MAX_N = 8;

export const hippoCommand = defineCommand({
  name: 'hippo',
  summary: 'HiPPO matrices, their eigenvalues and S4 kernels, printed and plotted',
  description: [
    'Builds the HiPPO transition matrix A of a measure, its normal plus low-rank (NPLR) form, and the S4',
    'convolution kernels of that system for a few step sizes Δ (Cauchy sums with the Woodbury correction,',
    'one output with C drawn as an S4 layer initialises it). Prints A (N ≤ 8) or a summary, the eigenvalues',
    'of the normal part and the reconstruction error, and writes OUT/hippo.svg and OUT/hippo.png: a heatmap',
    'of A, the eigenvalues in the complex plane, and the kernels.',
  ].join('\n'),
  flags: {
    measure: {
      type: 'string',
      value: RANK_CORRECTION_MEASURES.join('|'),
      description: 'the HiPPO measure',
      default: 'legs',
    },
    N: { type: 'string', short: 'N', value: 'N', description: 'state size (even, 2–1024)', default: '64' },
    length: { type: 'string', value: 'L', description: 'kernel length', default: '1024' },
    dt: {
      type: 'string',
      value: 'LIST',
      description: 'step sizes Δ, comma-separated',
      default: '0.001,0.01,0.1',
    },
    seed: { type: 'string', value: 'N', description: 'seed of the output vector C', default: '0' },
    out: {
      type: 'string',
      value: 'DIR',
      description: 'folder for the plots',
      default: 'runs/hippo-<measure>-<N>',
    },
  },
  examples: [
    'statespace hippo',
    'statespace hippo --measure legt --N 16 --out plots',
    'statespace hippo --N 4 --json',
  ],
  async run(flags, output) {
    const measure = choiceFlag('measure', flags.measure, RANK_CORRECTION_MEASURES, 'legs');
    const N = integerFlag('N', flags.N, 64, { min: 2, max: 1024 });
    if (N % 2 !== 0)
      throw new UsageError(`--N must be even (the NPLR form keeps N/2 conjugate pairs); got ${N}`);
    const length = integerFlag('length', flags.length, 1024, { min: 2, max: 1 << 20 });
    const seed = integerFlag('seed', flags.seed, 0);
    const dts = (flags.dt ?? '0.001,0.01,0.1').split(',').map((text) => {
      const dt = Number(text);
      if (text.trim() === '' || !(dt > 0) || !Number.isFinite(dt)) {
        throw new UsageError(`--dt must be positive numbers separated by commas; got '${flags.dt}'`);
      }
      return dt;
    });
    const out = flags.out ?? join('runs', `hippo-${measure}-${N}`);

    const analysis = analyseHippo(measure, N, { length, dts, seed });
    const files = await writeFigure(hippoFigure(analysis), join(out, 'hippo'));
    if (output.json) {
      output.record('hippo', {
        measure,
        N,
        A: N <= 16 ? Array.from(analysis.A) : undefined,
        eigenvalues: pairs(analysis.eigenvalues),
        reconstructionError: analysis.reconstructionError,
        kernels: analysis.kernels.map(({ dt, K }) => ({ dt, K: Array.from(K) })),
        files,
      });
    } else {
      output.text(describe(analysis).join('\n'));
      output.text(`wrote ${files.join(', ')}`);
    }
    return 0;
  },
});

function describe(analysis: HippoAnalysis): string[] {
  const { measure, N, A, eigenvalues, reconstructionError, kernels } = analysis;
  const lines = [`HiPPO-${measure}, N = ${N}`];
  if (N <= PRINT_MAX_N) {
    lines.push('A =');
    for (let r = 0; r < N; r++) {
      lines.push(
        `  ${Array.from(A.subarray(r * N, (r + 1) * N), (v) => v.toFixed(3).padStart(9)).join(' ')}`,
      );
    }
  } else {
    const min = A.reduce((m, v) => Math.min(m, v), Number.POSITIVE_INFINITY);
    const max = A.reduce((m, v) => Math.max(m, v), Number.NEGATIVE_INFINITY);
    const upper = A.reduce((n, v, i) => n + (v !== 0 && i % N > Math.floor(i / N) ? 1 : 0), 0);
    lines.push(
      `A: ${N}×${N}, entries in [${g(min)}, ${g(max)}], ${upper} non-zero entries above the diagonal`,
    );
  }
  const values = pairs(eigenvalues).sort((a, b) => Math.abs(a[1]) - Math.abs(b[1]));
  const re = values.map((v) => v[0]);
  const im = values.map((v) => Math.abs(v[1]));
  lines.push(
    `eigenvalues of the normal part (${N / 2} conjugate pairs): Re from ${g(Math.min(...re))} to ${g(Math.max(...re))},` +
      ` |Im| from ${g(Math.min(...im))} to ${g(Math.max(...im))}`,
  );
  const shown = values.filter((_, i) => i % 2 === 0);
  const list = (v: number[][]) => v.map(([a, b]) => `${g(a)} ± ${g(Math.abs(b))}i`).join(', ');
  lines.push(
    shown.length <= 8 ? `  ${list(shown)}` : `  ${list(shown.slice(0, 4))}, …, ${list(shown.slice(-2))}`,
  );
  lines.push(`NPLR reconstruction error: ${reconstructionError.toExponential(1)} (max-norm, relative to A)`);
  lines.push(`S4 kernels, L = ${kernels[0].K.length}, one output with C ~ N(0, ½) per part:`);
  for (const { dt, K } of kernels) {
    const peak = K.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    lines.push(`  Δ = ${dt}: max |K| = ${g(peak)}, K[0..3] = ${Array.from(K.subarray(0, 4), g).join(', ')}`);
  }
  return lines;
}

/** Interleaved complex values as [re, im] pairs. */
function pairs(values: Float64Array): number[][] {
  return Array.from({ length: values.length / 2 }, (_, i) => [values[2 * i], values[2 * i + 1]]);
}

/** Four significant digits. */
function g(v: number): string {
  return String(Number(v.toPrecision(4)));
}
