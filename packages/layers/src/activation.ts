import type { RealArray } from '@statespace/complex';
import { erfc } from './erf';
import { geluInPlace } from './gelu-table';

// The activations of the official `Activation(name)` (src/models/nn/activation.py): pointwise ones,
// and the gated linear units `glu` / `glu-<act>` that halve the feature axis (first half times the
// gate of the second half).

const SQRT1_2 = Math.SQRT1_2;
// The official Laplace constants, as written there (≈ 1/√2 and 1/(2√π), rounded to 6 digits).
// biome-ignore lint/suspicious/noApproximativeNumericConstant: the official value, not Math.SQRT1_2.
const LAPLACE_MU = 0.707107;
const LAPLACE_SIGMA = 0.282095;

/** The pointwise activations by name (float64 forms). */
export const POINTWISE = {
  id: (x: number) => x,
  identity: (x: number) => x,
  linear: (x: number) => x,
  none: (x: number) => x,
  tanh: Math.tanh,
  relu: (x: number) => Math.max(x, 0),
  // torch's exact nn.GELU(): x·Φ(x), with Φ(x) = erfc(−x/√2)/2 (no cancellation for x ≪ 0).
  gelu: (x: number) => 0.5 * x * erfc(-x * SQRT1_2),
  elu: (x: number) => (x > 0 ? x : Math.expm1(x)),
  swish: (x: number) => x / (1 + Math.exp(-x)),
  silu: (x: number) => x / (1 + Math.exp(-x)),
  sigmoid: (x: number) => 1 / (1 + Math.exp(-x)),
  // torch's F.softplus (β = 1, threshold 20).
  softplus: (x: number) => (x > 20 ? x : Math.log1p(Math.exp(x))),
  sqrelu: (x: number) => (x > 0 ? x * x : 0),
  relu2: (x: number) => (x > 0 ? x * x : 0),
  // The official Laplace(μ = 0.707107, σ = 0.282095): ½(1 + erf((x − μ)/(σ√2))).
  laplace: (x: number) => 0.5 * erfc(-(x - LAPLACE_MU) / (LAPLACE_SIGMA * Math.SQRT2)),
} satisfies Record<string, (x: number) => number>;

const IDENTITIES = ['id', 'identity', 'linear', 'none'];

/** The pointwise activation names (official spellings and aliases). */
export const POINTWISE_ACTIVATIONS = Object.keys(POINTWISE) as (keyof typeof POINTWISE)[];

/**
 * Every accepted activation name: the pointwise ones, `glu` (x₁·σ(x₂)) and `glu-<act>` (x₁·act(x₂)
 * for a pointwise act). `null` means none. (`modrelu`, which has its own parameter, is not offered.)
 */
export const ACTIVATIONS = [...POINTWISE_ACTIVATIONS, 'glu', ...POINTWISE_ACTIVATIONS.map((a) => `glu-${a}`)];

/** A parsed activation. */
export interface Activation {
  /** The name it was given (`null` for none). */
  readonly name: string | null;
  /** Whether it halves the feature axis (`glu`, `glu-<act>`). */
  readonly gated: boolean;
  /** Whether it is the identity (then {@link apply} returns its input). */
  readonly identity: boolean;
  /**
   * Applies the activation to x viewed as [outer, features, inner] with the features on the middle
   * axis. Pointwise activations work in place and return `x`; gated ones return a new array
   * [outer, features/2, inner] = first half ⊙ gate(second half).
   */
  apply(x: RealArray, outer: number, features: number, inner: number): RealArray;
}

/**
 * Parses an activation name (see {@link ACTIVATIONS}).
 * @throws RangeError for an unknown name, listing the accepted ones.
 */
export function parseActivation(arg: string, name: string | null | undefined): Activation {
  if (name === null || name === undefined) return pointwise(null, POINTWISE.id, true);
  if (typeof name === 'string' && name in POINTWISE) {
    const key = name as keyof typeof POINTWISE;
    return pointwise(name, POINTWISE[key], IDENTITIES.includes(name));
  }
  if (name === 'glu') return gated(name, POINTWISE.sigmoid);
  if (typeof name === 'string' && name.startsWith('glu-') && name.slice(4) in POINTWISE) {
    return gated(name, POINTWISE[name.slice(4) as keyof typeof POINTWISE]);
  }
  throw new RangeError(
    `${arg} must be null or one of ${ACTIVATIONS.map((a) => `'${a}'`).join(', ')}; got '${String(name)}'`,
  );
}

/**
 * Faster forms for float32 data, accurate far beyond float32 rounding, applied in place to a whole
 * array: a loop with a direct call, which the engine inlines (a call through a variable it cannot).
 */
const FLOAT32_FORMS: Partial<Record<keyof typeof POINTWISE, (x: Float32Array) => void>> = {
  gelu: geluInPlace,
};

function pointwise(name: string | null, f: (x: number) => number, identity: boolean): Activation {
  const f32 = name === null ? undefined : FLOAT32_FORMS[name as keyof typeof POINTWISE];
  return {
    name,
    gated: false,
    identity,
    apply(x) {
      if (identity) return x;
      if (f32 && x instanceof Float32Array) f32(x);
      else for (let i = 0; i < x.length; i++) x[i] = f(x[i]);
      return x;
    },
  };
}

function gated(name: string, gate: (x: number) => number): Activation {
  return {
    name,
    gated: true,
    identity: false,
    apply(x, outer, features, inner) {
      if (features % 2 !== 0) {
        throw new RangeError(`${name} halves the feature axis, which needs an even size; got ${features}`);
      }
      const half = features / 2;
      const out = x instanceof Float64Array ? new Float64Array(x.length / 2) : new Float32Array(x.length / 2);
      const block = half * inner;
      for (let o = 0; o < outer; o++) {
        const src = o * features * inner;
        const dst = o * block;
        for (let i = 0; i < block; i++) out[dst + i] = x[src + i] * gate(x[src + block + i]);
      }
      return out;
    },
  };
}
