/** An axis range widened to round tick values, and the ticks (Heckbert's "nice numbers"). */
export interface Axis {
  readonly min: number;
  readonly max: number;
  readonly ticks: readonly number[];
}

/**
 * A nice axis covering [lo, hi] with about `count` ticks (a degenerate range is widened);
 * `integer` keeps ticks on whole numbers (epochs).
 */
export function niceAxis(lo: number, hi: number, count = 5, integer = false): Axis {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return niceAxis(0, 1, count, integer);
  if (hi - lo < 1e-12 * Math.max(1, Math.abs(lo), Math.abs(hi))) {
    const pad = integer ? 1 : lo === 0 ? 1 : Math.abs(lo) * 0.1;
    return niceAxis(lo - pad, hi + pad, count, integer);
  }
  const nice = niceNumber((hi - lo) / Math.max(1, count - 1), true);
  const step = integer ? Math.max(1, Math.round(nice)) : nice;
  const min = Math.floor(lo / step) * step;
  const max = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let v = min; v <= max + step / 2; v += step) ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return { min, max, ticks };
}

/** 1, 2, 5 or 10 times a power of ten, rounded (or the ceiling when `round` is false). */
function niceNumber(x: number, round: boolean): number {
  const exponent = Math.floor(Math.log10(x));
  const fraction = x / 10 ** exponent;
  let nice: number;
  if (round) nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
  else nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * 10 ** exponent;
}

/** A tick label: short, exponent form for very large or small magnitudes. */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1).replace('.0e', 'e').replace('e+', 'e');
  return String(Number(v.toPrecision(4)));
}
