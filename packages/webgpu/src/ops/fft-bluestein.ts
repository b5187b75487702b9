import type { GpuArray, GpuContext } from '../gpu-context';
import { complexLoad, type FftSide } from './fft-io';
import { recordPow2Fft, recordPow2Transform } from './fft-stockham';
import { cachedArray, unitRoot } from './fft-tables';

// FFTs of lengths that are not powers of two (Bluestein's chirp-z algorithm): with the chirp
// c_k = exp(−iπk²/n), X_k = c_k · Σ_j (x_j c_j)·conj(c_(k−j)), a convolution computed with power-of-two
// FFTs of a length m ≥ 2n − 1. The inverse is conj(forward(conj x)). The chirp and the spectrum of
// conj(c) wrapped to length m (divided by m, which folds in the inverse FFT's scaling) are made
// once per n and context. The chirp products and the spectrum product are fused into the loads
// and stores of the two length-m transforms.

/** The power-of-two length of the convolution behind a length-n Bluestein transform. */
export function bluesteinLength(n: number): number {
  return 2 ** Math.ceil(Math.log2(2 * n - 1));
}

interface Chirp {
  /** c_k = exp(−iπk²/n), k < n. */
  chirp: GpuArray;
  /** FFT_m of b (b_j = conj c_|j| for |j| < n, wrapped mod m), divided by m. */
  spectrum: GpuArray;
}

/** c_k = exp(−iπk²/n) for k < n, interleaved, in float64: k² is reduced mod 2n exactly. */
function chirpValues(n: number): Float64Array {
  const c = new Float64Array(2 * n);
  // (k + 1)² = k² + 2k + 1: the residue r = k² mod 2n stays an exact small integer.
  for (let k = 0, r = 0; k < n; r = (r + 2 * k + 1) % (2 * n), k++) {
    [c[2 * k], c[2 * k + 1]] = unitRoot(r, n);
  }
  return c;
}

function chirpOf(ctx: GpuContext, n: number): Chirp {
  const chirp = cachedArray(ctx, `bluestein-chirp:${n}`, () => ctx.upload(Float32Array.from(chirpValues(n))));
  const spectrum = cachedArray(ctx, `bluestein-spectrum:${n}`, () => {
    const m = bluesteinLength(n);
    const c = chirpValues(n);
    const b = new Float32Array(2 * m);
    for (let k = 0; k < n; k++) {
      for (const j of k === 0 ? [0] : [k, m - k]) {
        b[2 * j] = c[2 * k] / m;
        b[2 * j + 1] = -c[2 * k + 1] / m;
      }
    }
    const upload = ctx.upload(b);
    const out = recordPow2Fft(ctx, upload, 1, m, false);
    ctx.release(upload);
    return out;
  });
  return { chirp, spectrum };
}

/** Reads row r of the input as a_c = conjIf(x[r, c])·chirp_c for c < bn, 0 up to the length m. */
const chirpLoad: FftSide = {
  key: 'bluestein-in',
  bindings: [
    ['x', 'vec2<f32>', 'read'],
    ['chirpIn', 'vec2<f32>', 'read'],
  ],
  fields: ['bn', 'conjugate'],
  wgsl: /* wgsl */ `
fn load(row: u32, c: u32) -> vec2<f32> {
  if (c >= P.bn) {
    return vec2<f32>(0.0);
  }
  var v = x[row * P.bn + c];
  if (P.conjugate != 0u) {
    v.y = -v.y;
  }
  return cmul(v, chirpIn[c]);
}`,
};

/** Writes A_c·B_c: the spectrum times the cached spectrum of the conjugate chirp. */
const spectrumStore: FftSide = {
  key: 'bluestein-multiply',
  bindings: [
    ['a', 'vec2<f32>', 'read_write'],
    ['spectrum', 'vec2<f32>', 'read'],
  ],
  fields: [],
  wgsl: /* wgsl */ `
fn store(row: u32, c: u32, v: vec2<f32>) {
  a[row * P.n + c] = cmul(v, spectrum[c]);
}`,
};

/** Writes X[r, c] = conjIf(chirp_c·y_c) for c < bn (the convolution's tail is dropped). */
const chirpStore: FftSide = {
  key: 'bluestein-out',
  bindings: [
    ['out', 'vec2<f32>', 'read_write'],
    ['chirpOut', 'vec2<f32>', 'read'],
  ],
  fields: ['bn', 'conjugate'],
  wgsl: /* wgsl */ `
fn store(row: u32, c: u32, v: vec2<f32>) {
  if (c < P.bn) {
    var w = cmul(v, chirpOut[c]);
    if (P.conjugate != 0u) {
      w.y = -w.y;
    }
    out[row * P.bn + c] = w;
  }
}`,
};

/**
 * Records the FFT of each of `rows` rows of n complex values (any n ≥ 1) by Bluestein's algorithm,
 * unscaled forward or inverse, times `scale`, from `input` into `output` (rows × n each).
 */
export function recordBluestein(
  ctx: GpuContext,
  input: GpuArray,
  output: GpuArray,
  rows: number,
  n: number,
  inverse: boolean,
  scale: number,
): void {
  const m = bluesteinLength(n);
  const { chirp, spectrum } = chirpOf(ctx, n);
  const values = { bn: n, conjugate: inverse ? 1 : 0 };
  const products = ctx.allocate(rows * m * 8);
  recordPow2Transform(ctx, {
    rows,
    n: m,
    inverse: false,
    scale: 1,
    from: { side: chirpLoad, arrays: [input, chirp], values },
    to: { side: spectrumStore, arrays: [products, spectrum] },
  });
  recordPow2Transform(ctx, {
    rows,
    n: m,
    inverse: true,
    scale,
    from: { side: complexLoad, arrays: [products] },
    to: { side: chirpStore, arrays: [output, chirp], values },
  });
  ctx.release(products);
}
