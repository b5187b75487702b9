// One Stockham pass (decimation in frequency) per radix. A pass of radix r over sub-transforms of
// length len = r·m at stride s reads a_j = x[q + s(p + j·m)], j < r, takes their r-point DFT b_k and
// writes y[q + s(r·p + k)] = w^{kp}·b_k with w = e^{sign·2πi/len}; after the last pass the result is
// in natural order, so no bit reversal is needed. Indices below are in numbers (two per complex
// value). All kernels work on Float64Array buffers only: the plans convert float32 data at the
// boundary, which keeps every call site monomorphic and the arithmetic in double precision.
//
// `tw` holds, for each p, the r − 1 twiddles (cos θ, sin θ) with θ = 2πkp/len, k = 1 … r − 1;
// `sign` is −1 for the forward transform and +1 for the inverse (which uses conjugate twiddles).

/** Radix-2 pass. */
export function radix2(
  x: Float64Array,
  xo: number,
  y: Float64Array,
  yo: number,
  s: number,
  m: number,
  tw: Float64Array,
  sign: number,
): void {
  const span = 2 * s;
  const step = span * m;
  for (let p = 0; p < m; p++) {
    const wr = tw[2 * p];
    const wi = sign * tw[2 * p + 1];
    const xb = xo + span * p;
    const yb = yo + 2 * span * p;
    for (let q = 0; q < span; q += 2) {
      const i0 = xb + q;
      const i1 = i0 + step;
      const ar = x[i0];
      const ai = x[i0 + 1];
      const br = x[i1];
      const bi = x[i1 + 1];
      const o0 = yb + q;
      const o1 = o0 + span;
      y[o0] = ar + br;
      y[o0 + 1] = ai + bi;
      const dr = ar - br;
      const di = ai - bi;
      y[o1] = dr * wr - di * wi;
      y[o1 + 1] = dr * wi + di * wr;
    }
  }
}

/** Radix-3 pass. */
export function radix3(
  x: Float64Array,
  xo: number,
  y: Float64Array,
  yo: number,
  s: number,
  m: number,
  tw: Float64Array,
  sign: number,
): void {
  const span = 2 * s;
  const step = span * m;
  const h = sign * (Math.sqrt(3) / 2);
  for (let p = 0; p < m; p++) {
    const t = 4 * p;
    const w1r = tw[t];
    const w1i = sign * tw[t + 1];
    const w2r = tw[t + 2];
    const w2i = sign * tw[t + 3];
    const xb = xo + span * p;
    const yb = yo + 3 * span * p;
    for (let q = 0; q < span; q += 2) {
      const i0 = xb + q;
      const i1 = i0 + step;
      const i2 = i1 + step;
      const a0r = x[i0];
      const a0i = x[i0 + 1];
      const a1r = x[i1];
      const a1i = x[i1 + 1];
      const a2r = x[i2];
      const a2i = x[i2 + 1];
      const sr = a1r + a2r;
      const si = a1i + a2i;
      const mr = a0r - 0.5 * sr;
      const mi = a0i - 0.5 * si;
      const dr = h * (a1r - a2r);
      const di = h * (a1i - a2i);
      const b1r = mr - di;
      const b1i = mi + dr;
      const b2r = mr + di;
      const b2i = mi - dr;
      const o0 = yb + q;
      const o1 = o0 + span;
      const o2 = o1 + span;
      y[o0] = a0r + sr;
      y[o0 + 1] = a0i + si;
      y[o1] = b1r * w1r - b1i * w1i;
      y[o1 + 1] = b1r * w1i + b1i * w1r;
      y[o2] = b2r * w2r - b2i * w2i;
      y[o2 + 1] = b2r * w2i + b2i * w2r;
    }
  }
}

