import { type ComplexTensor, createRng } from '@statespace/complex';
import { expectClose, relativeError, TOLERANCE } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { cauchy, cauchyLimit } from '../src/cauchy';
import { krylovKernel } from '../src/krylov';
import { frequencyNodes } from '../src/nodes';
import { applyBilinearFactor, woodbury, woodburyLimit } from '../src/woodbury';

const rng = createRng(7);

function crandn(n: number, scale = 1): Float64Array {
  const a = new Float64Array(2 * n);
  for (let i = 0; i < a.length; i++) a[i] = scale * rng.normal();
  return a;
}

// ---- a small dense complex matrix toolkit (the oracle; independent of the code under test) ----

/** Row-major complex matrix, interleaved. */
interface CMat {
  rows: number;
  cols: number;
  d: Float64Array;
}

const cmat = (rows: number, cols: number): CMat => ({ rows, cols, d: new Float64Array(2 * rows * cols) });

function eye(n: number): CMat {
  const m = cmat(n, n);
  for (let i = 0; i < n; i++) m.d[2 * (i * n + i)] = 1;
  return m;
}

function mmul(a: CMat, b: CMat): CMat {
  const c = cmat(a.rows, b.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let k = 0; k < a.cols; k++) {
      const ar = a.d[2 * (i * a.cols + k)];
      const ai = a.d[2 * (i * a.cols + k) + 1];
      for (let j = 0; j < b.cols; j++) {
        const br = b.d[2 * (k * b.cols + j)];
        const bi = b.d[2 * (k * b.cols + j) + 1];
        c.d[2 * (i * b.cols + j)] += ar * br - ai * bi;
        c.d[2 * (i * b.cols + j) + 1] += ar * bi + ai * br;
      }
    }
  }
  return c;
}

/** alpha·a + beta·b for real scalars. */
function lincomb(alpha: number, a: CMat, beta: number, b: CMat): CMat {
  const c = cmat(a.rows, a.cols);
  for (let i = 0; i < c.d.length; i++) c.d[i] = alpha * a.d[i] + beta * b.d[i];
  return c;
}

/** Solves a·x = b by Gauss–Jordan elimination with partial pivoting. */
function csolveDense(a: CMat, b: CMat): CMat {
  const n = a.rows;
  const m = b.cols;
  const A = a.d.slice();
  const X = b.d.slice();
  for (let c = 0; c < n; c++) {
    let piv = c;
    let best = -1;
    for (let r = c; r < n; r++) {
      const mag = Math.hypot(A[2 * (r * n + c)], A[2 * (r * n + c) + 1]);
      if (mag > best) {
        best = mag;
        piv = r;
      }
    }
    for (let k = 0; k < 2 * n; k++)
      [A[2 * c * n + k], A[2 * piv * n + k]] = [A[2 * piv * n + k], A[2 * c * n + k]];
    for (let k = 0; k < 2 * m; k++)
      [X[2 * c * m + k], X[2 * piv * m + k]] = [X[2 * piv * m + k], X[2 * c * m + k]];
    const pr = A[2 * (c * n + c)];
    const pi = A[2 * (c * n + c) + 1];
    const den = pr * pr + pi * pi;
    const ir = pr / den;
    const ii = -pi / den;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const er = A[2 * (r * n + c)];
      const ei = A[2 * (r * n + c) + 1];
      const fr = er * ir - ei * ii;
      const fi = er * ii + ei * ir;
      for (let k = 0; k < n; k++) {
        const xr = A[2 * (c * n + k)];
        const xi = A[2 * (c * n + k) + 1];
        A[2 * (r * n + k)] -= fr * xr - fi * xi;
        A[2 * (r * n + k) + 1] -= fr * xi + fi * xr;
      }
      for (let k = 0; k < m; k++) {
        const xr = X[2 * (c * m + k)];
        const xi = X[2 * (c * m + k) + 1];
        X[2 * (r * m + k)] -= fr * xr - fi * xi;
        X[2 * (r * m + k) + 1] -= fr * xi + fi * xr;
      }
    }
  }
  const out = cmat(n, m);
  for (let r = 0; r < n; r++) {
    const pr = A[2 * (r * n + r)];
    const pi = A[2 * (r * n + r) + 1];
    const den = pr * pr + pi * pi;
    for (let k = 0; k < m; k++) {
      const xr = X[2 * (r * m + k)];
      const xi = X[2 * (r * m + k) + 1];
      out.d[2 * (r * m + k)] = (xr * pr + xi * pi) / den;
      out.d[2 * (r * m + k) + 1] = (xi * pr - xr * pi) / den;
    }
  }
  return out;
}

