import { allocateLike, type RealArray } from '@statespace/complex';
import { createContext, type ModuleOptions, uniformArray } from './context';
import { linearVjp } from './linear-vjp';
import { Module, type Parameter } from './module';
import { assertKnownOptions, booleanOption, integerOption } from './options';
import type { Tape } from './tape';

/** Options of {@link Linear}. */
export interface LinearOptions extends ModuleOptions {
  d_input: number;
  d_output: number;
  /** Whether there is a bias (default true). */
  bias?: boolean;
}

const LINEAR_OPTIONS = ['d_input', 'd_output', 'bias', 'dtype', 'backend', 'seed'];

/**
 * A position-wise linear map y = x·Wᵀ + b over the last axis (torch `nn.Linear`: `weight`
 * [d_output, d_input], `bias` [d_output], both initialised U(−1/√d_input, 1/√d_input)).
 */
export class Linear extends Module {
  readonly d_input: number;
  readonly d_output: number;
  readonly weight: Parameter;
  readonly bias: Parameter | undefined;

  constructor(options: LinearOptions) {
    super();
    assertKnownOptions('Linear options', options, LINEAR_OPTIONS);
    const context = createContext(options);
    this.d_input = integerOption('d_input', options.d_input, Number.NaN);
    this.d_output = integerOption('d_output', options.d_output, Number.NaN);
    const bound = 1 / Math.sqrt(this.d_input);
    const uniform = (length: number) => uniformArray(context, length, bound);
    this.weight = this.registerParameter('weight', uniform(this.d_output * this.d_input), [
      this.d_output,
      this.d_input,
    ]);
    this.bias = booleanOption('bias', options.bias, true)
      ? this.registerParameter('bias', uniform(this.d_output), [this.d_output])
      : undefined;
  }

  /**
   * Applies the map to `rows` rows of d_input values (row-major [rows, d_input]); returns a new
   * [rows, d_output] array of x's precision. Sums accumulate in float64. With a `tape`, the map is
   * recorded for the gradients of x, `weight` and `bias` (see {@link linearVjp}).
   */
  forwardRows(x: RealArray, rows: number, tape?: Tape): RealArray {
    const { d_input: n, d_output: m } = this;
    if (x.length !== rows * n) {
      throw new RangeError(`Linear input must hold rows × d_input = ${rows} × ${n} values; got ${x.length}`);
    }
    const w = this.weight.data;
    const b = this.bias?.data;
    const y = allocateLike(x, rows * m);
    // Two rows and two outputs per pass: each loaded input and weight is used twice.
    let r = 0;
    for (; r + 1 < rows; r += 2) {
      const x0 = r * n;
      const x1 = x0 + n;
      let o = 0;
      for (; o + 1 < m; o += 2) {
        const w0 = o * n;
        const w1 = w0 + n;
        let s00 = 0;
        let s01 = 0;
        let s10 = 0;
        let s11 = 0;
        for (let i = 0; i < n; i++) {
          const a0 = x[x0 + i];
          const a1 = x[x1 + i];
          const c0 = w[w0 + i];
          const c1 = w[w1 + i];
          s00 += a0 * c0;
          s01 += a0 * c1;
          s10 += a1 * c0;
          s11 += a1 * c1;
        }
        const b0 = b ? b[o] : 0;
        const b1 = b ? b[o + 1] : 0;
        y[r * m + o] = s00 + b0;
        y[r * m + o + 1] = s01 + b1;
        y[(r + 1) * m + o] = s10 + b0;
        y[(r + 1) * m + o + 1] = s11 + b1;
      }
      if (o < m) {
        y[r * m + o] = dot(x, x0, w, o * n, n) + (b ? b[o] : 0);
        y[(r + 1) * m + o] = dot(x, x1, w, o * n, n) + (b ? b[o] : 0);
      }
    }
    if (r < rows) {
      for (let o = 0; o < m; o++) y[r * m + o] = dot(x, r * n, w, o * n, n) + (b ? b[o] : 0);
    }
    tape?.record('Linear', [x, w, b], y, (g) => {
      const grads = linearVjp(x, w, rows, n, m, g);
      return [grads.x, grads.weight, grads.bias];
    });
    return y;
  }
}

function dot(a: RealArray, ai: number, b: RealArray, bi: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[ai + i] * b[bi + i];
  return s;
}
