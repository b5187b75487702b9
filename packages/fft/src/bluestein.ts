import type { ComplexKernel } from './kernel';

/**
 * Bluestein's algorithm: a DFT of any length n as a convolution with a chirp, computed by an
 * inner transform of a fast length m ≥ 2n − 1. With jk = (j² + k² − (k − j)²)/2,
 * X_k = c_k · Σ_j (x_j c_j) · conj(c_{k−j}) where c_j = e^{sign·iπj²/n}.
 */
export class BluesteinFft implements ComplexKernel {
  readonly n: number;
  private readonly inner: ComplexKernel;
  /** (cos, sin)(πj²/n) for j < n. */
  private readonly chirp: Float64Array;
  /** Spectrum of the forward filter conj(c_j) (j taken cyclically mod m), scaled by 1/m. */
  private readonly filter: Float64Array;
  /** The chirped input, zero beyond n, and the convolution result (also zero-filled past n). */
  private readonly chirped: Float64Array;
  /** Spectrum of the chirped input. */
  private readonly spectrum: Float64Array;

  constructor(n: number, inner: ComplexKernel) {
    const m = inner.n;
    if (m < 2 * n - 1) throw new RangeError(`Bluestein needs an inner length ≥ ${2 * n - 1}; got ${m}`);
    this.n = n;
    this.inner = inner;
    this.chirp = new Float64Array(2 * n);
    for (let j = 0; j < n; j++) {
      // j² mod 2n keeps the angle small, hence accurate, for large j
      const theta = (Math.PI * ((j * j) % (2 * n))) / n;
      this.chirp[2 * j] = Math.cos(theta);
      this.chirp[2 * j + 1] = Math.sin(theta);
    }
    this.filter = new Float64Array(2 * m);
    for (let j = 0; j < n; j++) {
      const re = this.chirp[2 * j] / m;
      const im = this.chirp[2 * j + 1] / m;
      this.filter[2 * j] = re;
      this.filter[2 * j + 1] = im;
      if (j > 0) {
        this.filter[2 * (m - j)] = re;
        this.filter[2 * (m - j) + 1] = im;
      }
    }
    inner.run(this.filter, 0, this.filter, 0, -1);
    this.chirped = new Float64Array(2 * m);
    this.spectrum = new Float64Array(2 * m);
  }

  run(src: Float64Array, srcOffset: number, dst: Float64Array, dstOffset: number, sign: 1 | -1): void {
    const { n, chirp, filter, chirped, spectrum, inner } = this;
    for (let j = 0; j < 2 * n; j += 2) {
      const cr = chirp[j];
      const ci = sign * chirp[j + 1];
      const xr = src[srcOffset + j];
      const xi = src[srcOffset + j + 1];
      chirped[j] = xr * cr - xi * ci;
      chirped[j + 1] = xr * ci + xi * cr;
    }
    // separate input and output buffers let the inner kernel ping-pong through its output
    // instead of two scratch buffers; the chirped input is zero past n
    inner.run(chirped, 0, spectrum, 0, -1, n);
    // the filter is symmetric in j, so the inverse filter's spectrum is the conjugate
    const fs = -sign;
    for (let k = 0; k < spectrum.length; k += 2) {
      const ar = spectrum[k];
      const ai = spectrum[k + 1];
      const br = filter[k];
      const bi = fs * filter[k + 1];
      spectrum[k] = ar * br - ai * bi;
      spectrum[k + 1] = ar * bi + ai * br;
    }
    // only the first n values of the convolution are used
    inner.run(spectrum, 0, chirped, 0, 1, inner.n, n);
    for (let k = 0; k < 2 * n; k += 2) {
      const cr = chirp[k];
      const ci = sign * chirp[k + 1];
      const yr = chirped[k];
      const yi = chirped[k + 1];
      dst[dstOffset + k] = yr * cr - yi * ci;
      dst[dstOffset + k + 1] = yr * ci + yi * cr;
    }
    chirped.fill(0, 2 * n);
  }
}