function transpose(a: CMat): CMat {
  const t = cmat(a.cols, a.rows);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.cols; j++) {
      t.d[2 * (j * a.rows + i)] = a.d[2 * (i * a.cols + j)];
      t.d[2 * (j * a.rows + i) + 1] = a.d[2 * (i * a.cols + j) + 1];
    }
  }
  return t;
}

/** Conjugate-pair expansion of a half vector: [x, conj x] as a column. */
function expandColumn(half: Float64Array): CMat {
  const n = half.length / 2;
  const c = cmat(2 * n, 1);
  for (let i = 0; i < n; i++) {
    c.d[2 * i] = half[2 * i];
    c.d[2 * i + 1] = half[2 * i + 1];
    c.d[2 * (n + i)] = half[2 * i];
    c.d[2 * (n + i) + 1] = -half[2 * i + 1];
  }
  return c;
}

// ---- the oracle for woodbury on arbitrary r ----

function woodburyDense(r: ComplexTensor, R: number): Float64Array {
  const [rows, cols, H, Lz] = r.shape;
  const nb = rows - R;
  const nc = cols - R;
  const P = H * Lz;
  const out = new Float64Array(2 * nb * nc * P);
  const get = (i: number, j: number, p: number, m: CMat, a: number, b: number) => {
    m.d[2 * (a * m.cols + b)] = r.data[2 * ((i * cols + j) * P + p)];
    m.d[2 * (a * m.cols + b) + 1] = r.data[2 * ((i * cols + j) * P + p) + 1];
  };
  for (let p = 0; p < P; p++) {
    const r00 = cmat(nb, nc);
    const r01 = cmat(nb, R);
    const r10 = cmat(R, nc);
    const r11 = cmat(R, R);
    for (let i = 0; i < nb; i++) for (let j = 0; j < nc; j++) get(i, j, p, r00, i, j);
    for (let i = 0; i < nb; i++) for (let a = 0; a < R; a++) get(i, nc + a, p, r01, i, a);
    for (let a = 0; a < R; a++) for (let j = 0; j < nc; j++) get(nb + a, j, p, r10, a, j);
    for (let a = 0; a < R; a++) for (let b = 0; b < R; b++) get(nb + a, nc + b, p, r11, a, b);
    const inv = csolveDense(lincomb(1, eye(R), 1, r11), eye(R)); // explicit (I + r11)⁻¹
    const k = R === 0 ? r00 : lincomb(1, r00, -1, mmul(mmul(r01, inv), r10));
    for (let i = 0; i < nb; i++) {
      for (let j = 0; j < nc; j++) {
        out[2 * ((i * nc + j) * P + p)] = k.d[2 * (i * nc + j)];
        out[2 * ((i * nc + j) * P + p) + 1] = k.d[2 * (i * nc + j) + 1];
      }
    }
  }
  return out;
}

// ---- DPLR systems in the official layout ----

interface Dplr {
  H: number;
  N2: number;
  R: number;
  nb: number;
  nc: number;
  Lambda: Float64Array; // [H, N2]
  P: Float64Array; // [R, H, N2]
  B: Float64Array; // [nb, H, N2]
  C: Float64Array; // [nc, H, N2]
}

function randomDplr(H: number, N2: number, R: number, nb: number, nc: number): Dplr {
  const Lambda = crandn(H * N2);
  for (let i = 0; i < H * N2; i++) {
    Lambda[2 * i] = -0.1 - Math.abs(Lambda[2 * i]);
    Lambda[2 * i + 1] = Math.PI * (i % N2) + 0.3 * Lambda[2 * i + 1];
  }
  return {
    H,
    N2,
    R,
    nb,
    nc,
    Lambda,
    P: crandn(R * H * N2, 0.7),
    B: crandn(nb * H * N2),
    C: crandn(nc * H * N2),
  };
}

const row = (a: Float64Array, i: number, h: number, H: number, N2: number) =>
  a.subarray(2 * (i * H + h) * N2, 2 * (i * H + h + 1) * N2);

/**
 * v = B̂[:,None]·Ĉ[None]·scale with B̂ = [B; P], Ĉ = [C; Q = conj P] (C not conjugated, as the
 * official v4 code), flattened to [(nb+R)(nc+R), H, N2].
 */
