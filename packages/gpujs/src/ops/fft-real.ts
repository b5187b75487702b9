import { assertInteger, type ComplexTensor, type Tensor } from '@statespace/complex';
import { complexShape, realShape, type TransformInput } from '@statespace/kernels';
import { float32 } from '../float32';
import { type DeviceValue, type GpuJsRuntime, type KernelThis, kernelSource } from '../runtime';
import type { ComplexRows } from './elementwise';
import { chirpArgs, runDft, storeScale } from './fft';
import { realFftPlan } from './fft-plan';
import type { GpuJsOp } from './op';

// Real FFTs of rows on gpu.js (numpy's rfft/irfft semantics), on the device from load to store.
// Even lengths pack two samples per complex value and run the complex DFT at half length: a pack
// kernel, the DFT, and a split kernel that forms the n/2 + 1 bins (rfft); a merge kernel that
// forms the half-length spectrum from the bins, the inverse DFT, and an unpack kernel (irfft).
// Odd lengths run a complex DFT of full length: real samples, or the Hermitian spectrum expanded,
// in; the first bins, or the real parts, out. Every load and store kernel also applies Bluestein's
// chirp when the complex DFT's length is not a power of two.

// ——— even n: packed half-length transforms ———

function packKernel(this: KernelThis, x: number[][], chirp: number[], sign: number): number {
  const col = this.thread.x;
  const row = this.thread.y;
  const j = Math.floor(col / 2);
  const part = col - 2 * j;
  let re = 0;
  let im = 0;
  if (2 * j < this.constants.valid) {
    re = x[row][2 * j];
  }
  if (2 * j + 1 < this.constants.valid) {
    im = x[row][2 * j + 1];
  }
  if (this.constants.chirp > 0.5) {
    if (j > this.constants.h - 0.5) return 0;
    const pr = chirp[2 * j];
    const pi = chirp[2 * j + 1] * sign;
    if (part < 0.5) return re * pr - im * pi;
    return re * pi + im * pr;
  }
  if (part < 0.5) return re;
  return im;
}

function splitKernel(
  this: KernelThis,
  y: number[][],
  chirp: number[],
  sign: number,
  scale: number,
  tw: number[],
): number {
  const col = this.thread.x;
  const row = this.thread.y;
  const k = Math.floor(col / 2);
  const part = col - 2 * k;
  const h = this.constants.h;
  // X_k = E + (−i)·W^k·D with E = ½(Z_k + conj Z_{h−k}), D = ½(Z_k − conj Z_{h−k}) (indices mod h).
  let ka = k;
  if (ka > h - 0.5) {
    ka = 0;
  }
  let kb = h - k;
  if (kb > h - 0.5) {
    kb = 0;
  }
  let ar = y[row][2 * ka];
  let ai = y[row][2 * ka + 1];
  let br = y[row][2 * kb];
  let bi = y[row][2 * kb + 1];
  if (this.constants.chirp > 0.5) {
    const pr = chirp[2 * ka];
    const pi = chirp[2 * ka + 1] * sign;
    const tr = ar * pr - ai * pi;
    ai = ar * pi + ai * pr;
    ar = tr;
    const qr = chirp[2 * kb];
    const qi = chirp[2 * kb + 1] * sign;
    const ur = br * qr - bi * qi;
    bi = br * qi + bi * qr;
    br = ur;
  }
  const er = 0.5 * scale * (ar + br);
  const ei = 0.5 * scale * (ai - bi);
  const dr = 0.5 * scale * (ar - br);
  const di = 0.5 * scale * (ai + bi);
  const wr = tw[2 * k];
  const wi = tw[2 * k + 1];
  const gr = wr * dr - wi * di;
  const gi = wr * di + wi * dr;
  if (part < 0.5) return er + gi;
  return ei - gr;
}

