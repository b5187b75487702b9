import {
  allocateLike,
  assertFinite,
  assertLength,
  type ComplexArray,
  type ComplexTensor,
  cdiv,
  conj,
  conjExpand,
  type Tensor,
} from '@statespace/complex';
import { solve } from '@statespace/linalg';
import { assertHalfState, assertSameSize, stepSizes } from './half-state';

// The bilinear discretisation of a DPLR system A = diag(Λ) − P P* in O(N) per step, as the official
// `SSMKernelDPLR._setup_linear` / `_step_state_linear` / `_setup_state`. Only N/2 modes are stored;
// the full system acts on [x, conj x] with Λ, P and B expanded to [v, conj v], so Q = conj P gives
// P* = [Q, conj Q] and a rank-r inner product Qᵀx over the full state is 2·Re(Σ_n Q_n x_n).

/**
 * A bilinear stepper of H DPLR systems x' = (diag(Λ) − P P*) x + B u, half-state, with
 * x_k = (2/Δ − A)⁻¹[(2/Δ + A) x_{k−1} + 2B u_k], which is Ā x_{k−1} + B̄ u_k for the bilinear
 * Ā = (I − Δ/2·A)⁻¹(I + Δ/2·A), B̄ = (I − Δ/2·A)⁻¹ΔB. The arrays are the official `step_params`.
 */
export interface DplrBilinearStepper<A extends ComplexArray = ComplexArray> {
  /** Number of rows H. */
  readonly H: number;
  /** Stored modes per row, N/2. */
  readonly halfN: number;
  /** Rank r of the low-rank part. */
  readonly rank: number;
  /** D = (2/Δ − Λ)⁻¹, `[H, N/2]`. */
  readonly D: ComplexTensor<A>;
  /** E = 2/Δ + Λ, `[H, N/2]`. */
  readonly E: ComplexTensor<A>;
  /** Woodbury factor R = (I_r + 2·Re(Qᵀ D P))⁻¹ (Q D), per row, `[r, H, N/2]`. */
  readonly R: ComplexTensor<A>;
  /** P, `[r, H, N/2]`. */
  readonly P: ComplexTensor<A>;
  /** Q = conj P, `[r, H, N/2]`. */
  readonly Q: ComplexTensor<A>;
  /** B, `[H, N/2]`. */
  readonly B: ComplexTensor<A>;
  /**
   * One step x ← D ⊙ (y − P·(Rᵀ y)) with y = E ⊙ x − P·(Qᵀ x) + 2B·u, in O(H·N·r).
   * @param x - State, complex: the half state `[H, N/2]` (inner products 2·Re(…)), or the full
   *   state `[H, N]` (first N/2 entries of each row for the stored modes, then their conjugate
   *   partners, which need not be conjugates of them).
   * @param u - Input per row, `[H]`.
   * @param out - Optional output like `x` (may alias it); allocated in x's precision otherwise.
   * @returns The next state.
   */
  step<X extends ComplexArray>(x: X, u: ArrayLike<number>, out?: X): X;
}

/**
 * Sets up the O(N) bilinear stepper of H DPLR systems (official `_setup_linear`):
 * D = (2/Δ − Λ)⁻¹, E = 2/Δ + Λ and R = solve(I_r + 2·Re(Qᵀ·D·P), Q·D) per row.
 *
 * @param Lambda - Diagonal part Λ, complex `[H, N/2]`; its precision is the stepper's.
 * @param P - Low-rank part, complex `[r, H, N/2]` (A = diag(Λ) − P P*, Q = conj P).
 * @param B - Input vector, complex `[H, N/2]`.
 * @param dt - Step sizes Δ > 0: `[H]` or `[H, 1]` per row, or `[H, N/2]` per mode (then 2/Δ is
 *   the diagonal matrix of the modes' 2/Δ, as in the official broadcasting).
 * @throws RangeError on bad shapes, non-finite values, Δ ≤ 0 or a singular Woodbury matrix.
 */