function stackedV(s: Dplr, scale: number): ComplexTensor<Float64Array> {
  const { H, N2, R, nb, nc } = s;
  const rows = nb + R;
  const cols = nc + R;
  const v = new Float64Array(2 * rows * cols * H * N2);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      for (let h = 0; h < H; h++) {
        const bh = i < nb ? row(s.B, i, h, H, N2) : row(s.P, i - nb, h, H, N2);
        const ch = j < nc ? row(s.C, j, h, H, N2) : row(s.P, j - nc, h, H, N2);
        const conjC = j >= nc; // Q = conj P
        for (let n = 0; n < N2; n++) {
          const br = bh[2 * n];
          const bi = bh[2 * n + 1];
          const cr = ch[2 * n];
          const ci = conjC ? -ch[2 * n + 1] : ch[2 * n + 1];
          const o = 2 * (((i * cols + j) * H + h) * N2 + n);
          v[o] = scale * (br * cr - bi * ci);
          v[o + 1] = scale * (br * ci + bi * cr);
        }
      }
    }
  }
  return { data: v, shape: [rows * cols, H, N2] };
}

/** The full (conjugate-expanded) A = diag([Λ, conj Λ]) − Σ_r p_r p_r*, p_r = [P_r; conj P_r]. */
function denseA(s: Dplr, h: number): CMat {
  const M = 2 * s.N2;
  const A = cmat(M, M);
  const lam = expandColumn(row(s.Lambda, 0, h, s.H, s.N2));
  for (let m = 0; m < M; m++) {
    A.d[2 * (m * M + m)] = lam.d[2 * m];
    A.d[2 * (m * M + m) + 1] = lam.d[2 * m + 1];
  }
  for (let r = 0; r < s.R; r++) {
    const p = expandColumn(row(s.P, r, h, s.H, s.N2));
    for (let a = 0; a < M; a++) {
      for (let b = 0; b < M; b++) {
        // p_a · conj(p_b)
        const pr = p.d[2 * a];
        const pi = p.d[2 * a + 1];
        const qr = p.d[2 * b];
        const qi = -p.d[2 * b + 1];
        A.d[2 * (a * M + b)] -= pr * qr - pi * qi;
        A.d[2 * (a * M + b) + 1] -= pr * qi + pi * qr;
      }
    }
  }
  return A;
}

/** The scalar uᵀ·x (no conjugation) of two columns. */
function bilinear(u: CMat, x: CMat): [number, number] {
  let re = 0;
  let im = 0;
  for (let m = 0; m < u.rows; m++) {
    re += u.d[2 * m] * x.d[2 * m] - u.d[2 * m + 1] * x.d[2 * m + 1];
    im += u.d[2 * m] * x.d[2 * m + 1] + u.d[2 * m + 1] * x.d[2 * m];
  }
  return [re, im];
}

function reshape(t: ComplexTensor, shape: number[]): ComplexTensor {
  return { data: t.data, shape };
}

/** numpy's irfft of one row of L/2+1 bins (imaginary parts of the DC and Nyquist bins ignored). */
function irfftNaive(X: Float64Array, L: number): Float64Array {
  const out = new Float64Array(L);
  const bins = Math.floor(L / 2) + 1;
  for (let l = 0; l < L; l++) {
    let s = X[0];
    for (let k = 1; k < bins; k++) {
      const th = (2 * Math.PI * k * l) / L;
      const term = X[2 * k] * Math.cos(th) - X[2 * k + 1] * Math.sin(th);
      s += 2 * k === L ? X[2 * k] * (l % 2 === 0 ? 1 : -1) : 2 * term;
    }
    out[l] = s / L;
  }
  return out;
}

describe('woodbury on arbitrary r vs an explicit (I + r11)⁻¹ per node', () => {
  it.each([0, 1, 2, 3, 5])('rank %i', (R) => {
    const nb = 2;
    const nc = 3;
    const H = 2;
    const Lz = 7;
    const r = { data: crandn((nb + R) * (nc + R) * H * Lz, 0.4), shape: [nb + R, nc + R, H, Lz] };
    const k = woodbury(r, R);
    expect(k.shape).toEqual([nb, nc, H, Lz]);
    expect(k.data).toBeInstanceOf(Float64Array);
    expect(relativeError(k.data, woodburyDense(r, R))).toBeLessThan(1e-12);
  });

  it('float32 r gives a float32 result within 1e-4', () => {
    const r = { data: crandn(3 * 3 * 2 * 5, 0.4), shape: [3, 3, 2, 5] };
    const k32 = woodbury({ data: new Float32Array(r.data), shape: r.shape }, 2);
    expect(k32.data).toBeInstanceOf(Float32Array);
    expectClose(k32.data, woodburyDense(r, 2), TOLERANCE.float32, 'float32 woodbury');
  });
});

