import { expectClose } from './tolerance';

/** Named float64 inputs of a function under test; complex inputs are interleaved `(re, im)`. */
export type GradientInputs = Record<string, Float64Array>;

/** Options of {@link finiteDifferenceGradient} and {@link expectGradients}. */
export interface FiniteDifferenceOptions {
  /** Relative step: each number x moves by ±step·max(1, |x|) and ±2·step·max(1, |x|). Default 1e-4. */
  step?: number;
  /** Largest max-norm relative error accepted by {@link expectGradients}. Default 1e-6. */
  tolerance?: number;
}

/**
 * The gradient of ℓ(inputs) = Σ_i cotangent_i·f(inputs)_i with respect to every number of
 * `inputs[name]`, by the fourth-order central difference
 * (8·(ℓ(x+h) − ℓ(x−h)) − (ℓ(x+2h) − ℓ(x−2h)))/(12h), in float64. Complex values are perturbed
 * in their real and imaginary parts separately, so the result follows the project's gradient
 * convention (`docs/architecture.md`, "Gradients"): interleaved (∂ℓ/∂Re z, ∂ℓ/∂Im z).
 * The inputs are restored after each evaluation; `f` must not keep or mutate them.
 */
export function finiteDifferenceGradient<I extends GradientInputs>(
  f: (inputs: I) => ArrayLike<number>,
  inputs: I,
  name: keyof I & string,
  cotangent: ArrayLike<number>,
  options: FiniteDifferenceOptions = {},
): Float64Array {
  const x = inputs[name];
  if (!(x instanceof Float64Array)) throw new TypeError(`inputs.${name} must be a Float64Array`);
  const step = options.step ?? 1e-4;
  const loss = (): number => {
    const y = f(inputs);
    if (y.length !== cotangent.length) {
      throw new RangeError(
        `cotangent must hold ${y.length} values (the output's length); got ${cotangent.length}`,
      );
    }
    let s = 0;
    for (let i = 0; i < y.length; i++) s += cotangent[i] * y[i];
    return s;
  };
  const at = (i: number, value: number): number => {
    x[i] = value;
    return loss();
  };
  const grad = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const x0 = x[i];
    const h = step * Math.max(1, Math.abs(x0));
    const near = at(i, x0 + h) - at(i, x0 - h);
    const far = at(i, x0 + 2 * h) - at(i, x0 - 2 * h);
    x[i] = x0;
    grad[i] = (8 * near - far) / (12 * h);
  }
  return grad;
}

/**
 * Asserts that the analytic gradients `grads` (one per named input, as a vector-Jacobian product
 * returns them for `cotangent`) match {@link finiteDifferenceGradient} of `f` within `tolerance`
 * (max-norm relative per input, default 1e-6). GradientInputs absent from `grads` are not checked.
 */
export function expectGradients<I extends GradientInputs>(
  f: (inputs: I) => ArrayLike<number>,
  inputs: I,
  cotangent: ArrayLike<number>,
  grads: Partial<Record<keyof I & string, ArrayLike<number>>>,
  options: FiniteDifferenceOptions = {},
): void {
  const names = Object.keys(grads) as (keyof I & string)[];
  if (names.length === 0) throw new RangeError('grads must name at least one input');
  for (const name of names) {
    if (!(name in inputs)) throw new RangeError(`grads.${name} has no input of that name`);
    const numeric = finiteDifferenceGradient(f, inputs, name, cotangent, options);
    expectClose(grads[name] as ArrayLike<number>, numeric, options.tolerance ?? 1e-6, `gradient of ${name}`);
  }
}