export function dplrBilinear<A extends ComplexArray>(
  Lambda: ComplexTensor<A>,
  P: ComplexTensor,
  B: ComplexTensor,
  dt: Tensor,
): DplrBilinearStepper<A> {
  const size = assertHalfState('Lambda', Lambda);
  const pSize = assertHalfState('P', P, true);
  if (pSize.lead.length !== 1 || pSize.count < 1) {
    throw new RangeError(`P must have shape [rank, H, N/2] with rank ≥ 1; got [${P.shape.join(', ')}]`);
  }
  assertSameSize('P', size, pSize, 'Lambda');
  assertSameSize('B', size, assertHalfState('B', B), 'Lambda');
  const { H, halfN } = size;
  const rank = pSize.count;
  const delta = stepSizes(dt, size);
  const lam = Lambda.data;

  const d = new Float64Array(2 * H * halfN);
  const e = allocateLike(lam, 2 * H * halfN);
  delta.forEach((dlt, i) => {
    const z = cdiv({ re: 1, im: 0 }, { re: 2 / dlt - lam[2 * i], im: -lam[2 * i + 1] });
    d[2 * i] = z.re;
    d[2 * i + 1] = z.im;
    e[2 * i] = 2 / dlt + lam[2 * i];
    e[2 * i + 1] = lam[2 * i + 1];
  });
  const p = allocateLike(lam, P.data.length);
  p.set(P.data);
  const q = conj(p);
  const r = woodbury(P.data, d, H, halfN, rank, lam);
  const b = allocateLike(lam, B.data.length);
  b.set(B.data);

  const modes = [H, halfN];
  const lowRank = [rank, H, halfN];
  const dStored = allocateLike(lam, d.length);
  dStored.set(d);
  const params: StepParams = { H, halfN, rank, D: dStored, E: e, R: r, P: p, Q: q, B: b };
  const scratch = new Float64Array(4 * halfN);
  const sums = new Float64Array(2 * rank);

  return {
    H,
    halfN,
    rank,
    D: { data: dStored, shape: modes },
    E: { data: e, shape: modes },
    R: { data: r, shape: lowRank },
    P: { data: p, shape: lowRank },
    Q: { data: q, shape: lowRank },
    B: { data: b, shape: modes },
    step(x, u, out) {
      const halves = x.length === 2 * H * halfN ? 1 : x.length === 4 * H * halfN ? 2 : 0;
      if (halves === 0) {
        throw new RangeError(
          `x must hold the half state [${H}, ${halfN}] or the full state [${H}, ${2 * halfN}] ` +
            `(${2 * H * halfN} or ${4 * H * halfN} interleaved numbers); got ${x.length}`,
        );
      }
      assertLength('u', u, H);
      assertFinite('u', u);
      const o = out ?? allocateLike(x, x.length);
      assertLength('out', o, x.length, 'numbers');
      const row = 2 * halves * halfN;
      for (let h = 0; h < H; h++) {
        stepRow(params, h, halves, x, h * row, u[h], scratch, sums);
        o.set(scratch.subarray(0, row), h * row);
      }
      return o;
    },
  };
}

/** The sizes and step parameters as flat interleaved arrays. */
interface StepParams {
  readonly H: number;
  readonly halfN: number;
  readonly rank: number;
  readonly D: ComplexArray;
  readonly E: ComplexArray;
  readonly R: ComplexArray;
  readonly P: ComplexArray;
  readonly Q: ComplexArray;
  readonly B: ComplexArray;
}

