import type { RealArray } from '@statespace/complex';
import type { Module } from './module';

/**
 * The backward rule of one recorded operation: given ∂ℓ/∂output (float64, the output's length),
 * returns ∂ℓ/∂input for each of the operation's inputs, in their order (undefined for an input
 * that was undefined or gets no gradient). The tape keeps a returned Float64Array as that input's
 * gradient and adds later gradients into it, so return new arrays (or views of them), never
 * memory that is written again afterwards; `gradOutput` itself may be returned (it is copied).
 */
export type Pullback = (gradOutput: Float64Array) => PullbackResult | Promise<PullbackResult>;

/** The gradients a {@link Pullback} returns, one per input (undefined where there is none). */
export type PullbackResult = readonly (ArrayLike<number> | undefined)[];

interface Operation {
  readonly name: string;
  readonly inputs: readonly (RealArray | undefined)[];
  readonly output: RealArray;
  readonly pullback: Pullback;
}

/**
 * A reverse-mode tape: the operations of one forward pass, each with its inputs, its output and
 * its {@link Pullback}, recorded in the order they ran. Arrays are the variables — an operation's
 * inputs and output are identified by the typed arrays themselves (a parameter by its `data`),
 * so recorded operations must write their output into a new array, never in place.
 * {@link backward} runs the pullbacks in reverse order and accumulates (in float64) the gradient
 * of every array that the output depends on; a parameter or input used twice gets the sum.
 *
 * One tape serves one forward and one backward pass (a fresh tape is PyTorch's `zero_grad()`).
 *
 * Modules record when their `forward` is given `{ tape }` (see `S4Block.forward`). Parameters
 * must not change between a forward pass and its backward pass: the pullbacks read them.
 *
 * @example
 * Gradients of a block, then of a new SSM variant. A module becomes differentiable by recording
 * each step of its forward with the VJP of that step, composed from its primitives' VJPs — here a
 * kernel K(θ) of a stored parameter θ through discretize's and kernels' VJPs, as `SSMKernel` does
 * with `diagKernelVjp` and `ssmKernelParamsVjp`; the convolution and everything after it are
 * FFTConv's and S4Block's recordings.
 * ```ts
 * const tape = new Tape();                          // a fresh tape per step: PyTorch's zero_grad()
 * const { y } = await block.forward(x, { tape });
 * await tape.backward(y.data, dLossDy);
 * tape.gradients(block);                            // Map 'layer.kernel.A_real' → ∂ℓ/∂A_real, …
 * tape.grad(x.data);                                // ∂ℓ/∂x
 *
 * // In the new kernel module's forward(options):
 * const { coefficients, exponent } = diagonalKernelCoefficients(Lambda(θ), B, C, dt, 'zoh', { L });
 * const K = vandermonde(coefficients, exponent, L).data;         // a new array
 * options.tape?.record('MyKernel', [this.theta.data], K, (gK) => {
 *   const gv = vandermondeVjp(coefficients, exponent, L, tensor(gK, [channels, H, L]));
 *   const g = diagonalKernelCoefficientsVjp(Lambda(θ), B, C, dt, 'zoh', { coefficients: gv.v, exponent: gv.x }, { L });
 *   return [lambdaVjp(this.theta.data, g.Lambda.data)];             // ∂ℓ/∂θ, θ's length
 * });
 * ```
 */
export class Tape {
  readonly #operations: Operation[] = [];
  readonly #outputs = new Set<RealArray>();
  #grads: Map<RealArray, Float64Array> | undefined;
  #started = false;

  /**
   * Records an operation that computed `output` from `inputs` (undefined entries are allowed,
   * e.g. an absent bias). `name` appears in error messages.
   * @throws Error after {@link backward}, or when `output` was recorded before or is one of the
   *   inputs (an in-place operation, which the tape cannot differentiate).
   */
  record(
    name: string,
    inputs: readonly (RealArray | undefined)[],
    output: RealArray,
    pullback: Pullback,
  ): void {
    if (this.#started) {
      throw new Error(`cannot record '${name}': this tape was already backpropagated; use a new Tape`);
    }
    if (this.#outputs.has(output) || inputs.includes(output)) {
      throw new Error(
        `cannot record '${name}': its output array is already on the tape (in-place operation)`,
      );
    }
    this.#outputs.add(output);
    this.#operations.push({ name, inputs, output, pullback });
  }

