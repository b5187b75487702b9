import { allocateLike, assertFinite, type RealArray, sizeOf, type Tensor, tensor } from '@statespace/complex';
import { rfftPlan } from '@statespace/fft';
import type { ConvolveInput } from './backend';
import { checkConvolveInput, convolutionLength } from './conv';
import { scratch } from './scratch';

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

/**
 * The vector-Jacobian product of `convolve({ u, k, D, kReverse })`: given `grad` = ∂ℓ/∂y,
 * [batch, C, H, L], returns the gradients with respect to u, k and (when given) D and kReverse,
 * in u's precision (computed in float64). `convolve` is a circular convolution of length n ≥ L +
 * taps − 1 (≥ L + taps with kReverse, whose taps sit at n − d) of the zero-padded u with the
 * kernel row [k, 0…, kReverse reversed], cut to L samples; its adjoints are circular correlations
 * of the zero-padded gradient, one inverse FFT each:
 *
 *   ∂ℓ/∂u[b,h] = irfft(Σ_c conj(K[c,h])·G[b,c,h]) + Σ_c D[c,h]·g[b,c,h],
 *   ∂ℓ/∂row[c,h] = irfft(Σ_b conj(U[b,h])·G[b,c,h])  (k: its first taps, kReverse: its last),
 *   ∂ℓ/∂D[c,h] = Σ_b Σ_t g[b,c,h,t]·u[b,h,t].
 *
 * @throws RangeError, naming the argument, as `convolve` does, and when `grad` is not
 *   [batch, C, H, L] or holds non-finite values.
 */
export function convolveVjp(input: ConvolveInput, grad: Tensor): ConvolveGrads {
  checkConvolveVjp(input, grad);
  const like = input.u.data;
  const shapes = convolveVjpShapes(input);
  const arrays: Record<string, RealArray> = {};
  for (const [key, shape] of Object.entries(shapes)) arrays[key] = allocateLike(like, sizeOf(shape));
  convolveVjpFeatures(input, grad, arrays as unknown as ConvolveGradArrays, 0, input.u.shape[1]);
  const result: Record<string, Tensor> = {};
  for (const [key, shape] of Object.entries(shapes)) result[key] = tensor(arrays[key], shape);
  return result as unknown as ConvolveGrads;
}

/**
 * Validates the input of a convolution's VJP as `convolve` does, and `grad` (shape
 * [batch, C, H, L], finite values), naming the argument at fault; returns [batch, H, L]. Every
 * backend's `convolveVjp` checks its input with it.
 */
export function checkConvolveVjp(input: ConvolveInput, grad: Tensor): [number, number, number] {
  const [batch, H, L] = checkConvolveInput(input);
  const expected = [batch, input.k.shape[0], H, L];
  if (grad?.shape?.length !== 4 || grad.shape.some((d, i) => d !== expected[i])) {
    throw new RangeError(
      `grad must have shape [batch, C, H, L] = [${expected.join(', ')}]; got [${grad?.shape?.join(', ') ?? ''}]`,
    );
  }
  if (grad.data.length !== sizeOf(expected)) {
    throw new RangeError(`grad.data must hold ${sizeOf(expected)} values; got ${grad.data.length}`);
  }
  assertFinite('grad', grad.data);
  return [batch, H, L];
}

/** The shapes of the gradients of a convolution, by input name (D and kReverse when given). */
export function convolveVjpShapes({ u, k, D, kReverse }: ConvolveInput): Record<string, number[]> {
  const [batch, H, L] = u.shape;
  const shapes: Record<string, number[]> = { u: [batch, H, L], k: [...k.shape] };
  if (D) shapes.D = [k.shape[0], H];
  if (kReverse) shapes.kReverse = [...k.shape];
  return shapes;
}

/** The gradient arrays of a convolution (the data of {@link ConvolveGrads}). */
export interface ConvolveGradArrays {
  u: RealArray;
  k: RealArray;
  D?: RealArray;
  kReverse?: RealArray;
}

/**
 * {@link convolveVjp} of the features [start, end) only, written into their places in the whole
 * gradient arrays (shapes from {@link convolveVjpShapes}): the part that one thread of the CPU
 * backend computes. Unchecked (run {@link checkConvolveVjp} first); other entries are left as
 * they are.
 */