/** Radix-4 pass: the workhorse for powers of two (no multiplications inside the butterfly). */
export function radix4(
  x: Float64Array,
  xo: number,
  y: Float64Array,
  yo: number,
  s: number,
  m: number,
  tw: Float64Array,
  sign: number,
): void {
  const span = 2 * s;
  const step = span * m;
  for (let p = 0; p < m; p++) {
    const t = 6 * p;
    const w1r = tw[t];
    const w1i = sign * tw[t + 1];
    const w2r = tw[t + 2];
    const w2i = sign * tw[t + 3];
    const w3r = tw[t + 4];
    const w3i = sign * tw[t + 5];
    const xb = xo + span * p;
    const yb = yo + 4 * span * p;
    for (let q = 0; q < span; q += 2) {
      const i0 = xb + q;
      const i1 = i0 + step;
      const i2 = i1 + step;
      const i3 = i2 + step;
      const a0r = x[i0];
      const a0i = x[i0 + 1];
      const a1r = x[i1];
      const a1i = x[i1 + 1];
      const a2r = x[i2];
      const a2i = x[i2 + 1];
      const a3r = x[i3];
      const a3i = x[i3 + 1];
      const pr = a0r + a2r;
      const pi = a0i + a2i;
      const mr = a0r - a2r;
      const mi = a0i - a2i;
      const qr = a1r + a3r;
      const qi = a1i + a3i;
      // sign·i·(a1 − a3)
      const jr = -sign * (a1i - a3i);
      const ji = sign * (a1r - a3r);
      const b1r = mr + jr;
      const b1i = mi + ji;
      const b2r = pr - qr;
      const b2i = pi - qi;
      const b3r = mr - jr;
      const b3i = mi - ji;
      const o0 = yb + q;
      const o1 = o0 + span;
      const o2 = o1 + span;
      const o3 = o2 + span;
      y[o0] = pr + qr;
      y[o0 + 1] = pi + qi;
      y[o1] = b1r * w1r - b1i * w1i;
      y[o1 + 1] = b1r * w1i + b1i * w1r;
      y[o2] = b2r * w2r - b2i * w2i;
      y[o2 + 1] = b2r * w2i + b2i * w2r;
      y[o3] = b3r * w3r - b3i * w3i;
      y[o3 + 1] = b3r * w3i + b3i * w3r;
    }
  }
}

const C5A = Math.cos((2 * Math.PI) / 5);
const C5B = Math.cos((4 * Math.PI) / 5);
const S5A = Math.sin((2 * Math.PI) / 5);
const S5B = Math.sin((4 * Math.PI) / 5);

