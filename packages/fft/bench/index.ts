import { type ArrayOf, allocate, createRng, type DType, tensor } from '@statespace/complex';
import { measureMs, report } from '@statespace/testing';
import FFT from 'fft.js';
import { causalConv, fftPlan, rfftPlan } from '../src/index';

// One JSON line per figure, in µs per call (ms for the convolution), ours beside fft.js in the same
// run. fft.js gets typed arrays of the same precision. For real input its fastest API is
// `realTransform` alone: it fills the non-negative half of the spectrum, the same information as
// our ⌊n/2⌋ + 1 bins (`completeSpectrum` would add a pass that we do not do either).
//
// Each figure is a median of 25 samples (measureMs). Contenders are measured in alternating rounds
// and each keeps its lowest median, so that a burst of load from other processes on the machine
// does not decide a comparison.

const ROUNDS = 3;
const rng = createRng(2024);

function random<D extends DType>(length: number, dtype: D): ArrayOf<D> {
  const data = allocate(dtype, length);
  for (let i = 0; i < length; i++) data[i] = rng.normal();
  return data;
}

/** The lowest over ROUNDS alternating rounds of each function's median µs per call. */
function microseconds(n: number, fns: Array<() => unknown>): number[] {
  const repeat = Math.max(1, Math.round(100_000 / n));
  const best = fns.map(() => Number.POSITIVE_INFINITY);
  for (let round = 0; round < ROUNDS; round++) {
    fns.forEach((fn, i) => {
      const us = 1000 * measureMs(fn, { warmup: 10 * repeat, samples: 25, repeat });
      best[i] = Math.min(best[i], us);
    });
  }
  return best;
}

const round = (v: number, digits = 1) => Number(v.toFixed(digits));

function powerOfTwoSizes(dtype: DType): void {
  for (const n of [1024, 4096, 16384, 65536]) {
    const x = random(2 * n, dtype);
    const out = random(2 * n, dtype);
    const plan = fftPlan(n, dtype);
    const reference = new FFT(n);
    const [ours, theirs] = microseconds(n, [() => plan.forward(x, out), () => reference.transform(out, x)]);
    report({
      name: 'fft',
      value: round(ours),
      unit: 'us',
      n,
      dtype,
      library: 'statespace',
      vsFftJs: round(ours / theirs, 2),
    });
    report({ name: 'fft', value: round(theirs), unit: 'us', n, dtype, library: 'fft.js transform' });
    const [inverse, theirsInverse] = microseconds(n, [
      () => plan.inverse(x, out),
      () => reference.inverseTransform(out, x),
    ]);
    report({
      name: 'ifft',
      value: round(inverse),
      unit: 'us',
      n,
      dtype,
      library: 'statespace',
      vsFftJs: round(inverse / theirsInverse, 2),
    });
    report({
      name: 'ifft',
      value: round(theirsInverse),
      unit: 'us',
      n,
      dtype,
      library: 'fft.js inverseTransform',
    });

    const real = random(n, dtype);
    const bins = random(2 * (n / 2 + 1), dtype);
    const realPlan = rfftPlan(n, dtype);
    const [oursReal, theirsReal, oursInverseReal] = microseconds(n, [
      () => realPlan.forward(real, bins),
      () => reference.realTransform(out, real),
      () => realPlan.inverse(bins, real),
    ]);
    report({
      name: 'rfft',
      value: round(oursReal),
      unit: 'us',
      n,
      dtype,
      library: 'statespace',
      vsFftJs: round(oursReal / theirsReal, 2),
    });
    report({ name: 'rfft', value: round(theirsReal), unit: 'us', n, dtype, library: 'fft.js realTransform' });
    report({ name: 'irfft', value: round(oursInverseReal), unit: 'us', n, dtype, library: 'statespace' });
  }
}

function anyLengths(): void {
  const dtype = 'float64';
  for (const n of [1000, 4097, 10007, 16385]) {
    let pow2 = 1;
    while (pow2 < n) pow2 *= 2;
    const x = random(2 * n, dtype);
    const out = random(2 * n, dtype);
    const px = random(2 * pow2, dtype);
    const pout = random(2 * pow2, dtype);
    const plan = fftPlan(n, dtype);
    const pplan = fftPlan(pow2, dtype);
    const real = random(n, dtype);
    const bins = random(2 * ((n >> 1) + 1), dtype);
    const preal = random(pow2, dtype);
    const pbins = random(2 * (pow2 / 2 + 1), dtype);
    const realPlan = rfftPlan(n, dtype);
    const prealPlan = rfftPlan(pow2, dtype);
    const [ours, atPow2, oursReal, realAtPow2] = microseconds(n, [
      () => plan.forward(x, out),
      () => pplan.forward(px, pout),
      () => realPlan.forward(real, bins),
      () => prealPlan.forward(preal, pbins),
    ]);
    const extra = { n, dtype, nextPowerOfTwo: pow2 };
    report({
      name: 'fft any length',
      value: round(ours),
      unit: 'us',
      ...extra,
      atNextPowerOfTwo: round(atPow2),
      ratio: round(ours / atPow2, 2),
    });
    report({
      name: 'rfft any length',
      value: round(oursReal),
      unit: 'us',
      ...extra,
      atNextPowerOfTwo: round(realAtPow2),
      ratio: round(oursReal / realAtPow2, 2),
    });
  }
}

function convolution(dtype: DType): void {
  const [B, H, L] = [8, 256, 4096];
  const u = tensor(random(B * H * L, dtype), [B, H, L]);
  const k = tensor(random(H * L, dtype), [H, L]);
  const D = random(H, dtype);
  const ms = measureMs(() => causalConv(u, k, { D }), { warmup: 1, samples: 5 });
  report({ name: 'causalConv', value: round(ms), unit: 'ms', B, H, L, Lk: L, dtype });
}

powerOfTwoSizes('float64');
powerOfTwoSizes('float32');
anyLengths();
convolution('float32');
convolution('float64');
