import { allocateLike, assertFinite, assertLength, assertOneOf, type RealArray } from '@statespace/complex';
import { TRANSFORMS, type Transform } from './transforms';

/** The derivative of each official transform at p, with torch's conventions at the kinks. */
const DERIVATIVE: Record<Transform, (p: number) => number> = {
  none: () => 1,
  exp: Math.exp,
  // torch's relu has derivative 0 at p = 0
  relu: (p) => (p > 0 ? 1 : 0),
  sigmoid: (p) => {
    const s = 1 / (1 + Math.exp(-p));
    return s * (1 - s);
  },
  // torch's softplus is the identity above its threshold 20
  softplus: (p) => (p > 20 ? 1 : 1 / (1 + Math.exp(-p))),
};

/**
 * The vector-Jacobian product of `paramTransform(param, transform)`: given `grad` = ∂ℓ/∂value,
 * returns ∂ℓ/∂param = grad·T′(param) elementwise. T′ is 1 (`none`), e^p (`exp`), 1 for p > 0
 * and 0 otherwise (`relu`, as torch), σ(p)(1 − σ(p)) (`sigmoid`), and σ(p), or 1 above 20
 * (`softplus`, as torch's threshold).
 *
 * @param param - The stored parameters the forward was given (finite).
 * @param grad - ∂ℓ/∂value, of `param`'s length; the result has its precision.
 * @throws RangeError for an unknown transform, mismatched lengths or non-finite values.
 */
export function paramTransformVjp<A extends RealArray>(param: RealArray, transform: Transform, grad: A): A {
  assertOneOf('transform', transform, TRANSFORMS);
  assertLength('grad', grad, param.length);
  assertFinite('param', param);
  assertFinite('grad', grad);
  const d = DERIVATIVE[transform];
  const out = allocateLike(grad, grad.length);
  for (let i = 0; i < grad.length; i++) out[i] = grad[i] * d(param[i]);
  return out;
}
