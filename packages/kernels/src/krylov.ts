import {
  assertComplexLength,
  assertFinite,
  assertInteger,
  type ComplexTensor,
  type Tensor,
} from '@statespace/complex';

/**
 * The Krylov reference kernel (the official `krylov(L, dA, dB, dC)` followed by `.real`, and the
 * golden `K_krylov`): for dense discrete systems,
 *
 *   K[c, h, l] = Re( dC[c,h] · dA[h]^l · dB[h] ),   l = 0 … L−1,
 *
 * with the plain (unconjugated) product dC·x. Inputs are the full, conjugate-expanded state of
 * size M: `dA` complex [H, M, M], `dB` complex [H, M], `dC` complex [C, H, M]; returns real
 * [C, H, L], always float64 (an oracle: it runs L dense matrix-vector products per feature in
 * float64, O(H·L·M²), meant for tests and small systems).
 *
 * @param L - kernel length, an integer ≥ 1.
 * @throws RangeError on mismatched shapes (naming the argument and expected shape), L < 1 or
 *   non-finite inputs.
 */
export function krylovKernel(
  dA: ComplexTensor,
  dB: ComplexTensor,
  dC: ComplexTensor,
  L: number,
): Tensor<Float64Array> {
  const as = dA?.shape;
  if (!Array.isArray(as) || as.length !== 3 || as[1] !== as[2]) {
    throw new RangeError(`dA must have shape [H, M, M]; got [${as?.join(', ') ?? ''}]`);
  }
  const [H, M] = as;
  assertComplexLength('dA.data', dA.data, H * M * M);
  const bs = dB?.shape;
  if (!Array.isArray(bs) || bs.length !== 2 || bs[0] !== H || bs[1] !== M) {
    throw new RangeError(`dB must have shape [H, M] = [${H}, ${M}]; got [${bs?.join(', ') ?? ''}]`);
  }
  assertComplexLength('dB.data', dB.data, H * M);
  const cs = dC?.shape;
  if (!Array.isArray(cs) || cs.length !== 3 || cs[1] !== H || cs[2] !== M) {
    throw new RangeError(`dC must have shape [C, H, M] = [C, ${H}, ${M}]; got [${cs?.join(', ') ?? ''}]`);
  }
  const C = cs[0];
  assertComplexLength('dC.data', dC.data, C * H * M);
  assertInteger('L', L, 1);
  assertFinite('dA', dA.data);
  assertFinite('dB', dB.data);
  assertFinite('dC', dC.data);

  const ad = dA.data;
  const bd = dB.data;
  const cd = dC.data;
  const out = new Float64Array(C * H * L);
  let x = new Float64Array(2 * M);
  let y = new Float64Array(2 * M);
  for (let h = 0; h < H; h++) {
    for (let i = 0; i < 2 * M; i++) x[i] = bd[2 * h * M + i];
    for (let l = 0; l < L; l++) {
      for (let c = 0; c < C; c++) {
        const base = 2 * (c * H + h) * M;
        let s = 0;
        for (let m = 0; m < M; m++) s += cd[base + 2 * m] * x[2 * m] - cd[base + 2 * m + 1] * x[2 * m + 1];
        out[(c * H + h) * L + l] = s;
      }
      if (l === L - 1) break;
      const abase = 2 * h * M * M;
      for (let i = 0; i < M; i++) {
        let sr = 0;
        let si = 0;
        for (let j = 0, a = abase + 2 * i * M; j < M; j++, a += 2) {
          const ar = ad[a];
          const ai = ad[a + 1];
          sr += ar * x[2 * j] - ai * x[2 * j + 1];
          si += ar * x[2 * j + 1] + ai * x[2 * j];
        }
        y[2 * i] = sr;
        y[2 * i + 1] = si;
      }
      const t = x;
      x = y;
      y = t;
    }
  }
  return { data: out, shape: [C, H, L] };
}
