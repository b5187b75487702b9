import type { RealArray } from '@statespace/complex';
import { createContext, type ModuleOptions, normalArray, zeros } from './context';
import { Module } from './module';
import { integerOption } from './options';
import type { Tape } from './tape';

/** Options of {@link Embedding}. */
export interface EmbeddingOptions extends ModuleOptions {
  /** Number of tokens. */
  n_tokens: number;
  /** Features of each embedding. */
  d_model: number;
}

/** torch `nn.Embedding(n_tokens, d_model)`: a table `weight` [n_tokens, d_model] drawn from N(0, 1). */
export class Embedding extends Module {
  readonly n_tokens: number;
  readonly d_output: number;
  readonly #table: RealArray;

  constructor(options: EmbeddingOptions) {
    super();
    const context = createContext(options);
    this.n_tokens = integerOption('n_tokens', options.n_tokens, Number.NaN);
    this.d_output = integerOption('d_model', options.d_model, Number.NaN);
    this.#table = this.registerParameter('weight', normalArray(context, this.n_tokens * this.d_output), [
      this.n_tokens,
      this.d_output,
    ]).data;
  }

  /**
   * The embeddings of `rows` tokens, [rows, d_model] in the table's precision; with a `tape`,
   * recorded for the gradient of the table (each token's row gets the sum of its rows' gradients).
   * @throws RangeError for a token that is not an integer in [0, n_tokens).
   */
  forwardRows(tokens: ArrayLike<number>, rows: number, tape?: Tape): RealArray {
    if (tokens.length !== rows) throw new RangeError(`tokens must hold ${rows} values; got ${tokens.length}`);
    const d = this.d_output;
    const out = zeros(this.#table instanceof Float64Array ? 'float64' : 'float32', rows * d);
    for (let r = 0; r < rows; r++) {
      const t = tokens[r];
      if (!Number.isInteger(t) || t < 0 || t >= this.n_tokens) {
        throw new RangeError(`tokens must be integers in [0, ${this.n_tokens}); found ${t} at index ${r}`);
      }
      out.set(this.#table.subarray(t * d, (t + 1) * d), r * d);
    }
    tape?.record('Embedding', [this.#table], out, (g) => {
      const gTable = new Float64Array(this.#table.length);
      for (let r = 0; r < rows; r++) for (let i = 0; i < d; i++) gTable[tokens[r] * d + i] += g[r * d + i];
      return [gTable];
    });
    return out;
  }
}
