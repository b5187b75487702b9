import { type Complex, cdiv, cexp, cmul } from '@statespace/complex';

// e^z − 1 and its ratios, accurate for small |z| where e^z − 1 would cancel. The zoh and dss
// formulas divide by A, and these forms also give their finite limits at A = 0.

/** e^z − 1 without cancellation for small |z|. */
export function cexpm1(z: Complex): Complex {
  const s = Math.sin(z.im / 2);
  // Re(e^z − 1) = (e^a − 1)·cos b + (cos b − 1), with cos b − 1 = −2 sin²(b/2).
  return { re: Math.expm1(z.re) * Math.cos(z.im) - 2 * s * s, im: Math.exp(z.re) * Math.sin(z.im) };
}

/** (e^z − 1)/z, with its limit 1 at z = 0: the zoh input factor B̄ = Δ·B·(e^{ΔA} − 1)/(ΔA). */
export function expm1OverZ(z: Complex): Complex {
  if (z.re === 0 && z.im === 0) return { re: 1, im: 0 };
  return cdiv(cexpm1(z), z);
}

/** z·e^z/(e^z − 1), with its limit 1 at z = 0: the zoh state-augmentation factor (times 1/Δ). */
export function zExpOverExpm1(z: Complex): Complex {
  if (z.re === 0 && z.im === 0) return { re: 1, im: 0 };
  return cdiv(cmul(z, cexp(z)), cexpm1(z));
}
