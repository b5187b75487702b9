import { allocateLike, type RealArray } from '@statespace/complex';
import { childOptions, createContext, type ModuleOptions } from './context';
import { restrictVjp } from './decoder-vjp';
import { Linear } from './linear';
import { Module } from './module';
import { assertKnownOptions, booleanOption, integerOption } from './options';
import type { Tape } from './tape';

// The official `SequenceDecoder` (src/tasks/decoders.py): restrict a [batch, length, d] sequence to
// `l_output` positions (the last, the first, prefix means or prefix sums), per example up to its
// length when asked, then an optional linear map.

/** The restriction modes; `mean` is an alias of the official `pool` (prefix means). */
export const DECODER_MODES = ['last', 'first', 'pool', 'mean', 'sum'] as const;

/** One of {@link DECODER_MODES}. */
export type DecoderMode = (typeof DECODER_MODES)[number];

/** Options of {@link SequenceDecoder} (official names). */
export interface SequenceDecoderOptions {
  /** Output features: a linear map d_model → d_output (default null: none). */
  d_output?: number | null;
  /** Positions kept: null (default) all, 0 one position with that axis removed (classification), k > 0 the k positions. */
  l_output?: number | null;
  /** Restrict each example to its own length (needs `lengths` at forward and a fixed `l_output`) (default false). */
  use_lengths?: boolean;
  /** `last` (default), `first`, `pool`/`mean` (mean of each prefix), `sum` (sum of each prefix). */
  mode?: DecoderMode;
}

const DECODER_OPTIONS = ['d_output', 'l_output', 'use_lengths', 'mode'];

/**
 * Restricts sequences to `l_output` positions and maps them (official `SequenceDecoder`): for a
 * sequence x_0 … x_{L−1} (L the example's length with `use_lengths`), position j of the output
 * is, with s = L − l_output + j: `last` x_s, `first` x_j, `pool` mean(x_0 … x_s), `sum`
 * Σ(x_0 … x_s). Tensors: `output_transform.weight/bias` when there is a linear map.
 */
export class SequenceDecoder extends Module {
  readonly d_model: number;
  readonly d_output: number;
  readonly mode: DecoderMode;
  readonly l_output: number | null;
  readonly use_lengths: boolean;
  readonly output_transform: Linear | undefined;

  /** @throws RangeError for an unknown option or mode, or `use_lengths` without a fixed `l_output`. */
  constructor(d_model: number, options: SequenceDecoderOptions, moduleOptions: ModuleOptions) {
    super();
    assertKnownOptions('decoder', options, DECODER_OPTIONS);
    const context = createContext(moduleOptions);
    this.d_model = d_model;
    const mode = options.mode ?? 'last';
    if (!(DECODER_MODES as readonly string[]).includes(mode)) {
      throw new RangeError(
        `decoder mode must be one of ${DECODER_MODES.map((m) => `'${m}'`).join(', ')}; got '${mode}'`,
      );
    }
    this.mode = mode;
    this.l_output =
      options.l_output == null ? null : integerOption('decoder l_output', options.l_output, 0, 0);
    this.use_lengths = booleanOption('decoder use_lengths', options.use_lengths, false);
    if (this.use_lengths && this.l_output === null) {
      throw new RangeError('decoder use_lengths needs a fixed l_output (0 for one output per example)');
    }
    this.output_transform =
      options.d_output == null
        ? undefined
        : this.registerModule(
            'output_transform',
            new Linear({
              d_input: d_model,
              d_output: integerOption('decoder d_output', options.d_output, 1),
              ...childOptions(context),
            }),
          );
    this.d_output = this.output_transform?.d_output ?? d_model;
  }

  /**
   * Decodes x [batch, length, d_model]: returns [batch, l_output, d_output], or [batch, d_output]
   * when `l_output` is 0.
   * @param lengths - One length per example (required with `use_lengths`, ignored otherwise).
   * @param tape - Records the decoder, for the gradients of x and `output_transform`.
   * @throws RangeError when a sequence is shorter than l_output, or lengths are missing.
   */
  forward(
    x: RealArray,
    batch: number,
    length: number,
    lengths?: readonly number[],
    tape?: Tape,
  ): { data: RealArray; shape: number[] } {
    if (this.use_lengths && lengths === undefined)
      throw new RangeError('decoder use_lengths needs lengths at forward');
    const d = this.d_model;
    const keep = this.l_output === null ? length : Math.max(this.l_output, 1);
    const out = allocateLike(x, batch * keep * d);
    for (let b = 0; b < batch; b++) {
      const L = this.use_lengths ? (lengths as readonly number[])[b] : length;
      if (L < keep)
        throw new RangeError(
          `decoder l_output = ${keep} needs sequences of at least that length; example ${b} has ${L}`,
        );
      this.#restrict(x, b * length * d, L, keep, out, b * keep * d);
    }
    tape?.record('decoder', [x], out, (g) => {
      const gx = new Float64Array(x.length);
      for (let b = 0; b < batch; b++) {
        const L = this.use_lengths ? (lengths as readonly number[])[b] : length;
        restrictVjp(this.mode, d, g, b * keep * d, L, keep, gx, b * length * d);
      }
      return [gx];
    });
    const rows = batch * keep;
    const y = this.output_transform ? this.output_transform.forwardRows(out, rows, tape) : out;
    const shape = this.l_output === 0 ? [batch, this.d_output] : [batch, keep, this.d_output];
    return { data: y, shape };
  }

  /** One position of each example, [batch, d_model] → [batch, d_output] (official `step`: the map only). */
  step(x: RealArray, batch: number): RealArray {
    return this.output_transform ? this.output_transform.forwardRows(x, batch) : x;
  }

  /** Writes the `keep` restricted positions of one example (L valid positions at `from`) at `to`. */
  #restrict(x: RealArray, from: number, L: number, keep: number, out: RealArray, to: number): void {
    const d = this.d_model;
    const first = this.mode === 'first' ? 0 : L - keep;
    if (this.mode === 'last' || this.mode === 'first') {
      out.set(x.subarray(from + first * d, from + (first + keep) * d), to);
      return;
    }
    const sum = new Float64Array(d);
    for (let t = 0; t < L; t++) {
      for (let i = 0; i < d; i++) sum[i] += x[from + t * d + i];
      if (t < first) continue;
      const scale = this.mode === 'sum' ? 1 : 1 / (t + 1);
      for (let i = 0; i < d; i++) out[to + (t - first) * d + i] = sum[i] * scale;
    }
  }
}