/** R = (I_r + 2·Re(Qᵀ D P))⁻¹ (Q D) for every row h, from P `[r, H, N/2]` and D `[H, N/2]`. */
function woodbury<A extends ComplexArray>(
  p: ComplexArray,
  d: Float64Array,
  H: number,
  halfN: number,
  rank: number,
  like: A,
): A {
  const out = allocateLike(like, 2 * rank * H * halfN);
  for (let h = 0; h < H; h++) {
    // The right-hand side Q·D, [r, N/2] complex, is solved as a real [r, N] matrix: M is real.
    const qd = new Float64Array(2 * rank * halfN);
    for (let s = 0; s < rank; s++) {
      for (let n = 0; n < halfN; n++) {
        const pi = 2 * ((s * H + h) * halfN + n);
        const di = 2 * (h * halfN + n);
        qd[2 * (s * halfN + n)] = p[pi] * d[di] + p[pi + 1] * d[di + 1];
        qd[2 * (s * halfN + n) + 1] = p[pi] * d[di + 1] - p[pi + 1] * d[di];
      }
    }
    const m = new Float64Array(rank * rank);
    for (let s = 0; s < rank; s++) {
      m[s * rank + s] = 1;
      for (let t = 0; t < rank; t++) {
        let re = 0;
        for (let n = 0; n < halfN; n++) {
          const pi = 2 * ((t * H + h) * halfN + n);
          re += qd[2 * (s * halfN + n)] * p[pi] - qd[2 * (s * halfN + n) + 1] * p[pi + 1];
        }
        m[s * rank + t] += 2 * re;
      }
    }
    let x: Float64Array;
    try {
      x = solve({ data: m, shape: [rank, rank] }, { data: qd, shape: [rank, 2 * halfN] }).data;
    } catch (e) {
      if (!(e instanceof RangeError && /singular/.test(e.message))) throw e;
      throw new RangeError(`the Woodbury matrix I + 2·Re(QᵀDP) of row ${h} is singular: ${e.message}`);
    }
    for (let s = 0; s < rank; s++)
      out.set(x.subarray(2 * s * halfN, 2 * (s + 1) * halfN), 2 * (s * H + h) * halfN);
  }
  return out;
}

/**
 * Σ over the stored halves k of the rank-r products Σ_n c^{(k)}_{s,h,n}·v^{(k)}_n into `sums`
 * (interleaved, r values), where c^{(0)} = c and c^{(1)} = conj c. For a half state (one half)
 * the conjugate half is implied: the sum is 2·Re of the first.
 */
function project(
  { H, halfN, rank }: StepParams,
  c: ComplexArray,
  h: number,
  halves: number,
  v: ArrayLike<number>,
  vOff: number,
  sums: Float64Array,
): void {
  for (let s = 0; s < rank; s++) {
    let re = 0;
    let im = 0;
    for (let k = 0; k < halves; k++) {
      const sign = k === 0 ? 1 : -1;
      for (let n = 0; n < halfN; n++) {
        const ci = 2 * ((s * H + h) * halfN + n);
        const vi = vOff + 2 * (k * halfN + n);
        const cr = c[ci];
        const cim = sign * c[ci + 1];
        re += cr * v[vi] - cim * v[vi + 1];
        im += cr * v[vi + 1] + cim * v[vi];
      }
    }
    sums[2 * s] = halves === 1 ? 2 * re : re;
    sums[2 * s + 1] = halves === 1 ? 0 : im;
  }
}

/**
 * y ← y − P·sums in place, over the stored halves (P^{(1)} = conj P), for row h (y holds that row).
 */
function subtractLowRank(
  { H, halfN, rank, P: p }: StepParams,
  h: number,
  halves: number,
  y: Float64Array,
  sums: Float64Array,
): void {
  for (let k = 0; k < halves; k++) {
    const sign = k === 0 ? 1 : -1;
    for (let n = 0; n < halfN; n++) {
      const yi = 2 * (k * halfN + n);
      for (let s = 0; s < rank; s++) {
        const pi = 2 * ((s * H + h) * halfN + n);
        const pr = p[pi];
        const pim = sign * p[pi + 1];
        y[yi] -= pr * sums[2 * s] - pim * sums[2 * s + 1];
        y[yi + 1] -= pr * sums[2 * s + 1] + pim * sums[2 * s];
      }
    }
  }
}

