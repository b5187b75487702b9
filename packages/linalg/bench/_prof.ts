import { eigh } from '../src/eigh';
import { PROF } from '../src/skew';
function legs(n: number) {
  const ap = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) {
    const a = i > k ? -Math.sqrt(2 * i + 1) * Math.sqrt(2 * k + 1) : i === k ? -(i + 1) : 0;
    ap[i * n + k] = a + Math.sqrt(i + 0.5) * Math.sqrt(k + 0.5);
  }
  const h = new Float64Array(2 * n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) h[2 * (i * n + k) + 1] = -(ap[i * n + k] - ap[k * n + i]) / 2;
  return { data: h, shape: [n, n] };
}
const n = Number(process.argv[2] ?? 256);
const h = legs(n);
for (let i = 0; i < 20; i++) eigh(h);
PROF.t.fill(0); PROF.sweeps = 0; PROF.len = 0;
const R = 20;
for (let i = 0; i < R; i++) eigh(h);
console.log(n, 'skewPart/tridiag/formQ/svd/output ms:', PROF.t.map((x) => (x / R).toFixed(2)).join(' '), 'sweeps', PROF.sweeps / R, 'avg len', PROF.len / PROF.sweeps);
