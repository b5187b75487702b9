import type { Tensor } from '@statespace/complex';
import { type ConvolveInput, checkConvolveInput } from '@statespace/kernels';
import { float32 } from '../float32';
import type { DeviceValue, GpuJsRuntime, KernelThis } from '../runtime';
import { kernelSource } from '../runtime';
import { nextPowerOfTwo } from './fft-plan';
import { realFftLargest, runIrfft, runRfft } from './fft-real';
import type { GpuJsOp } from './op';

// Batched causal convolution with a kernel bank, as the CPU `convolve` of @statespace/kernels:
// y[b,c,h,t] = Σ_{s≤t} k[c,h,s]·u[b,h,t−s] + D[c,h]·u[b,h,t] (+ Σ_{d≥1} kReverse[c,h,d−1]·u[b,h,t+d]).
//
// Short kernels (≤ DIRECT_MAX_TAPS taps) are summed directly, one thread per output. Longer ones go
// through real FFTs of a power-of-two length n ≥ L + taps − 1 (≥ L + taps with anticausal taps):
// the spectrum of every input row (b, h) and of every kernel row (c, h) once, their products for
// each output row (b, c, h), one inverse transform truncated to L, and a kernel that adds the skip
// term D·u. Output rows are (b·C + c)·H + h of gpu.js [L, B·C·H], the row-major [B, C, H, L].

/** Kernels with at most this many taps are convolved directly (O(L·taps)); longer ones by FFT. */
export const DIRECT_MAX_TAPS = 64;

function directKernel(
  this: KernelThis,
  u: number[][][],
  k: number[][][],
  kReverse: number[][][],
  D: number[][],
): number {
  const t = this.thread.x;
  const row = this.thread.y;
  const H = this.constants.H;
  const bc = Math.floor((row + 0.5) / H);
  const h = row - bc * H;
  const b = Math.floor((bc + 0.5) / this.constants.C);
  const c = bc - b * this.constants.C;
  let acc = D[c][h] * u[b][h][t];
  for (let s = 0; s < this.constants.taps; s++) {
    if (s <= t) {
      acc += k[c][h][s] * u[b][h][t - s];
    }
  }
  if (this.constants.bidirectional > 0.5) {
    for (let d = 1; d <= this.constants.taps; d++) {
      if (t + d < this.constants.L) {
        acc += kReverse[c][h][d - 1] * u[b][h][t + d];
      }
    }
  }
  return acc;
}

/** Row (c, h) of the kernel bank as n reals: k[t] for t < taps, kReverse[d − 1] at n − d. */
function kernelRowsKernel(this: KernelThis, k: number[][][], kReverse: number[][][]): number {
  const t = this.thread.x;
  const row = this.thread.y;
  const c = Math.floor((row + 0.5) / this.constants.H);
  const h = row - c * this.constants.H;
  if (t < this.constants.taps) return k[c][h][t];
  if (this.constants.bidirectional > 0.5) {
    // n ≥ 2·taps: the anticausal taps never overlap the causal ones.
    const d = this.constants.n - t;
    if (d <= this.constants.taps) return kReverse[c][h][d - 1];
  }
  return 0;
}

/** The spectrum of output row (b, c, h): U[b·H + h] ⊙ K[c·H + h]. */
function productKernel(this: KernelThis, U: number[][], K: number[][]): number {
  const col = this.thread.x;
  const row = this.thread.y;
  const f = Math.floor(col / 2);
  const part = col - 2 * f;
  const H = this.constants.H;
  const bc = Math.floor((row + 0.5) / H);
  const h = row - bc * H;
  const b = Math.floor((bc + 0.5) / this.constants.C);
  const c = bc - b * this.constants.C;
  const ur = U[b * H + h][2 * f];
  const ui = U[b * H + h][2 * f + 1];
  const kr = K[c * H + h][2 * f];
  const ki = K[c * H + h][2 * f + 1];
  if (part < 0.5) return ur * kr - ui * ki;
  return ur * ki + ui * kr;
}

/** y[t] = (inverse transform)[t] + D[c, h]·u[b, h, t] for t < L. */
function skipKernel(this: KernelThis, Y: number[][], u: number[][][], D: number[][]): number {
  const t = this.thread.x;
  const row = this.thread.y;
  const H = this.constants.H;
  const bc = Math.floor((row + 0.5) / H);
  const h = row - bc * H;
  const b = Math.floor((bc + 0.5) / this.constants.C);
  const c = bc - b * this.constants.C;
  return Y[row][t] + D[c][h] * u[b][h][t];
}

const DIRECT_SOURCE = kernelSource(directKernel);
const KERNEL_ROWS_SOURCE = kernelSource(kernelRowsKernel);
const PRODUCT_SOURCE = kernelSource(productKernel);
const SKIP_SOURCE = kernelSource(skipKernel);

/** The sizes of a convolution. */
interface ConvDims {
  batch: number;
  C: number;
  H: number;
  L: number;
  /** Kernel taps used: min(Lk, L). */
  taps: number;
  bidirectional: boolean;
}

/** The FFT length of a convolution: a power of two ≥ L + taps − 1, or ≥ L + taps with anticausal taps. */
export function convolutionLength(L: number, taps: number, bidirectional: boolean): number {
  return nextPowerOfTwo(L + taps - (bidirectional ? 0 : 1));
}