/** One step of row h of the state x (at offset xOff), written to `y` (2·halves·N/2 numbers). */
function stepRow(
  params: StepParams,
  h: number,
  halves: number,
  x: ArrayLike<number>,
  xOff: number,
  u: number,
  y: Float64Array,
  sums: Float64Array,
): void {
  const { halfN, D, E, R, Q, B } = params;
  // y = E ⊙ x + 2B·u − P·(Qᵀx)
  project(params, Q, h, halves, x, xOff, sums);
  for (let k = 0; k < halves; k++) {
    const sign = k === 0 ? 1 : -1;
    for (let n = 0; n < halfN; n++) {
      const mi = 2 * (h * halfN + n);
      const yi = 2 * (k * halfN + n);
      const er = E[mi];
      const ei = sign * E[mi + 1];
      const xr = x[xOff + yi];
      const xi = x[xOff + yi + 1];
      y[yi] = er * xr - ei * xi + 2 * B[mi] * u;
      y[yi + 1] = er * xi + ei * xr + 2 * sign * B[mi + 1] * u;
    }
  }
  subtractLowRank(params, h, halves, y, sums);
  // x' = D ⊙ (y − P·(Rᵀy))
  project(params, R, h, halves, y, 0, sums);
  subtractLowRank(params, h, halves, y, sums);
  for (let k = 0; k < halves; k++) {
    const sign = k === 0 ? 1 : -1;
    for (let n = 0; n < halfN; n++) {
      const mi = 2 * (h * halfN + n);
      const yi = 2 * (k * halfN + n);
      const dr = D[mi];
      const di = sign * D[mi + 1];
      const yr = y[yi];
      const yim = y[yi + 1];
      y[yi] = dr * yr - di * yim;
      y[yi + 1] = dr * yim + di * yr;
    }
  }
}

/** The dense full-state bilinear system of a DPLR stepper. */
export interface DplrDenseSystem<A extends ComplexArray = ComplexArray> {
  /** Ā over the full state [x, conj x], complex `[H, N, N]`. */
  readonly dA: ComplexTensor<A>;
  /** B̄ over the full state, complex `[H, N]`. */
  readonly dB: ComplexTensor<A>;
}

/**
 * Materialises the dense discrete system of a DPLR stepper over the full (conjugate-expanded)
 * state, as the official `_setup_state`: column j of Ā is one step of the full state e_j with
 * u = 0, and B̄ is one step of the zero half state with u = 1, expanded to [B̄, conj B̄].
 * O(H·N²·r).
 *
 * @returns Ā `[H, N, N]` and B̄ `[H, N]` in the stepper's precision.
 */
export function dplrBilinearDense<A extends ComplexArray>(
  stepper: DplrBilinearStepper<A>,
): DplrDenseSystem<A> {
  const { H, halfN } = stepper;
  const N = 2 * halfN;
  const like = stepper.D.data;
  const dA = allocateLike(like, 2 * H * N * N);
  const basis = new Float64Array(2 * H * N);
  const column = new Float64Array(2 * H * N);
  const zeros = new Float64Array(H);
  for (let j = 0; j < N; j++) {
    basis.fill(0);
    for (let h = 0; h < H; h++) basis[2 * (h * N + j)] = 1;
    stepper.step(basis, zeros, column);
    for (let h = 0; h < H; h++) {
      for (let m = 0; m < N; m++) {
        dA[2 * ((h * N + m) * N + j)] = column[2 * (h * N + m)];
        dA[2 * ((h * N + m) * N + j) + 1] = column[2 * (h * N + m) + 1];
      }
    }
  }
  const half = stepper.step(new Float64Array(2 * H * halfN), new Float64Array(H).fill(1));
  const dB = allocateLike(like, 2 * H * N);
  dB.set(conjExpand(half, H));
  return { dA: { data: dA, shape: [H, N, N] }, dB: { data: dB, shape: [H, N] } };
}
