import type { ComplexTensor, Tensor } from '@statespace/complex';
import { COMPLEX, type Field, REAL } from './field';
import { asFloat64, squareSize, type Width } from './validate';

// Scaling and squaring with the [13/13] Padé approximant (Higham, "The scaling and squaring method
// for the matrix exponential revisited", SIAM J. Matrix Anal. Appl. 26(4), 2005): scale A by 2⁻ˢ so
// that ‖A‖₁ ≤ θ₁₃, where the approximant is accurate to double precision, then square s times.

/** Coefficients b₀ … b₁₃ of the degree-13 Padé approximant. */
const B = [
  64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000, 10559470521600,
  670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1,
];
/** The largest ‖A‖₁ for which the unscaled [13/13] approximant has backward error ≤ 2⁻⁵³. */
const THETA_13 = 5.371920351148152;

/** The 1-norm (largest column sum of moduli). */
function norm1(a: Float64Array, n: number, width: Width): number {
  const sums = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const at = width * (i * n + j);
      sums[j] += width === 1 ? Math.abs(a[at]) : Math.hypot(a[at], a[at + 1]);
    }
  }
  return sums.reduce((m, s) => Math.max(m, s), 0);
}

/** Σ c_t·M_t + c_I·I: elementwise, so the same for real and interleaved complex data. */
function combine(terms: [number, Float64Array][], identityCoefficient: number, n: number, width: Width) {
  const out = new Float64Array(width * n * n);
  for (const [c, m] of terms) for (let i = 0; i < out.length; i++) out[i] += c * m[i];
  for (let i = 0; i < n; i++) out[width * (i * n + i)] += identityCoefficient;
  return out;
}

function expmData(field: Field, a: Float64Array, n: number): Float64Array {
  const { width } = field;
  const norm = norm1(a, n, width);
  const squarings = norm > THETA_13 ? Math.ceil(Math.log2(norm / THETA_13)) : 0;
  const scale = 2 ** -squarings;
  const x = a.map((v) => v * scale);
  const mul = (p: Float64Array, q: Float64Array) => field.product(p, q, n, n, n);
  const x2 = mul(x, x);
  const x4 = mul(x2, x2);
  const x6 = mul(x4, x2);
  // U (odd part) and V (even part) of the approximant; r = (V − U)⁻¹ (V + U).
  const u = mul(
    x,
    combine(
      [
        [
          1,
          mul(
            x6,
            combine(
              [
                [B[13], x6],
                [B[11], x4],
                [B[9], x2],
              ],
              0,
              n,
              width,
            ),
          ),
        ],
        [B[7], x6],
        [B[5], x4],
        [B[3], x2],
      ],
      B[1],
      n,
      width,
    ),
  );
  const v = combine(
    [
      [
        1,
        mul(
          x6,
          combine(
            [
              [B[12], x6],
              [B[10], x4],
              [B[8], x2],
            ],
            0,
            n,
            width,
          ),
        ),
      ],
      [B[6], x6],
      [B[4], x4],
      [B[2], x2],
    ],
    B[0],
    n,
    width,
  );
  const denominator = combine(
    [
      [1, v],
      [-1, u],
    ],
    0,
    n,
    width,
  );
  const perm = field.lu.factor(denominator, n, 'the Padé denominator V − U');
  let r = field.lu.substitute(
    denominator,
    perm,
    n,
    combine(
      [
        [1, v],
        [1, u],
      ],
      0,
      n,
      width,
    ),
    n,
  );
  for (let s = 0; s < squarings; s++) r = mul(r, r);
  return r;
}

/**
 * The matrix exponential e^A of a real square matrix (scaling and squaring, Padé 13), in float64.
 * @param a - Matrix `[n, n]`, finite.
 */
export function expm(a: Tensor): Tensor<Float64Array> {
  const n = squareSize('a', a, 1);
  return { data: expmData(REAL, asFloat64(a.data), n), shape: [n, n] };
}

/**
 * The matrix exponential e^A of a complex square matrix (scaling and squaring, Padé 13), in float64.
 * @param a - Complex matrix `[n, n]`, finite.
 */
export function cexpm(a: ComplexTensor): ComplexTensor<Float64Array> {
  const n = squareSize('a', a, 2);
  return { data: expmData(COMPLEX, asFloat64(a.data), n), shape: [n, n] };
}