export function convolveVjpFeatures(
  input: ConvolveInput,
  grad: Tensor,
  out: ConvolveGradArrays,
  start: number,
  end: number,
): void {
  const { u, k, D, kReverse } = input;
  const [batch, H, L] = u.shape;
  const [C, , Lk] = k.shape;
  const taps = Math.min(Lk, L);
  const n = convolutionLength(L, taps, kReverse !== undefined);
  const plan = rfftPlan(n, 'float64');
  const width = 2 * plan.bins;
  const g = grad.data;

  // Rows of u and of g share one staging array, zero beyond L; kernel rows have their own.
  const signals = scratch('convVjp.signals', batch * C * n);
  const kernels = scratch('convVjp.kernels', C * n);
  const uSpectra = scratch('convVjp.uSpectra', batch * width);
  const gSpectra = scratch('convVjp.gSpectra', batch * C * width);
  const kSpectra = scratch('convVjp.kSpectra', C * width);
  const sums = scratch('convVjp.sums', Math.max(batch, C) * width);
  const times = scratch('convVjp.times', Math.max(batch, C) * n);
  signals.fill(0);
  kernels.fill(0);

  for (let h = start; h < end; h++) {
    for (let b = 0; b < batch; b++) signals.set(u.data.subarray((b * H + h) * L, (b * H + h + 1) * L), b * n);
    plan.forwardRows(signals.subarray(0, batch * n), batch, uSpectra);
    for (let r = 0; r < batch * C; r++) signals.set(g.subarray((r * H + h) * L, (r * H + h + 1) * L), r * n);
    plan.forwardRows(signals.subarray(0, batch * C * n), batch * C, gSpectra);
    for (let c = 0; c < C; c++) {
      const row = (c * H + h) * Lk;
      kernels.set(k.data.subarray(row, row + taps), c * n);
      if (kReverse) {
        for (let d = 1; d <= taps; d++) kernels[c * n + n - d] = kReverse.data[row + d - 1];
      }
    }
    plan.forwardRows(kernels, C, kSpectra);

    // ∂ℓ/∂u: for each b, Σ_c conj(K_c)·G_bc, then the skip term.
    sums.fill(0, 0, batch * width);
    for (let b = 0; b < batch; b++) {
      for (let c = 0; c < C; c++)
        addConjProduct(sums, b * width, kSpectra, c * width, gSpectra, (b * C + c) * width, width);
    }
    plan.inverseRows(sums.subarray(0, batch * width), batch, times.subarray(0, batch * n));
    for (let b = 0; b < batch; b++) {
      const at = (b * H + h) * L;
      for (let t = 0; t < L; t++) {
        let skip = 0;
        if (D) for (let c = 0; c < C; c++) skip += D.data[c * H + h] * g[((b * C + c) * H + h) * L + t];
        out.u[at + t] = times[b * n + t] + skip;
      }
    }

    // ∂ℓ/∂(kernel row): for each c, Σ_b conj(U_b)·G_bc; k takes lags 0…taps−1, kReverse lags −1…−taps.
    sums.fill(0, 0, C * width);
    for (let c = 0; c < C; c++) {
      for (let b = 0; b < batch; b++)
        addConjProduct(sums, c * width, uSpectra, b * width, gSpectra, (b * C + c) * width, width);
    }
    plan.inverseRows(sums.subarray(0, C * width), C, times.subarray(0, C * n));
    for (let c = 0; c < C; c++) {
      const row = (c * H + h) * Lk;
      for (let s = 0; s < Lk; s++) out.k[row + s] = s < taps ? times[c * n + s] : 0;
      if (kReverse && out.kReverse) {
        for (let d = 1; d <= Lk; d++) out.kReverse[row + d - 1] = d <= taps ? times[c * n + n - d] : 0;
      }
      if (D && out.D) {
        let sum = 0;
        for (let b = 0; b < batch; b++) {
          const ut = (b * H + h) * L;
          const gt = ((b * C + c) * H + h) * L;
          for (let t = 0; t < L; t++) sum += g[gt + t] * u.data[ut + t];
        }
        out.D[c * H + h] = sum;
      }
    }
  }
}

/** acc[at…] += conj(x[xAt…])·y[yAt…] over `width` interleaved numbers. */
function addConjProduct(
  acc: Float64Array,
  at: number,
  x: Float64Array,
  xAt: number,
  y: Float64Array,
  yAt: number,
  width: number,
): void {
  for (let i = 0; i < width; i += 2) {
    const xr = x[xAt + i];
    const xi = x[xAt + i + 1];
    const yr = y[yAt + i];
    const yi = y[yAt + i + 1];
    acc[at + i] += xr * yr + xi * yi;
    acc[at + i + 1] += xr * yi - xi * yr;
  }
}
