import { assertInteger, type ComplexTensor, type Tensor } from '@statespace/complex';
import { COMPLEX, type Field, REAL } from './field';
import { complexProduct, identityData, transposeData } from './matrix';
import { asFloat64, matrixShape, squareSize } from './validate';

/** Aᵏ by repeated squaring: ⌊log₂ k⌋ squarings and at most as many extra products. */
function powerData(field: Field, a: Float64Array, n: number, k: number): Float64Array {
  let result: Float64Array | undefined;
  let base = a;
  while (k > 0) {
    if (k % 2 === 1) result = result === undefined ? base.slice() : field.product(result, base, n, n, n);
    k = Math.floor(k / 2);
    if (k > 0) base = field.product(base, base, n, n, n);
  }
  return result ?? identityData(n, field.width, 'float64');
}

/**
 * The integer power Aᵏ of a real square matrix, by repeated squaring in float64.
 * @param a - Matrix `[n, n]`.
 * @param k - Exponent, an integer ≥ 0 (A⁰ = I).
 */
export function matrixPower(a: Tensor, k: number): Tensor<Float64Array> {
  const n = squareSize('a', a, 1);
  assertInteger('k', k, 0);
  return { data: powerData(REAL, asFloat64(a.data), n, k), shape: [n, n] };
}

/**
 * The integer power Aᵏ of a complex square matrix, by repeated squaring in float64.
 * @param a - Complex matrix `[n, n]`.
 * @param k - Exponent, an integer ≥ 0 (A⁰ = I).
 */
export function cmatrixPower(a: ComplexTensor, k: number): ComplexTensor<Float64Array> {
  const n = squareSize('a', a, 2);
  assertInteger('k', k, 0);
  return { data: powerData(COMPLEX, asFloat64(a.data), n, k), shape: [n, n] };
}

/** out[0 .. rows) += x · m for `rows` complex row vectors x (rows × n) and m (n × n). */
function addRowsTimes(out: Float64Array, x: Float64Array, m: Float64Array, rows: number, n: number): void {
  const product = complexProduct(x, m, rows, n, n);
  for (let i = 0; i < product.length; i++) out[i] += product[i];
}

/**
 * Σ_{i<L} v_i·Mⁱ for the rows v_i of v (L × n), by divide and conquer (the reduction of the
 * official S4 `power`): fold the rows past the largest power of two `top` ≤ L onto the first ones
 * with M^top, then halve repeatedly, v_j += v_{j+h}·Mʰ. That takes ⌊log₂ L⌋ squarings and
 * O(L·n²) for the vectors, instead of L matrix-vector products in sequence.
 */
function scanRows(m: Float64Array, v: Float64Array, length: number, n: number): Float64Array {
  if (length === 0) return new Float64Array(2 * n);
  let levels = 0;
  while (2 ** (levels + 1) <= length) levels++;
  const top = 2 ** levels;
  // powers[t] = M^(2^t); M^top itself is needed only to fold a tail.
  const powers = [m];
  const highest = length > top ? levels : levels - 1;
  for (let t = 1; t <= highest; t++) powers.push(complexProduct(powers[t - 1], powers[t - 1], n, n, n));
  const work = v.slice(0, 2 * top * n);
  if (length > top) addRowsTimes(work, v.subarray(2 * top * n), powers[levels], length - top, n);
  for (let t = levels - 1; t >= 0; t--) {
    const h = 2 ** t;
    addRowsTimes(work, work.subarray(2 * h * n, 4 * h * n), powers[t], h, n);
  }
  return work.slice(0, 2 * n);
}

function scanArguments(a: ComplexTensor, v: ComplexTensor): [number, number] {
  const n = squareSize('a', a, 2);
  const [length, cols] = matrixShape('v', v, 2);
  if (cols !== n)
    throw new RangeError(`v must have shape [L, ${n}] (one row per power); got [${v.shape.join(', ')}]`);
  return [n, length];
}

/**
 * The power scan Σ_{i<L} Aⁱ·v_i (column vectors v_i), used to forward a state over L steps:
 * with v_i = B̄·u_{L−1−i} it is the state after the inputs u_0 … u_{L−1} from a zero state.
 * Divide and conquer: ⌊log₂ L⌋ squarings of A, in float64.
 * @param a - Complex matrix `[n, n]`.
 * @param v - Complex matrix `[L, n]`: row i is v_i (L may be 0).
 * @returns The complex vector `[n]`.
 */
export function powerScan(a: ComplexTensor, v: ComplexTensor): ComplexTensor<Float64Array> {
  const [n, length] = scanArguments(a, v);
  // Σ Aⁱ v_i is the transpose of the row scan Σ v_iᵀ (Aᵀ)ⁱ.
  const at = transposeData(asFloat64(a.data), n, n, 2);
  return { data: scanRows(at, asFloat64(v.data), length, n), shape: [n] };
}

/**
 * The power scan over row vectors, Σ_{i<L} v_i·Aⁱ: `powerScan` applied to rows, e.g. for
 * C·Aⁱ products. Divide and conquer, in float64.
 * @param a - Complex matrix `[n, n]`.
 * @param v - Complex matrix `[L, n]`: row i is v_i (L may be 0).
 * @returns The complex vector `[n]`.
 */
export function powerScanRows(a: ComplexTensor, v: ComplexTensor): ComplexTensor<Float64Array> {
  const [n, length] = scanArguments(a, v);
  return { data: scanRows(asFloat64(a.data), asFloat64(v.data), length, n), shape: [n] };
}
