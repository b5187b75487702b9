import type { RealArray } from '@statespace/complex';
import { type Activation, POINTWISE, type POINTWISE_ACTIVATIONS } from './activation';
import { erfc } from './erf';
import { geluDerivativeInterpolated } from './gelu-table';
import type { Tape } from './tape';

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
// The official Laplace constants (see activation.ts).
// biome-ignore lint/suspicious/noApproximativeNumericConstant: the official value, not Math.SQRT1_2.
const LAPLACE_MU = 0.707107;
const LAPLACE_SIGMA = 0.282095;

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const one = () => 1;

/** The derivative of each pointwise activation, with torch's conventions at the kinks (0 at 0). */
const DERIVATIVE: Record<(typeof POINTWISE_ACTIVATIONS)[number], (x: number) => number> = {
  id: one,
  identity: one,
  linear: one,
  none: one,
  tanh: (x) => 1 - Math.tanh(x) ** 2,
  relu: (x) => (x > 0 ? 1 : 0),
  // d/dx x·Φ(x) = Φ(x) + x·φ(x)
  gelu: (x) => 0.5 * erfc(-x * SQRT1_2) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x),
  elu: (x) => (x > 0 ? 1 : Math.exp(x)),
  swish: (x) => {
    const s = sigmoid(x);
    return s + x * s * (1 - s);
  },
  silu: (x) => {
    const s = sigmoid(x);
    return s + x * s * (1 - s);
  },
  sigmoid: (x) => {
    const s = sigmoid(x);
    return s * (1 - s);
  },
  softplus: (x) => (x > 20 ? 1 : sigmoid(x)),
  sqrelu: (x) => (x > 0 ? 2 * x : 0),
  relu2: (x) => (x > 0 ? 2 * x : 0),
  laplace: (x) => {
    const z = (x - LAPLACE_MU) / LAPLACE_SIGMA;
    return (INV_SQRT_2PI / LAPLACE_SIGMA) * Math.exp(-0.5 * z * z);
  },
};

/**
 * The vector-Jacobian product of `activation.apply(x, outer, features, inner)`: given its input
 * `x` and `grad` = ∂ℓ/∂output, returns ∂ℓ/∂x in float64 (the precision of a `Tape`'s gradients).
 * Pointwise: grad·f′(x) (exact; for float32 data, GELU′ takes Φ from the table of the float32
 * GELU forward, within 1e-10). Gated (`glu`, `glu-<act>`), out = a·gate(b) over the two halves
 * of the feature axis: ∂ℓ/∂a = grad·gate(b), ∂ℓ/∂b = grad·a·gate′(b).
 *
 * @throws RangeError when x or grad do not have the sizes of the activation's input and output.
 */
export function activationVjp(
  activation: Activation,
  x: RealArray,
  grad: ArrayLike<number>,
  outer: number,
  features: number,
  inner: number,
): Float64Array {
  const size = outer * features * inner;
  const outSize = activation.gated ? size / 2 : size;
  if (x.length !== size) throw new RangeError(`x must hold ${size} values; got ${x.length}`);
  if (grad.length !== outSize) throw new RangeError(`grad must hold ${outSize} values; got ${grad.length}`);
  const out = new Float64Array(size);
  const float32 = x instanceof Float32Array;
  if (!activation.gated) {
    const d = derivative((activation.name ?? 'id') as keyof typeof DERIVATIVE, float32);
    for (let i = 0; i < size; i++) out[i] = grad[i] * d(x[i]);
    return out;
  }
  const gateName = (
    activation.name === 'glu' ? 'sigmoid' : activation.name?.slice(4)
  ) as keyof typeof POINTWISE;
  const gate = POINTWISE[gateName];
  const d = derivative(gateName, float32);
  // GLU (the default) inlines σ, and σ′ = σ·(1 − σ) reuses its value.
  const sigmoidGate = gateName === 'sigmoid';
  const block = (features / 2) * inner;
  for (let o = 0; o < outer; o++) {
    const a0 = o * features * inner;
    const b0 = a0 + block;
    const g0 = o * block;
    for (let i = 0; i < block; i++) {
      const g = grad[g0 + i];
      const b = x[b0 + i];
      const value = sigmoidGate ? 1 / (1 + Math.exp(-b)) : gate(b);
      out[a0 + i] = g * value;
      out[b0 + i] = g * x[a0 + i] * (sigmoidGate ? value * (1 - value) : d(b));
    }
  }
  return out;
}

/** f′ of a pointwise activation; for float32 data, GELU′ from the table of its forward. */
function derivative(name: keyof typeof DERIVATIVE, float32: boolean): (x: number) => number {
  return float32 && name === 'gelu' ? geluDerivativeInterpolated : DERIVATIVE[name];
}

/**
 * `activation.apply(x, outer, features, inner)`, recorded on `tape` when one is given: then a
 * pointwise activation works on a copy, so that x stays the pre-activation its VJP needs (see
 * {@link activationVjp}). Identities return x unrecorded.
 */
export function applyActivation(
  activation: Activation,
  x: RealArray,
  outer: number,
  features: number,
  inner: number,
  tape?: Tape,
): RealArray {
  if (tape === undefined || activation.identity) return activation.apply(x, outer, features, inner);
  const y = activation.apply(activation.gated ? x : x.slice(), outer, features, inner);
  tape.record(`activation ${activation.name}`, [x], y, (g) => [
    activationVjp(activation, x, g, outer, features, inner),
  ]);
  return y;
}