function mergeKernel(this: KernelThis, X: number[][], chirp: number[], sign: number, tw: number[]): number {
  const col = this.thread.x;
  const row = this.thread.y;
  const j = Math.floor(col / 2);
  const part = col - 2 * j;
  const h = this.constants.h;
  const bins = this.constants.bins;
  if (j > h - 0.5) return 0;
  // Z_j = E + i·conj(W^j)·D with E = ½(X_j + conj X_{h−j}), D = ½(X_j − conj X_{h−j}); numpy's
  // irfft reads the DC and Nyquist bins as real.
  let ar = 0;
  let ai = 0;
  let br = 0;
  let bi = 0;
  if (j < bins) {
    ar = X[row][2 * j];
    if (j > 0.5) {
      ai = X[row][2 * j + 1];
    }
  }
  const kb = h - j;
  if (kb < bins) {
    br = X[row][2 * kb];
    if (kb < h - 0.5) {
      bi = X[row][2 * kb + 1];
    }
  }
  const er = 0.5 * (ar + br);
  const ei = 0.5 * (ai - bi);
  const dr = 0.5 * (ar - br);
  const di = 0.5 * (ai + bi);
  const wr = tw[2 * j];
  const wi = -tw[2 * j + 1];
  const orr = wr * dr - wi * di;
  const oi = wr * di + wi * dr;
  const zr = er - oi;
  const zi = ei + orr;
  if (this.constants.chirp > 0.5) {
    const pr = chirp[2 * j];
    const pi = chirp[2 * j + 1] * sign;
    if (part < 0.5) return zr * pr - zi * pi;
    return zr * pi + zi * pr;
  }
  if (part < 0.5) return zr;
  return zi;
}

function unpackKernel(this: KernelThis, y: number[][], chirp: number[], sign: number, scale: number): number {
  const t = this.thread.x;
  const row = this.thread.y;
  const j = Math.floor(t / 2);
  const part = t - 2 * j;
  const yr = y[row][2 * j];
  const yi = y[row][2 * j + 1];
  if (this.constants.chirp > 0.5) {
    const pr = chirp[2 * j];
    const pi = chirp[2 * j + 1] * sign;
    if (part < 0.5) return (yr * pr - yi * pi) * scale;
    return (yr * pi + yi * pr) * scale;
  }
  if (part < 0.5) return yr * scale;
  return yi * scale;
}

// ——— odd n: complex transforms of full length ———

function loadRealKernel(this: KernelThis, x: number[][], chirp: number[], sign: number): number {
  const col = this.thread.x;
  const row = this.thread.y;
  const j = Math.floor(col / 2);
  const part = col - 2 * j;
  let re = 0;
  if (j < this.constants.valid) {
    re = x[row][j];
  }
  if (this.constants.chirp > 0.5) {
    if (j < this.constants.valid) {
      if (part < 0.5) return re * chirp[2 * j];
      return re * chirp[2 * j + 1] * sign;
    }
    return 0;
  }
  if (part < 0.5) return re;
  return 0;
}

function loadHermitianKernel(this: KernelThis, x: number[][], chirp: number[], sign: number): number {
  const col = this.thread.x;
  const row = this.thread.y;
  const j = Math.floor(col / 2);
  const part = col - 2 * j;
  const n = this.constants.n;
  const bins = this.constants.bins;
  let re = 0;
  let im = 0;
  if (2 * j <= n) {
    if (j < bins) {
      re = x[row][2 * j];
      // numpy's irfft reads the DC and Nyquist bins as real.
      if (j > 0.5 && 2 * j < n) {
        im = x[row][2 * j + 1];
      }
    }
  } else if (j < n) {
    const k = n - j;
    if (k < bins) {
      re = x[row][2 * k];
      im = -x[row][2 * k + 1];
    }
  }
  if (this.constants.chirp > 0.5) {
    if (j < n) {
      const pr = chirp[2 * j];
      const pi = chirp[2 * j + 1] * sign;
      if (part < 0.5) return re * pr - im * pi;
      return re * pi + im * pr;
    }
    return 0;
  }
  if (part < 0.5) return re;
  return im;
}

function storeComplexKernel(
  this: KernelThis,
  y: number[][],
  chirp: number[],
  sign: number,
  scale: number,
): number {
  const col = this.thread.x;
  const row = this.thread.y;
  const k = Math.floor(col / 2);
  const part = col - 2 * k;
  const yr = y[row][2 * k];
  const yi = y[row][2 * k + 1];
  if (this.constants.chirp > 0.5) {
    const pr = chirp[2 * k];
    const pi = chirp[2 * k + 1] * sign;
    if (part < 0.5) return (yr * pr - yi * pi) * scale;
    return (yr * pi + yi * pr) * scale;
  }
  if (part < 0.5) return yr * scale;
  return yi * scale;
}