/** Radix-5 pass (the symmetric form: pairs a_j ± a_{5−j} share the cosines and sines). */
export function radix5(
  x: Float64Array,
  xo: number,
  y: Float64Array,
  yo: number,
  s: number,
  m: number,
  tw: Float64Array,
  sign: number,
): void {
  const span = 2 * s;
  const step = span * m;
  const sa = sign * S5A;
  const sb = sign * S5B;
  for (let p = 0; p < m; p++) {
    const t = 8 * p;
    const w1r = tw[t];
    const w1i = sign * tw[t + 1];
    const w2r = tw[t + 2];
    const w2i = sign * tw[t + 3];
    const w3r = tw[t + 4];
    const w3i = sign * tw[t + 5];
    const w4r = tw[t + 6];
    const w4i = sign * tw[t + 7];
    const xb = xo + span * p;
    const yb = yo + 5 * span * p;
    for (let q = 0; q < span; q += 2) {
      const i0 = xb + q;
      const i1 = i0 + step;
      const i2 = i1 + step;
      const i3 = i2 + step;
      const i4 = i3 + step;
      const a0r = x[i0];
      const a0i = x[i0 + 1];
      const s1r = x[i1] + x[i4];
      const s1i = x[i1 + 1] + x[i4 + 1];
      const d1r = x[i1] - x[i4];
      const d1i = x[i1 + 1] - x[i4 + 1];
      const s2r = x[i2] + x[i3];
      const s2i = x[i2 + 1] + x[i3 + 1];
      const d2r = x[i2] - x[i3];
      const d2i = x[i2 + 1] - x[i3 + 1];
      const u1r = a0r + C5A * s1r + C5B * s2r;
      const u1i = a0i + C5A * s1i + C5B * s2i;
      const u2r = a0r + C5B * s1r + C5A * s2r;
      const u2i = a0i + C5B * s1i + C5A * s2i;
      // b_k = u_k ± i·v_k with v_1 = sign(sinA·d1 + sinB·d2), v_2 = sign(sinB·d1 − sinA·d2)
      const v1r = sa * d1r + sb * d2r;
      const v1i = sa * d1i + sb * d2i;
      const v2r = sb * d1r - sa * d2r;
      const v2i = sb * d1i - sa * d2i;
      const b1r = u1r - v1i;
      const b1i = u1i + v1r;
      const b4r = u1r + v1i;
      const b4i = u1i - v1r;
      const b2r = u2r - v2i;
      const b2i = u2i + v2r;
      const b3r = u2r + v2i;
      const b3i = u2i - v2r;
      const o0 = yb + q;
      const o1 = o0 + span;
      const o2 = o1 + span;
      const o3 = o2 + span;
      const o4 = o3 + span;
      y[o0] = a0r + s1r + s2r;
      y[o0 + 1] = a0i + s1i + s2i;
      y[o1] = b1r * w1r - b1i * w1i;
      y[o1 + 1] = b1r * w1i + b1i * w1r;
      y[o2] = b2r * w2r - b2i * w2i;
      y[o2 + 1] = b2r * w2i + b2i * w2r;
      y[o3] = b3r * w3r - b3i * w3i;
      y[o3 + 1] = b3r * w3i + b3i * w3r;
      y[o4] = b4r * w4r - b4i * w4i;
      y[o4 + 1] = b4r * w4i + b4i * w4r;
    }
  }
}

/**
 * Pass of any odd radix r (7, 11, 13, …): an O(r²) DFT per butterfly in the symmetric form.
 * `roots` holds (cos, sin)(2πt/r) for t < r; `work` is scratch of 4·r numbers.
 */
export function radixOdd(
  x: Float64Array,
  xo: number,
  y: Float64Array,
  yo: number,
  s: number,
  m: number,
  tw: Float64Array,
  sign: number,
  r: number,
  roots: Float64Array,
  work: Float64Array,
): void {
  const span = 2 * s;
  const step = span * m;
  const half = (r - 1) >> 1;
  // work[0 … 2r): sums a_j + a_{r−j} at 2j; work[2r … 4r): differences a_j − a_{r−j} at 2r + 2j
  const dif = 2 * r;
  for (let p = 0; p < m; p++) {
    const tb = 2 * (r - 1) * p;
    const xb = xo + span * p;
    const yb = yo + r * span * p;
    for (let q = 0; q < span; q += 2) {
      const i0 = xb + q;
      const a0r = x[i0];
      const a0i = x[i0 + 1];
      let b0r = a0r;
      let b0i = a0i;
      for (let j = 1; j <= half; j++) {
        const ij = i0 + j * step;
        const ik = i0 + (r - j) * step;
        const sr = x[ij] + x[ik];
        const si = x[ij + 1] + x[ik + 1];
        work[2 * j] = sr;
        work[2 * j + 1] = si;
        work[dif + 2 * j] = x[ij] - x[ik];
        work[dif + 2 * j + 1] = x[ij + 1] - x[ik + 1];
        b0r += sr;
        b0i += si;
      }
      const o0 = yb + q;
      y[o0] = b0r;
      y[o0 + 1] = b0i;
      for (let k = 1; k <= half; k++) {
        let ur = a0r;
        let ui = a0i;
        let vr = 0;
        let vi = 0;
        let t = 0;
        for (let j = 1; j <= half; j++) {
          t += k;
          if (t >= r) t -= r;
          const c = roots[2 * t];
          const sn = roots[2 * t + 1];
          ur += c * work[2 * j];
          ui += c * work[2 * j + 1];
          vr += sn * work[dif + 2 * j];
          vi += sn * work[dif + 2 * j + 1];
        }
        // b_k = u + sign·i·v, b_{r−k} = u − sign·i·v, then the twiddles w^k and w^{r−k}
        const bkr = ur - sign * vi;
        const bki = ui + sign * vr;
        const bmr = ur + sign * vi;
        const bmi = ui - sign * vr;
        const tk = tb + 2 * (k - 1);
        const tm = tb + 2 * (r - k - 1);
        const wkr = tw[tk];
        const wki = sign * tw[tk + 1];
        const wmr = tw[tm];
        const wmi = sign * tw[tm + 1];
        const ok = o0 + k * span;
        const om = o0 + (r - k) * span;
        y[ok] = bkr * wkr - bki * wki;
        y[ok + 1] = bkr * wki + bki * wkr;
        y[om] = bmr * wmr - bmi * wmi;
        y[om + 1] = bmr * wmi + bmi * wmr;
      }
    }
  }
}

