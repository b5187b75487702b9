import type { DeviceValue, GpuJsRuntime, KernelThis } from '../runtime';
import { kernelSource } from '../runtime';
import { hostRows, runComplexBinary } from './elementwise';
import type { FftPlan } from './fft-plan';

// Complex DFTs of rows on gpu.js, the values staying on the device between kernels (gpu.js
// pipeline mode): Stockham passes — radix 4, two kernels in turn, then one radix-2 pass for odd
// powers of two — and, for lengths that are not powers of two, Bluestein's convolution (forward
// passes, × the chirp kernel's spectrum, inverse passes). Rows are interleaved complex, gpu.js
// output [2·m, rows]; load and store kernels (fft-real.ts) build the inputs, apply Bluestein's chirp
// and keep what the caller needs. Twiddles and chirps come from float64 host tables (fft-plan.ts).

function pass2Kernel(this: KernelThis, x: number[][], tw: number[], ns: number, sign: number): number {
  const col = this.thread.x;
  const row = this.thread.y;
  const o = Math.floor(col / 2);
  const part = col - 2 * o;
  // Output o = q·2ns + t·ns + k takes x[j] ± w^k·x[j + m/2] with j = q·ns + k, w = exp(∓iπ/ns).
  const span = 2 * ns;
  const q = Math.floor(o / span);
  const rem = o - q * span;
  let t = 0;
  if (rem >= ns) {
    t = 1;
  }
  const k = rem - t * ns;
  const j = q * ns + k;
  const half = this.constants.half;
  const e = k * (half / ns);
  const wr = tw[2 * e];
  const wi = tw[2 * e + 1] * sign;
  const br = x[row][2 * (j + half)];
  const bi = x[row][2 * (j + half) + 1];
  const s = 1 - 2 * t;
  if (part < 0.5) return x[row][2 * j] + s * (wr * br - wi * bi);
  return x[row][2 * j + 1] + s * (wr * bi + wi * br);
}

function pass4Kernel(this: KernelThis, x: number[][], tw: number[], ns: number, sign: number): number {
  const col = this.thread.x;
  const row = this.thread.y;
  const o = Math.floor(col / 2);
  const part = col - 2 * o;
  // Output o = q·4ns + t·ns + k is entry t of the 4-point DFT of a_r = w^(r·k)·x[j + r·m/4],
  // j = q·ns + k, w = exp(∓2πi/(4ns)) (the twiddle table's entry r·k·m/(4ns)).
  const span = 4 * ns;
  const q = Math.floor(o / span);
  const rem = o - q * span;
  const t = Math.floor(rem / ns);
  const k = rem - t * ns;
  const j = q * ns + k;
  const quarter = this.constants.quarter;
  const e = k * (quarter / ns);
  const a0r = x[row][2 * j];
  const a0i = x[row][2 * j + 1];
  const x1r = x[row][2 * (j + quarter)];
  const x1i = x[row][2 * (j + quarter) + 1];
  const w1r = tw[2 * e];
  const w1i = tw[2 * e + 1] * sign;
  const a1r = x1r * w1r - x1i * w1i;
  const a1i = x1r * w1i + x1i * w1r;
  const x2r = x[row][2 * (j + 2 * quarter)];
  const x2i = x[row][2 * (j + 2 * quarter) + 1];
  const w2r = tw[4 * e];
  const w2i = tw[4 * e + 1] * sign;
  const a2r = x2r * w2r - x2i * w2i;
  const a2i = x2r * w2i + x2i * w2r;
  const x3r = x[row][2 * (j + 3 * quarter)];
  const x3i = x[row][2 * (j + 3 * quarter) + 1];
  const w3r = tw[6 * e];
  const w3i = tw[6 * e + 1] * sign;
  const a3r = x3r * w3r - x3i * w3i;
  const a3i = x3r * w3i + x3i * w3r;
  // y_t = (a0 + (−1)^t·a2) + ω^t·(a1 + (−1)^t·a3), ω = −i·sign (exp(∓2πi/4)).
  let er = a0r + a2r;
  let ei = a0i + a2i;
  let fr = a1r + a3r;
  let fi = a1i + a3i;
  if (t > 0.5 && t < 1.5) {
    er = a0r - a2r;
    ei = a0i - a2i;
    // ω·(a1 − a3) = −i·sign·(d) = (sign·di, −sign·dr)
    fr = sign * (a1i - a3i);
    fi = -sign * (a1r - a3r);
  }
  if (t > 1.5 && t < 2.5) {
    fr = -fr;
    fi = -fi;
  }
  if (t > 2.5) {
    er = a0r - a2r;
    ei = a0i - a2i;
    // ω³·d = i·sign·d = (−sign·di, sign·dr)
    fr = -sign * (a1i - a3i);
    fi = sign * (a1r - a3r);
  }
  if (part < 0.5) return er + fr;
  return ei + fi;
}