function storeRealKernel(
  this: KernelThis,
  y: number[][],
  chirp: number[],
  sign: number,
  scale: number,
): number {
  const t = this.thread.x;
  const row = this.thread.y;
  if (this.constants.chirp > 0.5) {
    return (y[row][2 * t] * chirp[2 * t] - y[row][2 * t + 1] * chirp[2 * t + 1] * sign) * scale;
  }
  return y[row][2 * t] * scale;
}

const PACK_SOURCE = kernelSource(packKernel);
const SPLIT_SOURCE = kernelSource(splitKernel);
const MERGE_SOURCE = kernelSource(mergeKernel);
const UNPACK_SOURCE = kernelSource(unpackKernel);
const LOAD_REAL_SOURCE = kernelSource(loadRealKernel);
const LOAD_HERMITIAN_SOURCE = kernelSource(loadHermitianKernel);
const STORE_COMPLEX_SOURCE = kernelSource(storeComplexKernel);
const STORE_REAL_SOURCE = kernelSource(storeRealKernel);

const where = (x: ComplexRows) => (x.device ? 'd' : 'h');

/**
 * Real FFTs of rows on the device: `x` holds `x.rows` rows of `x.width` real samples (zero-padded
 * or truncated to n). Returns the spectra there, complex [2·(⌊n/2⌋+1), rows]. Transforms whose
 * results must coexist need different `tag`s (see `runDft`).
 */
export async function runRfft(rt: GpuJsRuntime, x: ComplexRows, n: number, tag = ''): Promise<DeviceValue> {
  const plan = realFftPlan(n);
  const inner = plan.inner;
  const { rows } = x;
  const bins = Math.floor(n / 2) + 1;
  const key = `${n}${tag}:${x.width}x${rows}${where(x)}`;
  const chirp = inner.bluestein ? 1 : 0;
  if (plan.packed) {
    const packed = await rt.run(
      {
        key: `rfft-pack:${key}`,
        source: PACK_SOURCE,
        output: [2 * inner.m, rows],
        constants: { valid: Math.min(x.width, n), h: n / 2, chirp },
      },
      [x.value, ...chirpArgs(inner, -1)],
    );
    const y = await runDft(rt, inner, packed, rows, -1, tag);
    return rt.run(
      {
        key: `rfft-split:${key}`,
        source: SPLIT_SOURCE,
        output: [2 * bins, rows],
        constants: { h: n / 2, chirp },
      },
      [y, ...chirpArgs(inner, -1), storeScale(inner, 1), plan.twiddles],
    );
  }
  const loaded = await rt.run(
    {
      key: `rfft-load:${key}`,
      source: LOAD_REAL_SOURCE,
      output: [2 * inner.m, rows],
      constants: { valid: Math.min(x.width, n), chirp },
    },
    [x.value, ...chirpArgs(inner, -1)],
  );
  const y = await runDft(rt, inner, loaded, rows, -1, tag);
  return rt.run(
    {
      key: `rfft-store:${key}`,
      source: STORE_COMPLEX_SOURCE,
      output: [2 * bins, rows],
      constants: { chirp },
    },
    [y, ...chirpArgs(inner, -1), storeScale(inner, 1)],
  );
}

/**
 * Inverse real FFTs of rows on the device (numpy semantics): `x` holds `x.rows` rows of `x.width`
 * bins, read as numpy's irfft reads them for length n. Returns the first `count` ≤ n samples of
 * each inverse there, real [count, rows].
 */
