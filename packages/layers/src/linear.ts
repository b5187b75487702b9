import { allocateLike, type RealArray } from '@statespace/complex';
import { createContext, type ModuleOptions, uniformArray } from './context';
import { linearVjp } from './linear-vjp';
import { addMatrixProduct, rowMajor, transposed } from './matmul';
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
   * [rows, d_output] array of x's precision. Sums accumulate in float64 (see `addMatrixProduct`).
   * With a `tape`, the map is recorded for the gradients of x, `weight` and `bias` (see
   * {@link linearVjp}).
   */
  forwardRows(x: RealArray, rows: number, tape?: Tape): RealArray {
    const { d_input: n, d_output: m } = this;
    if (x.length !== rows * n) {
      throw new RangeError(`Linear input must hold rows × d_input = ${rows} × ${n} values; got ${x.length}`);
    }
    const w = this.weight.data;
    const b = this.bias?.data;
    const y = allocateLike(x, rows * m);
    if (b) for (let r = 0; r < rows; r++) y.set(b, r * m);
    addMatrixProduct(y, rows, m, n, rowMajor(x, n), transposed(w, n));
    tape?.record('Linear', [x, w, b], y, (g) => {
      const grads = linearVjp(x, w, rows, n, m, g);
      return [grads.x, grads.weight, grads.bias];
    });
    return y;
  }
}