describe('Cauchy + Woodbury equal the dense resolvent Cᵀ(zI − A)⁻¹B', () => {
  it.each([1, 2, 3])('rank %i, full conjugate-expanded A = diag(Λ, Λ̄) − PP*', (R) => {
    const s = randomDplr(2, 4, R, 2, 3);
    const zs = [
      [0.3, 1.2],
      [0.1, -0.7],
      [0, 2],
      [0.5, 0],
      [0, -3],
      [0, 0],
    ];
    const z = { data: new Float64Array(zs.flat()), shape: [zs.length] };
    const r = cauchy(stackedV(s, 1), { data: s.Lambda, shape: [s.H, s.N2] }, z);
    const k = woodbury(reshape(r, [s.nb + R, s.nc + R, s.H, zs.length]), R);
    const expected = new Float64Array(k.data.length);
    for (let h = 0; h < s.H; h++) {
      const A = denseA(s, h);
      const M = 2 * s.N2;
      zs.forEach(([zr, zi], l) => {
        const zI = eye(M);
        for (let m = 0; m < M; m++) {
          zI.d[2 * (m * M + m)] = zr;
          zI.d[2 * (m * M + m) + 1] = zi;
        }
        const res = lincomb(1, zI, -1, A);
        for (let i = 0; i < s.nb; i++) {
          const x = csolveDense(res, expandColumn(row(s.B, i, h, s.H, s.N2)));
          for (let j = 0; j < s.nc; j++) {
            const [re, im] = bilinear(expandColumn(row(s.C, j, h, s.H, s.N2)), x);
            const o = 2 * (((i * s.nc + j) * s.H + h) * zs.length + l);
            expected[o] = re;
            expected[o + 1] = im;
          }
        }
      });
    }
    expect(relativeError(k.data, expected)).toBeLessThan(1e-11);
  });
});

