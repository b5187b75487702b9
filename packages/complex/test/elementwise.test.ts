import { describe, expect, it } from 'vitest';
import {
  abs,
  add,
  type Complex,
  cdiv,
  cexp,
  clog,
  cmul,
  complexFromScalars,
  conj,
  div,
  dot,
  dotc,
  exp,
  fma,
  getComplex,
  log,
  mul,
  scale,
  sub,
  sum,
} from '../src/index';

function randomScalars(n: number, seed: number): Complex[] {
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648) * 4 - 2;
  };
  return Array.from({ length: n }, () => ({ re: next(), im: next() }));
}

const a = randomScalars(17, 1);
const b = randomScalars(17, 2);
const c = randomScalars(17, 3);

describe.each(['float64', 'float32'] as const)('elementwise (%s)', (dtype) => {
  const tol = dtype === 'float64' ? 1e-14 : 1e-6;
  const A = complexFromScalars(a, dtype);
  const B = complexFromScalars(b, dtype);
  const C = complexFromScalars(c, dtype);

  const cases: [string, (i: number) => Complex, () => Float64Array | Float32Array][] = [
    ['add', (i) => ({ re: a[i].re + b[i].re, im: a[i].im + b[i].im }), () => add(A, B)],
    ['sub', (i) => ({ re: a[i].re - b[i].re, im: a[i].im - b[i].im }), () => sub(A, B)],
    ['mul', (i) => cmul(a[i], b[i]), () => mul(A, B)],
    ['div', (i) => cdiv(a[i], b[i]), () => div(A, B)],
    [
      'fma',
      (i) => ({ re: cmul(a[i], b[i]).re + c[i].re, im: cmul(a[i], b[i]).im + c[i].im }),
      () => fma(A, B, C),
    ],
    ['conj', (i) => ({ re: a[i].re, im: -a[i].im }), () => conj(A)],
    ['exp', (i) => cexp(a[i]), () => exp(A)],
    ['log', (i) => clog(a[i]), () => log(A)],
    ['scale', (i) => cmul(a[i], { re: 0.5, im: -2 }), () => scale(A, { re: 0.5, im: -2 })],
  ];
  it.each(cases)('%s matches the scalar definition', (_, expected, run) => {
    const out = run();
    expect(out).toBeInstanceOf(dtype === 'float64' ? Float64Array : Float32Array);
    for (let i = 0; i < a.length; i++) {
      const e = expected(i);
      const g = getComplex(out, i);
      expect(Math.abs(g.re - e.re) + Math.abs(g.im - e.im)).toBeLessThan(tol * (1 + Math.hypot(e.re, e.im)));
    }
  });

  it('writes into out, which may alias an input', () => {
    const out = A.slice();
    mul(out, B, out);
    expect(Array.from(out)).toEqual(Array.from(mul(A, B)));
  });

  it('abs, sum, dot and dotc', () => {
    const m = abs(A);
    for (let i = 0; i < a.length; i++) expect(m[i]).toBeCloseTo(Math.hypot(a[i].re, a[i].im), 5);
    const s = sum(A);
    expect(s.re).toBeCloseTo(
      a.reduce((t, z) => t + z.re, 0),
      4,
    );
    const d = dot(A, B);
    const expectedDot = a.reduce(
      (t, z, i) => ({ re: t.re + cmul(z, b[i]).re, im: t.im + cmul(z, b[i]).im }),
      {
        re: 0,
        im: 0,
      },
    );
    expect(d.re).toBeCloseTo(expectedDot.re, 4);
    expect(d.im).toBeCloseTo(expectedDot.im, 4);
    const h = dotc(A, A);
    expect(h.im).toBeCloseTo(0, 5);
    expect(h.re).toBeCloseTo(
      a.reduce((t, z) => t + z.re * z.re + z.im * z.im, 0),
      3,
    );
  });
});

describe('errors', () => {
  it('rejects mismatched lengths and a wrong out', () => {
    const x = new Float64Array(4);
    expect(() => add(x, new Float64Array(6))).toThrow(/same length/);
    expect(() => mul(x, x, new Float64Array(2))).toThrow(/out must hold 2 complex/);
  });
});