  /**
   * Backpropagates ℓ = Σ gradOutput·output from a recorded output: every operation it depends on
   * gets its pullback run, last first (awaiting the pullbacks that run on a backend). Await it
   * before reading gradients.
   * @throws Error when the tape was already backpropagated or `output` was not recorded on it
   *   (the forward ran without this tape); RangeError for a gradient of the wrong length (these
   *   synchronously; a pullback's error rejects the returned promise).
   */
  backward(output: RealArray, gradOutput: ArrayLike<number>): Promise<void> {
    if (this.#started) throw new Error('this tape was already backpropagated; use a new Tape');
    if (!this.#outputs.has(output)) {
      throw new Error(
        'backward needs an output recorded on this tape: run the forward pass with { tape } first',
      );
    }
    if (gradOutput.length !== output.length) {
      throw new RangeError(
        `gradOutput must hold ${output.length} values (the output's); got ${gradOutput.length}`,
      );
    }
    const grads = new Map<RealArray, Float64Array>([[output, float64Copy(gradOutput)]]);
    // The memory of the arrays in `grads`: a pullback's new Float64Array is kept rather than
    // copied, unless it lies there (its gradOutput passed through, or one buffer returned twice).
    const held = new Set<ArrayBufferLike>([...grads.values()].map((g) => g.buffer));
    this.#started = true;
    return this.#propagate(grads, held);
  }

  async #propagate(grads: Map<RealArray, Float64Array>, held: Set<ArrayBufferLike>): Promise<void> {
    for (let i = this.#operations.length - 1; i >= 0; i--) {
      const { name, inputs, output: out, pullback } = this.#operations[i];
      const g = grads.get(out);
      if (g === undefined) continue;
      const inputGrads = await pullback(g);
      inputs.forEach((input, j) => {
        const gi = inputGrads[j];
        if (input === undefined || gi === undefined) return;
        if (gi.length !== input.length) {
          throw new RangeError(
            `the pullback of '${name}' returned ${gi.length} values for input ${j}, which holds ${input.length}`,
          );
        }
        const acc = grads.get(input);
        if (acc !== undefined) {
          for (let k = 0; k < acc.length; k++) acc[k] += gi[k];
          return;
        }
        const kept = gi instanceof Float64Array && !held.has(gi.buffer) ? gi : float64Copy(gi);
        grads.set(input, kept);
        held.add(kept.buffer);
      });
    }
    this.#grads = grads;
  }

  /**
   * ∂ℓ/∂array after {@link backward} (float64, the array's length), or undefined when ℓ does not
   * depend on it.
   * @throws Error before {@link backward}.
   */
  grad(array: RealArray): Float64Array | undefined {
    return this.#backpropagated().get(array);
  }

  /**
   * The gradient of every trainable parameter of `module` (see {@link Module.parameters}) by its
   * dotted official name, zeros where ℓ does not depend on it.
   * @throws Error before {@link backward}.
   */
  gradients(module: Module): Map<string, Float64Array> {
    const grads = this.#backpropagated();
    const out = new Map<string, Float64Array>();
    for (const [name, p] of module.parameters()) {
      out.set(name, grads.get(p.data) ?? new Float64Array(p.data.length));
    }
    return out;
  }

  #backpropagated(): Map<RealArray, Float64Array> {
    if (this.#grads === undefined) throw new Error('no gradients yet: call backward first (and await it)');
    return this.#grads;
  }
}

/**
 * A float64 copy: `slice` for float64 data, a plain loop for the rest (`Float64Array.from` and
 * conversions between typed arrays go value by value, ~20× slower).
 */
function float64Copy(a: ArrayLike<number>): Float64Array {
  if (a instanceof Float64Array) return a.slice();
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i];
  return out;
}