export async function runIrfft(
  rt: GpuJsRuntime,
  x: ComplexRows,
  n: number,
  count = n,
  tag = '',
): Promise<DeviceValue> {
  const plan = realFftPlan(n);
  const inner = plan.inner;
  const { rows } = x;
  const key = `${n}${tag}:${x.width}x${rows}${where(x)}`;
  const chirp = inner.bluestein ? 1 : 0;
  if (plan.packed) {
    const h = n / 2;
    const merged = await rt.run(
      {
        key: `irfft-merge:${key}`,
        source: MERGE_SOURCE,
        output: [2 * inner.m, rows],
        constants: { h, bins: x.width, chirp },
      },
      [x.value, ...chirpArgs(inner, 1), plan.twiddles],
    );
    const y = await runDft(rt, inner, merged, rows, 1, tag);
    return rt.run(
      {
        key: `irfft-unpack:${key}:${count}`,
        source: UNPACK_SOURCE,
        output: [count, rows],
        constants: { chirp },
      },
      [y, ...chirpArgs(inner, 1), storeScale(inner, 1 / h)],
    );
  }
  const loaded = await rt.run(
    {
      key: `irfft-load:${key}`,
      source: LOAD_HERMITIAN_SOURCE,
      output: [2 * inner.m, rows],
      constants: { n, bins: x.width, chirp },
    },
    [x.value, ...chirpArgs(inner, 1)],
  );
  const y = await runDft(rt, inner, loaded, rows, 1, tag);
  return rt.run(
    {
      key: `irfft-store:${key}:${count}`,
      source: STORE_REAL_SOURCE,
      output: [count, rows],
      constants: { chirp },
    },
    [y, ...chirpArgs(inner, 1), storeScale(inner, 1 / n)],
  );
}

/** Checks a transform's input: x [rows, width], n an integer ≥ 1; returns [rows, width]. */
function transformDims({ x, n }: TransformInput, complex: boolean): [number, number] {
  const names = ['rows', complex ? 'bins' : 'length'];
  const [rows, width] = complex ? complexShape('x', x, names) : realShape('x', x, names);
  assertInteger('n', n, 1);
  return [rows, width];
}

/** The number of values in the largest array of a real transform of `rows` rows of length n. */
export function realFftLargest(rows: number, n: number): number {
  return 2 * rows * realFftPlan(n).inner.m;
}

/**
 * The backend's `rfft`: x real [rows, len], zero-padded or truncated to n → complex
 * [rows, ⌊n/2⌋+1], in float32 on gpu.js.
 */
export const rfftOp: GpuJsOp<TransformInput, { out: ComplexTensor }> = {
  async run(rt, input) {
    const [rows, width] = transformDims(input, false);
    const { n } = input;
    const bins = Math.floor(n / 2) + 1;
    if (rows === 0) return { out: { data: new Float32Array(0), shape: [0, bins] } };
    // Rows of length 0 load as zeros, as rows of one zero sample.
    const x: ComplexRows =
      width === 0
        ? { value: rt.input(new Float32Array(rows), [1, rows]), device: false, width: 1, rows }
        : { value: rt.input(float32(input.x.data), [width, rows]), device: false, width, rows };
    const out = await runRfft(rt, x, n);
    return { out: { data: await rt.read(out, 2 * rows * bins), shape: [rows, bins] } };
  },
  largestArray: ({ x, n }) => Math.max(realFftLargest(x.shape[0], n), x.data.length),
};

/**
 * The backend's `irfft`: X complex [rows, bins] (read as numpy reads it for length n) → real
 * [rows, n], in float32 on gpu.js.
 */
export const irfftOp: GpuJsOp<TransformInput, { out: Tensor }> = {
  async run(rt, input) {
    const [rows, bins] = transformDims(input, true);
    const { n } = input;
    if (rows === 0) return { out: { data: new Float32Array(0), shape: [0, n] } };
    // No bins: the spectrum is zero, as a row of one zero bin.
    const x: ComplexRows =
      bins === 0
        ? { value: rt.input(new Float32Array(2 * rows), [2, rows]), device: false, width: 1, rows }
        : { value: rt.input(float32(input.x.data), [2 * bins, rows]), device: false, width: bins, rows };
    const out = await runIrfft(rt, x, n);
    return { out: { data: await rt.read(out, rows * n), shape: [rows, n] } };
  },
  largestArray: ({ x, n }) => Math.max(realFftLargest(x.shape[0], n), x.data.length),
};