const PASS2_SOURCE = kernelSource(pass2Kernel);
const PASS4_SOURCE = kernelSource(pass4Kernel);

/** The sign of a DFT: −1 forward (exp(−2πi·jk/n)), +1 inverse (unnormalized). */
export type DftSign = 1 | -1;

/**
 * The Stockham passes of an m-point DFT (m a power of two) of `rows` rows on the device — radix 4
 * while it divides what is left, then one radix-2 pass when log₂ m is odd; returns the transformed
 * rows there ([2·m, rows], natural order).
 */
async function runPasses(
  rt: GpuJsRuntime,
  plan: FftPlan,
  value: DeviceValue,
  rows: number,
  sign: DftSign,
  tag: string,
): Promise<DeviceValue> {
  const { m } = plan;
  let current = value;
  // Kernels in turn: a pass never reads the result it overwrites. The twiddles are exp(−2πi·k/m):
  // conjugated for the inverse.
  let i = 0;
  let ns = 1;
  for (; 4 * ns <= m; ns *= 4, i++) {
    current = await rt.run(
      {
        key: `fft-pass4-${i % 2}${tag}:${m}x${rows}`,
        source: PASS4_SOURCE,
        output: [2 * m, rows],
        constants: { quarter: m / 4 },
      },
      [current, plan.twiddles, ns, -sign],
    );
  }
  if (ns < m) {
    current = await rt.run(
      {
        key: `fft-pass2${tag}:${m}x${rows}`,
        source: PASS2_SOURCE,
        output: [2 * m, rows],
        constants: { half: m / 2 },
      },
      [current, plan.twiddles, ns, -sign],
    );
  }
  return current;
}

/**
 * The DFT (sign −1 forward, +1 inverse, unnormalized) of rows already loaded by a load kernel of
 * this plan (which applied the chirp for Bluestein). Returns [2·m, rows] on the device; for
 * Bluestein the DFT is the chirp times the first n values over m (what the store kernels apply).
 * Transforms whose results must coexist (the same plan and row count) need different `tag`s: the
 * result lives in the output of a pass kernel that the next transform of the same key overwrites.
 */
export async function runDft(
  rt: GpuJsRuntime,
  plan: FftPlan,
  loaded: DeviceValue,
  rows: number,
  sign: DftSign,
  tag = '',
): Promise<DeviceValue> {
  if (!plan.bluestein) return runPasses(rt, plan, loaded, rows, sign, tag);
  const spectrum = await runPasses(rt, plan, loaded, rows, -1, tag);
  const product = await runComplexBinary(
    rt,
    'mul',
    { value: spectrum, device: true, width: plan.m, rows },
    hostRows(rt, plan.kernelSpectrum, plan.m, 1),
    sign === 1,
  );
  return runPasses(rt, plan, product, rows, 1, tag);
}

/** A load or store kernel's chirp arguments: the table, and the sign multiplier of its imaginary parts. */
export const chirpArgs = (plan: FftPlan, sign: DftSign): [Float32Array, number] => [
  plan.chirp,
  sign === 1 ? -1 : 1,
];

/** The scale a store kernel applies on top of `scale`: 1/m after Bluestein's inverse passes. */
export const storeScale = (plan: FftPlan, scale: number): number => (plan.bluestein ? scale / plan.m : scale);
