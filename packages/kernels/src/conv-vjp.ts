import { allocateLike, type RealArray, type Tensor, tensor } from '@statespace/complex';
import { causalConvVjp } from '@statespace/fft';
import type { ConvolveInput } from './backend';
import { checkConvolveInput } from './conv';

/** The gradients of `convolve` with respect to each of its inputs. */
export interface ConvolveGrads {
  /** ∂ℓ/∂u, [batch, H, L]. */
  u: Tensor;
  /** ∂ℓ/∂k, [C, H, Lk] (0 for taps beyond L). */
  k: Tensor;
  /** ∂ℓ/∂D, [C, H]; present when `D` was given. */
  D?: Tensor;
  /** ∂ℓ/∂kReverse, [C, H, Lk]; present when `kReverse` was given. */
  kReverse?: Tensor;
}

/** Each of `rows` rows of `length` values reversed in time (a new array). */
function reverseRows<A extends RealArray>(a: A, rows: number, length: number): A {
  const out = allocateLike(a, a.length);
  for (let r = 0; r < rows; r++) {
    for (let t = 0; t < length; t++) out[r * length + t] = a[r * length + length - 1 - t];
  }
  return out;
}

/**
 * The vector-Jacobian product of `convolve({ u, k, D, kReverse })`: given `grad` = ∂ℓ/∂y,
 * [batch, C, H, L], returns the gradients with respect to u, k and (when given) D and kReverse,
 * in u's precision. Channel by channel it is the VJP of a causal convolution (`causalConvVjp` of
 * `@statespace/fft`, FFT-based), and the anticausal part Σ_{d≥1} kReverse[d−1]·u[t+d] is the
 * causal convolution of the time-reversed u with the kernel [0, kReverse…], so it is the same VJP
 * on reversed signals.
 *
 * @throws RangeError, naming the argument, as `convolve` does, and when `grad` is not
 *   [batch, C, H, L].
 */
export function convolveVjp(input: ConvolveInput, grad: Tensor): ConvolveGrads {
  const { u, k, D, kReverse } = input;
  const [batch, H, L] = checkConvolveInput(input);
  const [C, , Lk] = k.shape;
  const expected = [batch, C, H, L];
  if (grad?.shape?.length !== 4 || grad.shape.some((d, i) => d !== expected[i])) {
    throw new RangeError(
      `grad must have shape [batch, C, H, L] = [${expected.join(', ')}]; got [${grad?.shape?.join(', ') ?? ''}]`,
    );
  }
  if (grad.data.length !== batch * C * H * L) {
    throw new RangeError(`grad.data must hold ${batch * C * H * L} values; got ${grad.data.length}`);
  }
  const like = u.data;
  const slice = (src: RealArray, offset: number, length: number): RealArray => {
    const out = allocateLike(like, length);
    out.set(src.subarray(offset, offset + length));
    return out;
  };
  const gradU = allocateLike(like, batch * H * L);
  const gradK = allocateLike(like, C * H * Lk);
  const gradD = D ? allocateLike(like, C * H) : undefined;
  const gradR = kReverse ? allocateLike(like, C * H * Lk) : undefined;
  const uRev = kReverse ? reverseRows(u.data, batch * H, L) : undefined;
  const gc = allocateLike(like, batch * H * L);
  for (let c = 0; c < C; c++) {
    for (let b = 0; b < batch; b++)
      gc.set(grad.data.subarray((b * C + c) * H * L, (b * C + c + 1) * H * L), b * H * L);
    const causal = causalConvVjp(
      u,
      tensor(slice(k.data, c * H * Lk, H * Lk), [H, Lk]),
      tensor(gc, [batch, H, L]),
      {
        D: D ? slice(D.data, c * H, H) : undefined,
      },
    );
    for (let i = 0; i < gradU.length; i++) gradU[i] += causal.u.data[i];
    gradK.set(causal.k.data, c * H * Lk);
    if (gradD && causal.D) gradD.set(causal.D, c * H);
    if (kReverse && gradR && uRev) {
      // kernel [0, kReverse[c, h, 0…Lk−1]] of Lk + 1 taps
      const shifted = allocateLike(like, H * (Lk + 1));
      for (let h = 0; h < H; h++) {
        shifted.set(kReverse.data.subarray((c * H + h) * Lk, (c * H + h + 1) * Lk), h * (Lk + 1) + 1);
      }
      const anti = causalConvVjp(
        tensor(uRev, [batch, H, L]),
        tensor(shifted, [H, Lk + 1]),
        tensor(reverseRows(gc, batch * H, L), [batch, H, L]),
      );
      const du = reverseRows(anti.u.data, batch * H, L);
      for (let i = 0; i < gradU.length; i++) gradU[i] += du[i];
      for (let h = 0; h < H; h++) {
        gradR.set(anti.k.data.subarray(h * (Lk + 1) + 1, (h + 1) * (Lk + 1)), (c * H + h) * Lk);
      }
    }
  }
  const result: ConvolveGrads = { u: tensor(gradU, [batch, H, L]), k: tensor(gradK, [C, H, Lk]) };
  if (gradD) result.D = tensor(gradD, [C, H]);
  if (gradR) result.kReverse = tensor(gradR, [C, H, Lk]);
  return result;
}