/**
 * Radix-4 first pass (stride 1): the general loop would run its inner loop once per butterfly;
 * this flat loop is about 20% faster, and the first pass carries the most twiddles.
 */
export function radix4First(
  x: Float64Array,
  xo: number,
  y: Float64Array,
  yo: number,
  m: number,
  tw: Float64Array,
  sign: number,
): void {
  const step = 2 * m;
  for (let p = 0; p < m; p++) {
    const t = 6 * p;
    const w1r = tw[t];
    const w1i = sign * tw[t + 1];
    const w2r = tw[t + 2];
    const w2i = sign * tw[t + 3];
    const w3r = tw[t + 4];
    const w3i = sign * tw[t + 5];
    const i0 = xo + 2 * p;
    const i1 = i0 + step;
    const i2 = i1 + step;
    const i3 = i2 + step;
    const a0r = x[i0];
    const a0i = x[i0 + 1];
    const a1r = x[i1];
    const a1i = x[i1 + 1];
    const a2r = x[i2];
    const a2i = x[i2 + 1];
    const a3r = x[i3];
    const a3i = x[i3 + 1];
    const pr = a0r + a2r;
    const pi = a0i + a2i;
    const mr = a0r - a2r;
    const mi = a0i - a2i;
    const qr = a1r + a3r;
    const qi = a1i + a3i;
    const jr = -sign * (a1i - a3i);
    const ji = sign * (a1r - a3r);
    const b1r = mr + jr;
    const b1i = mi + ji;
    const b2r = pr - qr;
    const b2i = pi - qi;
    const b3r = mr - jr;
    const b3i = mi - ji;
    // stride 1: the four outputs are adjacent
    const o0 = yo + 8 * p;
    y[o0] = pr + qr;
    y[o0 + 1] = pi + qi;
    y[o0 + 2] = b1r * w1r - b1i * w1i;
    y[o0 + 3] = b1r * w1i + b1i * w1r;
    y[o0 + 4] = b2r * w2r - b2i * w2i;
    y[o0 + 5] = b2r * w2i + b2i * w2r;
    y[o0 + 6] = b3r * w3r - b3i * w3i;
    y[o0 + 7] = b3r * w3i + b3i * w3r;
  }
}

