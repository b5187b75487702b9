import { complexTensor, createRng, tensor } from '@statespace/complex';
import { type NplrMeasure, naturalRank, nplr, nplrReconstructionError, transition } from '@statespace/hippo';
import { dplrKernel } from '@statespace/kernels';
import type { Figure } from './plot/figure';

/** What `statespace hippo` shows of a measure: its matrix, the NPLR spectrum and S4 kernels. */
export interface HippoAnalysis {
  readonly measure: NplrMeasure;
  readonly N: number;
  /** The transition matrix A, N×N row-major. */
  readonly A: Float64Array;
  /** The N eigenvalues of the normal part (each kept mode and its conjugate), interleaved (re, im). */
  readonly eigenvalues: Float64Array;
  /** Max-norm relative error of the NPLR form against A. */
  readonly reconstructionError: number;
  /** S4 kernels of one output (C drawn as at layer initialisation) for each step size. */
  readonly kernels: readonly { dt: number; K: Float64Array }[];
}

/**
 * The HiPPO matrix of a measure, the eigenvalues of its normal part (from `nplr`) and the S4
 * convolution kernels (`dplrKernel`: Cauchy sums and the Woodbury correction) of that system for
 * several Δ, with a C drawn from N(0, ½) per real and imaginary part as an S4 layer initialises it.
 */
export function analyseHippo(
  measure: NplrMeasure,
  N: number,
  options: { length: number; dts: readonly number[]; seed: number },
): HippoAnalysis {
  const { A } = transition(measure, N);
  const system = nplr(measure, N, { rank: naturalRank(measure) });
  const N2 = N / 2;
  const eigenvalues = new Float64Array(2 * N);
  for (let m = 0; m < N2; m++) {
    const [re, im] = [system.Lambda[2 * m], system.Lambda[2 * m + 1]];
    eigenvalues.set([re, im, re, -im], 4 * m);
  }
  const H = options.dts.length;
  const rank = system.P.shape[0];
  const rng = createRng(options.seed);
  const C = Float64Array.from({ length: 2 * H * N2 }, () => rng.normal() * Math.SQRT1_2);
  const { K } = dplrKernel({
    Lambda: complexTensor(tile(system.Lambda, 1, H), [H, N2]),
    P: complexTensor(tile(system.P.data, rank, H), [rank, H, N2]),
    B: complexTensor(tile(system.B, 1, H), [H, N2]),
    dt: tensor(Float64Array.from(options.dts), [H]),
    C: complexTensor(C, [1, H, N2]),
    lKernel: options.length,
  });
  const L = options.length;
  return {
    measure,
    N,
    A: A.data,
    eigenvalues,
    reconstructionError: nplrReconstructionError(measure, system),
    kernels: options.dts.map((dt, h) => ({ dt, K: Float64Array.from(K.data.subarray(h * L, (h + 1) * L)) })),
  };
}

/** `[rows, n]` → `[rows, H, n]`: each row repeated for the H step sizes. */
function tile(data: Float64Array, rows: number, H: number): Float64Array {
  const width = data.length / rows;
  const out = new Float64Array(data.length * H);
  for (let r = 0; r < rows; r++) {
    for (let h = 0; h < H; h++) out.set(data.subarray(r * width, (r + 1) * width), (r * H + h) * width);
  }
  return out;
}

/** The heatmap of A, the eigenvalues in the complex plane and the kernels, side by side. */
export function hippoFigure(analysis: HippoAnalysis): Figure {
  const { measure, N, A, eigenvalues, kernels } = analysis;
  const steps = Array.from({ length: kernels[0]?.K.length ?? 0 }, (_, l) => l);
  return {
    title: `HiPPO-${measure}, N = ${N}`,
    columns: 3,
    panels: [
      { title: `A (${N}x${N})`, xLabel: 'row n, column k', heatmap: { rows: N, cols: N, values: A } },
      {
        title: 'eigenvalues of the normal part',
        xLabel: 'Re',
        yLabel: 'Im',
        series: [
          {
            kind: 'points',
            label: 'lambda',
            x: eigenvalues.filter((_, i) => i % 2 === 0),
            y: eigenvalues.filter((_, i) => i % 2 === 1),
          },
        ],
      },
      {
        title: 'S4 kernels K[l]',
        xLabel: 'l',
        yLabel: 'K',
        series: kernels.map(({ dt, K }) => ({ kind: 'line', label: `dt ${dt}`, x: steps, y: K })),
      },
    ],
  };
}