describe('the S4 spectrum pipeline, Nyquist node included', () => {
  it.each([
    [8, 1],
    [7, 1],
    [16, 2],
    [9, 3],
  ])('L = %i, rank %i: matches Cᵀ(I − Āω)⁻¹B̄ (bilinear) and, after the inverse DFT, Krylov', (L, R) => {
    const dt = 0.1;
    const s = randomDplr(2, 3, R, 1, 2);
    const f = frequencyNodes(L);
    const v = stackedV(s, dt);
    const w = { data: s.Lambda.map((x) => x * dt), shape: [s.H, s.N2] };
    const r = cauchy(v, w, { data: f.z, shape: [f.count] });
    const kf = woodbury(reshape(r, [s.nb + R, s.nc + R, s.H, f.count]), R);
    const lim = woodburyLimit({ data: cauchyLimit(v).data, shape: [s.nb + R, s.nc + R, s.H] }, R);
    expect(lim.shape).toEqual([s.nb, s.nc, s.H]);
    const khat = applyBilinearFactor(kf, f.omega, lim);
    expect(khat.shape).toEqual([s.nb, s.nc, s.H, f.count]);
    expect(khat.data.every(Number.isFinite)).toBe(true);

    const M = 2 * s.N2;
    const expected = new Float64Array(khat.data.length);
    const dA = new Float64Array(2 * s.H * M * M);
    const dB = new Float64Array(2 * s.H * M);
    const dC = new Float64Array(2 * s.nc * s.H * M);
    for (let h = 0; h < s.H; h++) {
      const A = denseA(s, h);
      const minus = lincomb(1, eye(M), -dt / 2, A);
      const Abar = csolveDense(minus, lincomb(1, eye(M), dt / 2, A));
      const Bbar = lincomb(dt, csolveDense(minus, expandColumn(row(s.B, 0, h, s.H, s.N2))), 0, cmat(M, 1));
      dA.set(Abar.d, 2 * h * M * M);
      dB.set(Bbar.d, 2 * h * M);
      let AL = eye(M);
      for (let l = 0; l < L; l++) AL = mmul(AL, Abar);
      const oneMinusALt = transpose(lincomb(1, eye(M), -1, AL));
      for (let k = 0; k < f.count; k++) {
        const om = cmat(M, M);
        for (let i = 0; i < om.d.length; i += 2) {
          om.d[i] = Abar.d[i] * f.omega[2 * k] - Abar.d[i + 1] * f.omega[2 * k + 1];
          om.d[i + 1] = Abar.d[i] * f.omega[2 * k + 1] + Abar.d[i + 1] * f.omega[2 * k];
        }
        const x = csolveDense(lincomb(1, eye(M), -1, om), Bbar);
        for (let j = 0; j < s.nc; j++) {
          const [re, im] = bilinear(expandColumn(row(s.C, j, h, s.H, s.N2)), x);
          const o = 2 * ((j * s.H + h) * f.count + k);
          expected[o] = re;
          expected[o + 1] = im;
        }
      }
      // The trained C is C̃ = (I − Ā^L)ᵀC: recover the true output vector for Krylov.
      for (let j = 0; j < s.nc; j++) {
        const c = csolveDense(oneMinusALt, expandColumn(row(s.C, j, h, s.H, s.N2)));
        dC.set(c.d, 2 * (j * s.H + h) * M);
      }
    }
    expect(relativeError(khat.data, expected)).toBeLessThan(1e-10);
    if (f.nyquist) {
      // The Nyquist value is real: Re Σ_n v_n of the B×C block, i.e. (Δ/2)·C_fullᵀB_full.
      for (let q = 0; q < s.nc * s.H; q++) expect(khat.data[2 * (q * f.count + f.count - 1) + 1]).toBe(0);
    }

    const K = new Float64Array(s.nc * s.H * L);
    for (let q = 0; q < s.nc * s.H; q++) {
      K.set(irfftNaive(khat.data.subarray(2 * q * f.count, 2 * (q + 1) * f.count) as Float64Array, L), q * L);
    }
    const Kk = krylovKernel(
      { data: dA, shape: [s.H, M, M] },
      { data: dB, shape: [s.H, M] },
      { data: dC, shape: [s.nc, s.H, M] },
      L,
    );
    expect(relativeError(K, Kk.data)).toBeLessThan(1e-10);
  });
});

describe('woodburyLimit', () => {
  it('is the limit of z·k_f(z): the Woodbury term vanishes at infinity', () => {
    const R = 2;
    const s = randomDplr(2, 4, R, 2, 2);
    const v = stackedV(s, 1);
    const w = { data: s.Lambda, shape: [s.H, s.N2] };
    const lim = woodburyLimit({ data: cauchyLimit(v).data, shape: [s.nb + R, s.nc + R, s.H] }, R);
    const Z = 1e7;
    const r = cauchy(v, w, { data: new Float64Array([0, Z]), shape: [1] });
    const k = woodbury(reshape(r, [s.nb + R, s.nc + R, s.H, 1]), R);
    const scaled = new Float64Array(lim.data.length);
    for (let i = 0; i < scaled.length; i++) scaled[i] = -k.data[2 * i + 1] * Z; // Re(i·Z·k)
    expectClose(scaled, lim.data, 1e-5, 'z·k_f(z) at z = 1e7 i');
  });

  it('keeps the r00 block and its precision', () => {
    const data = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]); // [3, 2, 2]
    const out = woodburyLimit({ data, shape: [3, 2, 2] }, 1);
    expect(out.shape).toEqual([2, 1, 2]);
    expect(out.data).toBeInstanceOf(Float32Array);
    expect([...out.data]).toEqual([1, 2, 5, 6]);
  });
});

