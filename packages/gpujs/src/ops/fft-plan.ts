import { assertInteger } from '@statespace/complex';

// Host tables of the gpu.js FFTs, computed in float64 and stored as float32: twiddles of the
// power-of-two Stockham passes and, for any other length n, Bluestein's chirp and the spectrum of
// its convolution kernel. A DFT of length n with sign s (−1 forward, +1 inverse) is
//
//   X_k = p_k · Σ_j (x_j p_j) · conj(p_{k−j}),   p_j = exp(s·iπ·j²/n),
//
// a circular convolution of length m = 2^⌈log₂(2n − 1)⌉ done with power-of-two FFTs. The tables
// are stored for s = −1; the inverse uses their conjugates (p and the kernel's spectrum are
// symmetric, so conjugating them is exactly the s = +1 table).

/** The FFT plan of one length. */
export interface FftPlan {
  /** The transform length. */
  readonly n: number;
  /** The power-of-two length actually transformed: n, or Bluestein's convolution length. */
  readonly m: number;
  /** Whether n is not a power of two (Bluestein). */
  readonly bluestein: boolean;
  /** exp(−2πi·k/m) for k < m, interleaved complex. */
  readonly twiddles: Float32Array;
  /** Bluestein: p_j = exp(−iπ·j²/n) for j < n, interleaved complex; `[1, 0]` otherwise. */
  readonly chirp: Float32Array;
  /** Bluestein: the m-point forward DFT of b_t = conj(p_t) (t mod m, |t| < n); `[1, 0]` otherwise. */
  readonly kernelSpectrum: Float32Array;
}

const plans = new Map<number, FftPlan>();
/** Plans kept (a plan of length n holds ~4n floats). */
const MAX_PLANS = 64;

const isPowerOfTwo = (n: number): boolean => (n & (n - 1)) === 0;

/** The smallest power of two ≥ n (n ≥ 1). */
export function nextPowerOfTwo(n: number): number {
  let m = 1;
  while (m < n) m *= 2;
  return m;
}

/** exp(−2πi·k/m) for k < m (radix-4 passes reach k = 3(m/4 − 1)), in float64. */
function twiddleTable(m: number): Float32Array {
  const out = new Float32Array(2 * m);
  for (let k = 0; k < m; k++) {
    // The angle reduced to (−π, π]: cos/sin of large arguments lose digits.
    const angle = (-2 * Math.PI * (2 * k > m ? k - m : k)) / m;
    out[2 * k] = Math.cos(angle);
    out[2 * k + 1] = Math.sin(angle);
  }
  return out;
}

/** In-place float64 radix-2 forward DFT (sign −1) of length re.length, a power of two. */
function hostFft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  for (let size = 2; size <= n; size *= 2) {
    const half = size / 2;
    for (let k = 0; k < half; k++) {
      const angle = (-2 * Math.PI * k) / size;
      const wr = Math.cos(angle);
      const wi = Math.sin(angle);
      for (let start = 0; start < n; start += size) {
        const a = start + k;
        const b = a + half;
        const tr = re[b] * wr - im[b] * wi;
        const ti = re[b] * wi + im[b] * wr;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
      }
    }
  }
}

/** Bluestein's chirp p_j = exp(−iπ·j²/n) (j² reduced mod 2n exactly) and its kernel's spectrum. */
function bluesteinTables(n: number, m: number): { chirp: Float32Array; kernelSpectrum: Float32Array } {
  const pr = new Float64Array(n);
  const pi = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const r = (j * j) % (2 * n);
    const angle = (-Math.PI * r) / n;
    pr[j] = Math.cos(angle);
    pi[j] = Math.sin(angle);
  }
  const br = new Float64Array(m);
  const bi = new Float64Array(m);
  for (let t = 0; t < n; t++) {
    br[t] = pr[t];
    bi[t] = -pi[t];
    if (t > 0) {
      br[m - t] = pr[t];
      bi[m - t] = -pi[t];
    }
  }
  hostFft(br, bi);
  const chirp = new Float32Array(2 * n);
  const kernelSpectrum = new Float32Array(2 * m);
  for (let j = 0; j < n; j++) chirp.set([pr[j], pi[j]], 2 * j);
  for (let k = 0; k < m; k++) kernelSpectrum.set([br[k], bi[k]], 2 * k);
  return { chirp, kernelSpectrum };
}

/**
 * The (cached) plan of a transform of length n: Stockham passes for a power of two, Bluestein
 * otherwise.
 * @throws RangeError when n is not an integer ≥ 1.
 */
export function fftPlan(n: number): FftPlan {
  assertInteger('n', n, 1);
  const cached = plans.get(n);
  if (cached) return cached;
  const bluestein = !isPowerOfTwo(n);
  const m = bluestein ? nextPowerOfTwo(2 * n - 1) : n;
  const identity = new Float32Array([1, 0]);
  const tables = bluestein ? bluesteinTables(n, m) : { chirp: identity, kernelSpectrum: identity };
  const plan: FftPlan = { n, m, bluestein, twiddles: twiddleTable(m), ...tables };
  if (plans.size >= MAX_PLANS) plans.delete(plans.keys().next().value as number);
  plans.set(n, plan);
  return plan;
}

/**
 * The plan of a real transform of length n. For even n the n real samples of a row are packed
 * into n/2 complex values (x₂ⱼ + i·x₂ⱼ₊₁), transformed at half length and split into the
 * spectrum with the twiddles exp(−2πi·k/n), k ≤ n/2 (and merged back before an inverse): half
 * the work of a complex transform of length n. Odd n runs as a complex transform of length n.
 */
export interface RealFftPlan {
  readonly n: number;
  /** Whether n is even (packed half-length transform). */
  readonly packed: boolean;
  /** The complex transform: of length n/2 when packed, n otherwise. */
  readonly inner: FftPlan;
  /** Packed: exp(−2πi·k/n) for k ≤ n/2, interleaved complex; `[1, 0]` otherwise. */
  readonly twiddles: Float32Array;
}

const realPlans = new Map<number, RealFftPlan>();

/**
 * The (cached) plan of a real transform of length n (see {@link RealFftPlan}).
 * @throws RangeError when n is not an integer ≥ 1.
 */
export function realFftPlan(n: number): RealFftPlan {
  assertInteger('n', n, 1);
  const cached = realPlans.get(n);
  if (cached) return cached;
  const packed = n % 2 === 0;
  let twiddles = new Float32Array([1, 0]);
  if (packed) {
    const h = n / 2;
    twiddles = new Float32Array(2 * (h + 1));
    for (let k = 0; k <= h; k++) {
      const angle = (-2 * Math.PI * k) / n;
      twiddles[2 * k] = Math.cos(angle);
      twiddles[2 * k + 1] = Math.sin(angle);
    }
  }
  const plan: RealFftPlan = { n, packed, inner: fftPlan(packed ? n / 2 : n), twiddles };
  if (realPlans.size >= MAX_PLANS) realPlans.delete(realPlans.keys().next().value as number);
  realPlans.set(n, plan);
  return plan;
}
