/** A complex scalar. Arrays of complex values use the interleaved layout instead (see `array.ts`). */
export interface Complex {
  re: number;
  im: number;
}

/** Creates a complex scalar `re + i·im`. */
export function complex(re: number, im = 0): Complex {
  return { re, im };
}

export function cadd(a: Complex, b: Complex): Complex {
  return { re: a.re + b.re, im: a.im + b.im };
}

export function csub(a: Complex, b: Complex): Complex {
  return { re: a.re - b.re, im: a.im - b.im };
}

export function cmul(a: Complex, b: Complex): Complex {
  return { re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re };
}

/** Complex division by Smith's algorithm, which avoids overflow in |b|². */
export function cdiv(a: Complex, b: Complex): Complex {
  if (Math.abs(b.re) >= Math.abs(b.im)) {
    const ratio = b.im / b.re;
    const denom = b.re + b.im * ratio;
    return { re: (a.re + a.im * ratio) / denom, im: (a.im - a.re * ratio) / denom };
  }
  const ratio = b.re / b.im;
  const denom = b.re * ratio + b.im;
  return { re: (a.re * ratio + a.im) / denom, im: (a.im * ratio - a.re) / denom };
}

export function cconj(a: Complex): Complex {
  return { re: a.re, im: -a.im };
}

export function cscale(a: Complex, s: number): Complex {
  return { re: a.re * s, im: a.im * s };
}

/** Modulus |a|, computed without overflow. */
export function cabs(a: Complex): number {
  return Math.hypot(a.re, a.im);
}

/** Squared modulus |a|². */
export function cabs2(a: Complex): number {
  return a.re * a.re + a.im * a.im;
}

/** Principal argument in (−π, π]. */
export function carg(a: Complex): number {
  return Math.atan2(a.im, a.re);
}

/** e^a. */
export function cexp(a: Complex): Complex {
  const m = Math.exp(a.re);
  return { re: m * Math.cos(a.im), im: m * Math.sin(a.im) };
}

/** Principal logarithm. */
export function clog(a: Complex): Complex {
  return { re: Math.log(cabs(a)), im: carg(a) };
}

/** Principal square root. */
export function csqrt(a: Complex): Complex {
  const r = cabs(a);
  if (r === 0) return { re: 0, im: 0 };
  const re = Math.sqrt((r + Math.abs(a.re)) / 2);
  const im = a.im / (2 * re);
  return a.re >= 0 ? { re, im } : { re: Math.abs(im), im: a.im < 0 ? -re : re };
}

/** e^{iθ}. */
export function cis(theta: number): Complex {
  return { re: Math.cos(theta), im: Math.sin(theta) };
}