describe('applyBilinearFactor', () => {
  it('multiplies by 2/(1+ω) and puts limit/2 at the Nyquist node, once', () => {
    const f = frequencyNodes(8);
    const kf = { data: crandn(3 * f.count), shape: [3, f.count] };
    const limit = { data: new Float64Array([2, -4, 0.5]), shape: [3] };
    const out = applyBilinearFactor(kf, f.omega, limit);
    for (let i = 0; i < 3; i++) {
      for (let k = 0; k < f.count; k++) {
        const o = 2 * (i * f.count + k);
        if (k === f.count - 1) {
          expect(out.data[o]).toBe(limit.data[i] / 2);
          expect(out.data[o + 1]).toBe(0);
          continue;
        }
        // 2/(1+ω) = 1 + z/2 = 1 + i·tan(πk/L)
        const t = f.zImag[k] / 2;
        const er = kf.data[o] - t * kf.data[o + 1];
        const ei = kf.data[o + 1] + t * kf.data[o];
        expect(Math.abs(out.data[o] - er)).toBeLessThan(1e-13 * (1 + Math.abs(er)));
        expect(Math.abs(out.data[o + 1] - ei)).toBeLessThan(1e-13 * (1 + Math.abs(ei)));
      }
    }
  });

  it('needs no limit without a Nyquist node (odd L), and keeps float32', () => {
    const f = frequencyNodes(7);
    const kf = { data: new Float32Array(crandn(2 * f.count)), shape: [2, f.count] };
    const out = applyBilinearFactor(kf, f.omega);
    expect(out.data).toBeInstanceOf(Float32Array);
    expect(out.shape).toEqual([2, f.count]);
  });

  it('rejects a missing or mis-shaped limit and mismatched omega', () => {
    const f = frequencyNodes(8);
    const kf = { data: crandn(2 * f.count), shape: [2, f.count] };
    expect(() => applyBilinearFactor(kf, f.omega)).toThrow(
      /limit is required: omega\[4\] = −1 is the Nyquist node/,
    );
    expect(() => applyBilinearFactor(kf, f.omega, { data: new Float64Array(3), shape: [3] })).toThrow(
      /limit must have the leading shape of kf \[2\]; got \[3\]/,
    );
    expect(() => applyBilinearFactor(kf, frequencyNodes(6).omega)).toThrow(
      /omega must hold 5 complex values/,
    );
    expect(() =>
      applyBilinearFactor(kf, f.omega, { data: new Float64Array([1, Number.NaN]), shape: [2] }),
    ).toThrow(/limit must be finite/);
  });
});

describe('woodbury: bad input', () => {
  const r = { data: crandn(3 * 3 * 2 * 4), shape: [3, 3, 2, 4] };
  it.each([
    [
      'rank leaving no B/C rows',
      () => woodbury(r, 3),
      /r must have shape \[nb\+R, nc\+R, H, Lz\] with nb, nc ≥ 1 for rank R = 3; got \[3, 3, 2, 4\]/,
    ],
    ['negative rank', () => woodbury(r, -1), /rank must be an integer ≥ 0; got -1/],
    ['fractional rank', () => woodbury(r, 1.5), /rank must be an integer ≥ 0; got 1.5/],
    [
      '3-D r',
      () => woodbury({ data: r.data, shape: [9, 2, 4] }, 1),
      /r must have shape \[nb\+R, nc\+R, H, Lz\]; got \[9, 2, 4\]/,
    ],
    [
      'short data',
      () => woodbury({ data: r.data.slice(4), shape: r.shape }, 1),
      /r\.data must hold 72 complex values/,
    ],
    [
      'non-finite r',
      () => {
        const bad = r.data.slice();
        bad[7] = Number.NaN;
        return woodbury({ data: bad, shape: r.shape }, 1);
      },
      /r must be finite; found NaN at index 7/,
    ],
    [
      'singular I + r11 (rank 1)',
      () => {
        const bad = new Float64Array(2 * 2 * 2 * 1 * 1);
        bad[2 * 3] = -1; // r11 = −1
        return woodbury({ data: bad, shape: [2, 2, 1, 1] }, 1);
      },
      /I \+ r11 is singular at node \(h = 0, l = 0\)/,
    ],
    [
      'singular I + r11 (rank 3)',
      () => {
        const bad = new Float64Array(2 * 4 * 4 * 2);
        bad[2 * (1 * 4 + 1) * 2] = -1; // r11[0, 0] = −1 at h = 0: the first column of I + r11 is zero
        return woodbury({ data: bad, shape: [4, 4, 2, 1] }, 3);
      },
      /I \+ r11 is singular at node \(h = 0, l = 0\)/,
    ],
    [
      'woodburyLimit of the wrong shape',
      () => woodburyLimit({ data: new Float64Array(4), shape: [2, 2] }, 1),
      /rLimit must have shape \[nb\+R, nc\+R, H\]/,
    ],
  ])('%s', (_name, fn, message) => {
    expect(fn).toThrow(RangeError);
    expect(fn).toThrow(message);
  });
});
