import { allocateLike, assertFinite, type RealArray, sizeOf, type Tensor, tensor } from '@statespace/complex';
import { fastLength, rfftPlan } from '@statespace/fft';
import type { ConvolveInput } from './backend';
import { scratch } from './scratch';

/**
 * Batched FFT convolution with a kernel bank, the convolution of FFTConv (its activation aside):
 * y[b,c,h,t] = Σ_{s≤t} k[c,h,s]·u[b,h,t−s] + D[c,h]·u[b,h,t], plus, for a bidirectional layer,
 * Σ_{d≥1} kReverse[c,h,d−1]·u[b,h,t+d] — the official two-sided kernel `pad(k0, (0, L)) +
 * pad(k1.flip(-1), (L, 0))`, whose future taps are shifted by one on purpose (weights stay
 * interchangeable with the official code).
 *
 * u: [batch, H, L]; k, kReverse: [C, H, Lk] (taps beyond L are ignored); D: [C, H].
 * Returns y: [batch, C, H, L] in u's precision. The transforms run in float64.
 */
export function convolve(input: ConvolveInput): Tensor {
  const [batch, H, L] = checkConvolveInput(input);
  const shape = [batch, input.k.shape[0], H, L];
  const y = allocateLike(input.u.data, sizeOf(shape));
  convolveFeatures(input, y, 0, H);
  return tensor(y, shape);
}

/**
 * {@link convolve} of the features [start, end) only, written into their places in `y` (the whole
 * [batch, C, H, L] output): the part that one thread of the CPU backend computes. Unchecked (run
 * {@link checkConvolveInput} first); other entries of `y` are left as they are.
 */
export function convolveFeatures(input: ConvolveInput, y: RealArray, start: number, end: number): void {
  const { u, k, D, kReverse } = input;
  const [batch, H, L] = u.shape;
  const C = k.shape[0];
  const taps = Math.min(k.shape[2], L);
  const n = convolutionLength(L, taps, kReverse !== undefined);
  const plan = rfftPlan(n, 'float64');
  const bins = plan.bins;

  // Rows of L samples (taps for a causal kernel): the plan pads them to n, and an input and
  // output of at most n/2 samples lets it skip the zero and the unused halves of the transforms.
  const signals = scratch('conv.signals', batch * L);
  const spectra = scratch('conv.spectra', batch * 2 * bins);
  const kernelRow = scratch('conv.kernel', kReverse ? n : taps);
  const kernelSpectrum = scratch('conv.kernelSpectrum', 2 * bins);
  const products = scratch('conv.products', batch * 2 * bins);
  const outputs = scratch('conv.outputs', batch * L);
  // A two-sided kernel fills its row from both ends; the zeros in between are laid once per call.
  if (kReverse) kernelRow.fill(0);

  for (let h = start; h < end; h++) {
    // The spectra of this feature's inputs, shared by every channel.
    for (let b = 0; b < batch; b++) signals.set(u.data.subarray((b * H + h) * L, (b * H + h + 1) * L), b * L);
    plan.forwardRows(signals, batch, spectra, L);

    for (let c = 0; c < C; c++) {
      const kOffset = (c * H + h) * k.shape[2];
      kernelRow.set(k.data.subarray(kOffset, kOffset + taps));
      if (kReverse) {
        // Future offset d lands at index n − d (circular wrap), weighted by kReverse[d − 1].
        for (let d = 1; d <= taps; d++) kernelRow[n - d] = kReverse.data[kOffset + d - 1];
      }
      plan.forwardRows(kernelRow, 1, kernelSpectrum, kernelRow.length);
      multiplyRows(spectra, kernelSpectrum, products, batch, bins);
      plan.inverseRows(products, batch, outputs, L);
      if (D) addScaled(outputs, D.data[c * H + h], signals);
      for (let b = 0; b < batch; b++) y.set(outputs.subarray(b * L, (b + 1) * L), ((b * C + c) * H + h) * L);
    }
  }
}

/**
 * The transform length of a convolution of L samples with `taps` kernel taps: linear (not
 * circular) convolution needs n ≥ L + taps − 1, the anticausal taps of a bidirectional kernel
 * n ≥ L + taps (future offset d sits at index n − d). An even n keeps the real transforms on their
 * fast half-length path.
 */
export function convolutionLength(L: number, taps: number, bidirectional: boolean): number {
  return 2 * fastLength(Math.ceil((L + taps - (bidirectional ? 0 : 1)) / 2));
}

/** y += a·x, elementwise (the skip term D·u, in float64 before the output's rounding). */
function addScaled(y: Float64Array, a: number, x: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] += a * x[i];
}

/** products[b] = spectra[b] ⊙ kernel for each of `rows` rows of `bins` complex values. */
function multiplyRows(
  spectra: Float64Array,
  kernel: Float64Array,
  products: Float64Array,
  rows: number,
  bins: number,
) {
  for (let b = 0; b < rows; b++) {
    const base = 2 * b * bins;
    for (let i = 0; i < 2 * bins; i += 2) {
      const xr = spectra[base + i];
      const xi = spectra[base + i + 1];
      const kr = kernel[i];
      const ki = kernel[i + 1];
      products[base + i] = xr * kr - xi * ki;
      products[base + i + 1] = xr * ki + xi * kr;
    }
  }
}

/**
 * Validates a convolution's input (shapes, finite values), naming the argument at fault; returns
 * [batch, H, L]. Every backend's `convolve` checks its input with it.
 */
export function checkConvolveInput({ u, k, D, kReverse }: ConvolveInput): [number, number, number] {
  if (u.shape.length !== 3)
    throw new RangeError(`u must have shape [batch, H, L]; got [${u.shape.join(', ')}]`);
  const [batch, H, L] = u.shape;
  if (L < 1) throw new RangeError(`u must have L ≥ 1; got shape [${u.shape.join(', ')}]`);
  checkKernel('k', k, H);
  if (kReverse) {
    checkKernel('kReverse', kReverse, H);
    if (kReverse.shape[0] !== k.shape[0] || kReverse.shape[2] !== k.shape[2]) {
      throw new RangeError(
        `kReverse must have the shape of k [${k.shape.join(', ')}]; got [${kReverse.shape.join(', ')}]`,
      );
    }
  }
  if (D && (D.shape.length !== 2 || D.shape[0] !== k.shape[0] || D.shape[1] !== H)) {
    throw new RangeError(
      `D must have shape [${k.shape[0]}, ${H}] (channels, H); got [${D.shape.join(', ')}]`,
    );
  }
  // A non-finite value would spread through the whole transform, past inputs included.
  assertFinite('u', u.data);
  assertFinite('k', k.data);
  if (kReverse) assertFinite('kReverse', kReverse.data);
  if (D) assertFinite('D', D.data);
  return [batch, H, L];
}

function checkKernel(name: string, k: Tensor<RealArray>, H: number) {
  if (k.shape.length !== 3 || k.shape[1] !== H || k.shape[2] < 1) {
    throw new RangeError(
      `${name} must have shape [channels, ${H}, Lk] with Lk ≥ 1; got [${k.shape.join(', ')}]`,
    );
  }
}
