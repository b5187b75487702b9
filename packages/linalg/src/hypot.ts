// Math.hypot is generic over its arguments and slow in V8; the eigensolvers call this once per
// rotation or reflector, so it matters.

const BIG = 2 ** 500;
const SMALL = 2 ** -500;

/** √(x² + y²) without overflow or underflow. */
export function hypot(x: number, y: number): number {
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  const m = Math.max(ax, ay);
  if (m < BIG && m > SMALL) return Math.sqrt(x * x + y * y);
  if (m === 0 || m === Number.POSITIVE_INFINITY) return m;
  const sx = ax / m;
  const sy = ay / m;
  return m * Math.sqrt(sx * sx + sy * sy);
}