/**
 * The host arrays of a convolution as kernel arguments: u [L, H, batch], k and kReverse
 * [Lk, H, C] (kReverse is k when absent), D [H, C] (zeros when absent).
 */
function convArguments(rt: GpuJsRuntime, input: ConvolveInput, { batch, C, H, L }: ConvDims) {
  const Lk = input.k.shape[2];
  const k = rt.input(float32(input.k.data), [Lk, H, C]);
  return {
    u: rt.input(float32(input.u.data), [L, H, batch]),
    uRows: rt.input(float32(input.u.data), [L, batch * H]),
    k,
    kReverse: input.kReverse ? rt.input(float32(input.kReverse.data), [Lk, H, C]) : k,
    D: rt.input(input.D ? float32(input.D.data) : new Float32Array(C * H), [H, C]),
  };
}

/** Runs a direct convolution on the device; returns [L, batch·C·H] there. */
function runDirect(rt: GpuJsRuntime, input: ConvolveInput, dims: ConvDims): Promise<DeviceValue> {
  const { batch, C, H, L, taps, bidirectional } = dims;
  const a = convArguments(rt, input, dims);
  return rt.run(
    {
      key: `conv-direct:${batch}x${C}x${H}:${L}:${taps}${bidirectional ? 'b' : ''}:${input.k.shape[2]}`,
      source: DIRECT_SOURCE,
      output: [L, batch * C * H],
      constants: { H, C, L, taps, bidirectional: bidirectional ? 1 : 0 },
    },
    [a.u, a.k, a.kReverse, a.D],
  );
}

/** Runs an FFT convolution on the device; returns [L, batch·C·H] there. */
async function runFftConvolution(
  rt: GpuJsRuntime,
  input: ConvolveInput,
  dims: ConvDims,
): Promise<DeviceValue> {
  const { batch, C, H, L, taps, bidirectional } = dims;
  const n = convolutionLength(L, taps, bidirectional);
  const bins = n / 2 + 1;
  const a = convArguments(rt, input, dims);
  const Lk = input.k.shape[2];
  // Spectra of the input rows and of the kernel rows: distinct tags, as both must live on.
  const U = await runRfft(rt, { value: a.uRows, device: false, width: L, rows: batch * H }, n, 'u');
  const kRows = await rt.run(
    {
      key: `conv-kernel-rows:${C}x${H}:${Lk}:${taps}${bidirectional ? 'b' : ''}:${n}`,
      source: KERNEL_ROWS_SOURCE,
      output: [n, C * H],
      constants: { H, n, taps, bidirectional: bidirectional ? 1 : 0 },
    },
    [a.k, a.kReverse],
  );
  const K = await runRfft(rt, { value: kRows, device: true, width: n, rows: C * H }, n, 'k');
  const rows = batch * C * H;
  const product = await rt.run(
    {
      key: `conv-product:${batch}x${C}x${H}:${n}`,
      source: PRODUCT_SOURCE,
      output: [2 * bins, rows],
      constants: { H, C },
    },
    [U, K],
  );
  const Y = await runIrfft(rt, { value: product, device: true, width: bins, rows }, n, L, 'y');
  return rt.run(
    {
      key: `conv-skip:${batch}x${C}x${H}:${L}`,
      source: SKIP_SOURCE,
      output: [L, rows],
      constants: { H, C },
    },
    [Y, a.u, a.D],
  );
}

/**
 * The backend's `convolve` on gpu.js (see the CPU `convolve`): u [batch, H, L], k and kReverse
 * [C, H, Lk], D [C, H] → y [batch, C, H, L], directly for ≤ 64 taps, else by FFT.
 * @throws RangeError as the CPU version on bad shapes or non-finite values (naming the argument).
 */
export const convolveOp: GpuJsOp<ConvolveInput, { out: Tensor }> = {
  async run(rt, input) {
    const [batch, H, L] = checkConvolveInput(input);
    const C = input.k.shape[0];
    const dims: ConvDims = {
      batch,
      C,
      H,
      L,
      taps: Math.min(input.k.shape[2], L),
      bidirectional: input.kReverse !== undefined,
    };
    const size = batch * C * H * L;
    const shape = [batch, C, H, L];
    if (size === 0) return { out: { data: new Float32Array(0), shape } };
    const out =
      dims.taps <= DIRECT_MAX_TAPS
        ? await runDirect(rt, input, dims)
        : await runFftConvolution(rt, input, dims);
    return { out: { data: await rt.read(out, size), shape } };
  },
  largestArray({ u, k, kReverse }) {
    const [batch = 0, H = 0, L = 0] = u?.shape ?? [];
    const [C = 0, , Lk = 0] = k?.shape ?? [];
    const taps = Math.min(Lk, L);
    const outputs = batch * C * H * L;
    if (taps <= DIRECT_MAX_TAPS) return Math.max(outputs, u?.data?.length ?? 0, k?.data?.length ?? 0);
    const n = convolutionLength(L, taps, kReverse !== undefined);
    return Math.max(realFftLargest(batch * Math.max(C, 1) * H, n), outputs, k?.data?.length ?? 0);
  },
};