/** Radix-4 last pass (one butterfly per stride): all its twiddles are 1, so none is applied. */
export function radix4Last(
  x: Float64Array,
  xo: number,
  y: Float64Array,
  yo: number,
  s: number,
  sign: number,
): void {
  const span = 2 * s;
  for (let q = 0; q < span; q += 2) {
    const i0 = xo + q;
    const i1 = i0 + span;
    const i2 = i1 + span;
    const i3 = i2 + span;
    const a0r = x[i0];
    const a0i = x[i0 + 1];
    const a1r = x[i1];
    const a1i = x[i1 + 1];
    const a2r = x[i2];
    const a2i = x[i2 + 1];
    const a3r = x[i3];
    const a3i = x[i3 + 1];
    const pr = a0r + a2r;
    const pi = a0i + a2i;
    const mr = a0r - a2r;
    const mi = a0i - a2i;
    const qr = a1r + a3r;
    const qi = a1i + a3i;
    const jr = -sign * (a1i - a3i);
    const ji = sign * (a1r - a3r);
    const o0 = yo + q;
    const o1 = o0 + span;
    const o2 = o1 + span;
    const o3 = o2 + span;
    y[o0] = pr + qr;
    y[o0 + 1] = pi + qi;
    y[o1] = mr + jr;
    y[o1 + 1] = mi + ji;
    y[o2] = pr - qr;
    y[o2 + 1] = pi - qi;
    y[o3] = mr - jr;
    y[o3 + 1] = mi - ji;
  }
}

/**
 * Radix-4 first pass (stride 1) of an input whose upper half is zero (a zero-padded signal):
 * a_2 = a_3 = 0, so each butterfly reads two values instead of four and does half the additions.
 */
export function radix4FirstHalf(
  x: Float64Array,
  xo: number,
  y: Float64Array,
  yo: number,
  m: number,
  tw: Float64Array,
  sign: number,
): void {
  const step = 2 * m;
  for (let p = 0; p < m; p++) {
    const t = 6 * p;
    const w1r = tw[t];
    const w1i = sign * tw[t + 1];
    const w2r = tw[t + 2];
    const w2i = sign * tw[t + 3];
    const w3r = tw[t + 4];
    const w3i = sign * tw[t + 5];
    const i0 = xo + 2 * p;
    const i1 = i0 + step;
    const a0r = x[i0];
    const a0i = x[i0 + 1];
    const a1r = x[i1];
    const a1i = x[i1 + 1];
    // sign·i·a1
    const jr = -sign * a1i;
    const ji = sign * a1r;
    const b1r = a0r + jr;
    const b1i = a0i + ji;
    const b2r = a0r - a1r;
    const b2i = a0i - a1i;
    const b3r = a0r - jr;
    const b3i = a0i - ji;
    const o0 = yo + 8 * p;
    y[o0] = a0r + a1r;
    y[o0 + 1] = a0i + a1i;
    y[o0 + 2] = b1r * w1r - b1i * w1i;
    y[o0 + 3] = b1r * w1i + b1i * w1r;
    y[o0 + 4] = b2r * w2r - b2i * w2i;
    y[o0 + 5] = b2r * w2i + b2i * w2r;
    y[o0 + 6] = b3r * w3r - b3i * w3i;
    y[o0 + 7] = b3r * w3i + b3i * w3r;
  }
}

/**
 * Radix-4 last pass that writes only the lower half of the output (outputs 0 and 1 of each
 * butterfly): for a caller that keeps only the first half of the transform (a truncated inverse).
 */
export function radix4LastHalf(
  x: Float64Array,
  xo: number,
  y: Float64Array,
  yo: number,
  s: number,
  sign: number,
): void {
  const span = 2 * s;
  for (let q = 0; q < span; q += 2) {
    const i0 = xo + q;
    const i1 = i0 + span;
    const i2 = i1 + span;
    const i3 = i2 + span;
    const a0r = x[i0];
    const a0i = x[i0 + 1];
    const a1r = x[i1];
    const a1i = x[i1 + 1];
    const a2r = x[i2];
    const a2i = x[i2 + 1];
    const a3r = x[i3];
    const a3i = x[i3 + 1];
    const o0 = yo + q;
    y[o0] = a0r + a2r + (a1r + a3r);
    y[o0 + 1] = a0i + a2i + (a1i + a3i);
    // (a0 − a2) + sign·i·(a1 − a3)
    y[o0 + span] = a0r - a2r - sign * (a1i - a3i);
    y[o0 + span + 1] = a0i - a2i + sign * (a1r - a3r);
  }
}
