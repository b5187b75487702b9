import { allocateLike, type RealArray } from '@statespace/complex';
import { childOptions, createContext, inPrecision, type ModuleOptions, normalArray } from './context';
import { Linear } from './linear';
import { Module } from './module';
import { assertKnownOptions, booleanOption, numberOption } from './options';
import type { Tape } from './tape';

// The residual connections of the official backbone (src/models/nn/residual.py), combining a
// block's input x with its layer's output y position-wise.

/** The residual names of the official registry (and their aliases). */
export const RESIDUALS = [
  'R',
  'residual',
  'F',
  'N',
  'ff',
  'feedforward',
  'none',
  'H',
  'highway',
  'D',
  'decay',
  'A',
  'affine',
] as const;

/** One of {@link RESIDUALS}. */
export type ResidualName = (typeof RESIDUALS)[number];

/** A residual by name, or with its options (official `residual: {_name_: …, …}`). */
export type ResidualOptions =
  | ResidualName
  | {
      _name_: ResidualName;
      /** Weight of x (`R`, `A`; default 1). */
      alpha?: number;
      /** Weight of y (`R`; initial scale of `A`) (default 1). */
      beta?: number;
      /** `D`: y weighs i_layer^(−power) (default 0.5). */
      power?: number;
      /** `D`: x weighs √(1 − β²) (default true) rather than 1 − β. */
      l2?: boolean;
      /** `A`: one learnable scale (default true) or one per feature. */
      scalar?: boolean;
      /** `A`: initial scale β·i_layer^(−gamma) (default 0). */
      gamma?: number;
      /** `H`: multiply (1 − r)·x by 1.732 (default false). */
      scaling_correction?: boolean;
      /** `H`: a per-feature scale of y instead of a linear map (default false). */
      elemwise?: boolean;
    };

const RESIDUAL_OPTIONS = [
  '_name_',
  'alpha',
  'beta',
  'power',
  'l2',
  'scalar',
  'gamma',
  'scaling_correction',
  'elemwise',
];

/**
 * A residual connection out = f(x, y) on [rows, d] rows (official `Residual` and subclasses):
 *
 * - `R`/`residual`: α·x + β·y;
 * - `F`/`N`/`ff`/`feedforward`/`none`: y;
 * - `D`/`decay`: α·x + β·y with β = i_layer^(−power) and α = √(1 − β²) (or 1 − β);
 * - `A`/`affine`: α·x + c·y with a learnable c (`affine`, initially β·i_layer^(−gamma));
 * - `H`/`highway`: r = σ(Wx·x + Wy(y)), out = s·(1 − r)·x + r·Wy(y) (`Wx`, `Wy` linear maps, or `Wy`
 *   a per-feature scale with `elemwise`), as the official code (which gates the transformed y).
 */
export class Residual extends Module {
  readonly name: ResidualName;
  readonly #alpha: number;
  readonly #beta: number;
  readonly #affine: RealArray | undefined;
  readonly #Wx: Linear | undefined;
  readonly #Wy: Linear | RealArray | undefined;
  readonly #scaling: number;
  readonly #d: number;

