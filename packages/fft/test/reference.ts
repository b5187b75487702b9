import { createRng } from '@statespace/complex';

// Float64 references for the tests: the O(n²) DFT straight from its definition, with exact
// angle reduction (jk mod n) so that the reference itself is accurate to rounding.

/** Bins `bins` (default all) of Σ_j x_j e^{sign·2πi·jk/n} for interleaved complex x of length n. */
export function dft(x: ArrayLike<number>, sign: 1 | -1, bins?: readonly number[]): Float64Array {
  const n = x.length / 2;
  const cos = new Float64Array(n);
  const sin = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    cos[t] = Math.cos((2 * Math.PI * t) / n);
    sin[t] = sign * Math.sin((2 * Math.PI * t) / n);
  }
  const ks = bins ?? Array.from({ length: n }, (_, k) => k);
  const out = new Float64Array(2 * ks.length);
  ks.forEach((k, i) => {
    let re = 0;
    let im = 0;
    let t = 0;
    for (let j = 0; j < n; j++) {
      re += x[2 * j] * cos[t] - x[2 * j + 1] * sin[t];
      im += x[2 * j] * sin[t] + x[2 * j + 1] * cos[t];
      t += k;
      if (t >= n) t -= n;
    }
    out[2 * i] = re;
    out[2 * i + 1] = im;
  });
  return out;
}

/** `count` standard normal values from a seeded generator. */
export function randomArray(count: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: count }, () => rng.normal());
}

/** Real samples as interleaved complex values with zero imaginary parts. */
export function asComplex(x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(2 * x.length);
  for (let i = 0; i < x.length; i++) out[2 * i] = x[i];
  return out;
}

/** Picks the interleaved entries of the listed complex indices. */
export function pick(x: ArrayLike<number>, indices: readonly number[]): Float64Array {
  const out = new Float64Array(2 * indices.length);
  indices.forEach((k, i) => {
    out[2 * i] = x[2 * k];
    out[2 * i + 1] = x[2 * k + 1];
  });
  return out;
}