  /**
   * @param iLayer - The block's position from 1 (decay and affine use it).
   * @throws RangeError for an unknown name or option, or mismatched widths with a weight on x.
   */
  constructor(
    residual: ResidualOptions,
    iLayer: number,
    dInput: number,
    dOutput: number,
    options: ModuleOptions,
  ) {
    super();
    const spec = typeof residual === 'string' ? { _name_: residual } : residual;
    assertKnownOptions('residual', spec, RESIDUAL_OPTIONS);
    if (!(RESIDUALS as readonly string[]).includes(spec._name_)) {
      throw new RangeError(
        `residual must be null or one of ${RESIDUALS.map((r) => `'${r}'`).join(', ')}; got '${String(spec._name_)}'`,
      );
    }
    const context = createContext(options);
    this.name = spec._name_;
    this.#d = dInput;
    const kind = kindOf(this.name);
    let alpha = numberOption('residual alpha', spec.alpha, 1);
    let beta = numberOption('residual beta', spec.beta, 1);
    if (kind === 'feedforward') {
      alpha = 0;
      beta = 1;
    } else if (kind === 'decay') {
      beta = iLayer ** -numberOption('residual power', spec.power, 0.5);
      alpha = booleanOption('residual l2', spec.l2, true) ? Math.sqrt(1 - beta * beta) : 1 - beta;
    }
    if (alpha !== 0 && dInput !== dOutput) {
      throw new RangeError(
        `residual '${this.name}' adds the input (${dInput} features) to the layer output (${dOutput}): they must match`,
      );
    }
    this.#alpha = alpha;
    this.#beta = beta;
    this.#scaling = 1;
    if (kind === 'affine') {
      const c = beta * iLayer ** -numberOption('residual gamma', spec.gamma, 0);
      const size = booleanOption('residual scalar', spec.scalar, true) ? 1 : dInput;
      this.#affine = this.registerParameter('affine', inPrecision(context, new Float64Array(size).fill(c)), [
        size,
      ]).data;
    } else if (kind === 'highway') {
      this.#scaling = booleanOption('residual scaling_correction', spec.scaling_correction, false)
        ? 1.732
        : 1;
      this.#Wx = this.registerModule(
        'Wx',
        new Linear({ d_input: dInput, d_output: dInput, ...childOptions(context) }),
      );
      if (booleanOption('residual elemwise', spec.elemwise, false)) {
        this.#Wy = this.registerParameter('Wy', normalArray(context, dInput), [dInput]).data;
      } else {
        this.#Wy = this.registerModule(
          'Wy',
          new Linear({ d_input: dInput, d_output: dInput, ...childOptions(context) }),
        );
      }
    }
  }

  /**
   * The combination of inputs x and layer outputs y, both [rows, d]; returns a new array. With a
   * `tape`, records it for the gradients of x, y and the residual's own parameters.
   */
  forwardRows(x: RealArray, y: RealArray, rows: number, tape?: Tape): RealArray {
    const out = allocateLike(y, y.length);
    if (this.#Wx) {
      const d = this.#d;
      const s = this.#scaling;
      const wx = this.#Wx.forwardRows(x, rows, tape);
      const Wy = this.#Wy as Linear | RealArray;
      let wy: RealArray;
      if (Wy instanceof Linear) wy = Wy.forwardRows(y, rows, tape);
      else {
        wy = y.map((v, i) => v * Wy[i % d]);
        tape?.record('highway Wy', [y, Wy], wy, (g) => {
          const gW = new Float64Array(d);
          for (let i = 0; i < g.length; i++) gW[i % d] += g[i] * y[i];
          return [g.map((v, i) => v * Wy[i % d]), gW];
        });
      }
      const r = wx.map((v, i) => 1 / (1 + Math.exp(-(v + wy[i]))));
      for (let i = 0; i < out.length; i++) out[i] = s * (1 - r[i]) * x[i] + r[i] * wy[i];
      // out = s(1 − r)·x + r·wy with r = σ(wx + wy)
      tape?.record('highway', [x, wx, wy], out, (g) => {
        const gz = g.map((v, i) => v * (wy[i] - s * x[i]) * r[i] * (1 - r[i]));
        return [g.map((v, i) => v * s * (1 - r[i])), gz, gz.map((v, i) => v + g[i] * r[i])];
      });
      return out;
    }
    const affine = this.#affine;
    const alpha = this.#alpha;
    const d = y.length / rows;
    // y's scale for each feature: β, or the learnable one (shared, or one per feature).
    const scale = new Float64Array(d).fill(this.#beta);
    if (affine) for (let f = 0; f < d; f++) scale[f] = affine[f % affine.length];
    for (let r = 0; r < rows; r++) {
      for (let f = 0, i = r * d; f < d; f++, i++) out[i] = (alpha === 0 ? 0 : alpha * x[i]) + scale[f] * y[i];
    }
    tape?.record(`residual ${this.name}`, [x, y, affine], out, (g) => {
      let gAffine: Float64Array | undefined;
      if (affine) {
        gAffine = new Float64Array(affine.length);
        for (let i = 0; i < g.length; i++) gAffine[i % affine.length] += g[i] * y[i];
      }
      // x gets no gradient without a weight (it may not even have y's width then).
      const gx = alpha === 0 ? undefined : scaled(g, alpha);
      return [gx, scale.every((c) => c === 1) ? g : scaledFeatures(g, scale), gAffine];
    });
    return out;
  }
}

/** c·g (g itself when c = 1: the tape copies a gradient passed through). */
function scaled(g: Float64Array, c: number): Float64Array {
  if (c === 1) return g;
  const out = new Float64Array(g.length);
  for (let i = 0; i < g.length; i++) out[i] = c * g[i];
  return out;
}

/** g [rows, d] with each feature f scaled by scale[f]. */
function scaledFeatures(g: Float64Array, scale: Float64Array): Float64Array {
  const d = scale.length;
  const out = new Float64Array(g.length);
  for (let i = 0; i < g.length; i += d) for (let f = 0; f < d; f++) out[i + f] = scale[f] * g[i + f];
  return out;
}

function kindOf(name: ResidualName): 'residual' | 'feedforward' | 'highway' | 'decay' | 'affine' {
  switch (name) {
    case 'R':
    case 'residual':
      return 'residual';
    case 'H':
    case 'highway':
      return 'highway';
    case 'D':
    case 'decay':
      return 'decay';
    case 'A':
    case 'affine':
      return 'affine';
    default:
      return 'feedforward';
  }
}
