import { eigh, eighGeneral } from '../src/eigh';
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
function recon(h: any, values: Float64Array, v: Float64Array, n: number) {
  let err = 0, nrm = 0, orth = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let re = 0, im = 0, ore = 0, oim = 0;
    for (let k = 0; k < n; k++) {
      const ar = v[2 * (i * n + k)], ai = v[2 * (i * n + k) + 1], br = v[2 * (j * n + k)], bi = v[2 * (j * n + k) + 1];
      re += values[k] * (ar * br + ai * bi); im += values[k] * (ai * br - ar * bi);
      const cr = v[2 * (k * n + i)], ci = v[2 * (k * n + i) + 1], dr = v[2 * (k * n + j)], di = v[2 * (k * n + j) + 1];
      ore += cr * dr + ci * di; oim += cr * di - ci * dr;
    }
    err = Math.max(err, Math.abs(re - h.data[2 * (i * n + j)]), Math.abs(im - h.data[2 * (i * n + j) + 1]));
    nrm = Math.max(nrm, Math.abs(h.data[2 * (i * n + j) + 1]));
    orth = Math.max(orth, Math.abs(ore - (i === j ? 1 : 0)), Math.abs(oim));
  }
  return [err / nrm, orth];
}
const sizes = process.argv.slice(2).map(Number);
for (const n of sizes.length ? sizes : [64, 256]) {
  const h = legs(n);
  const f = eigh(h), g = eighGeneral(h);
  let dv = 0; for (let i = 0; i < n; i++) dv = Math.max(dv, Math.abs(f.values[i] - g.values[i]));
  console.log(n, 'recon/orth fast', recon(h, f.values, f.vectors.data, n), 'dv', dv / Math.abs(g.values[n-1]));
  for (const [name, fn] of [['fast', eigh], ['general', eighGeneral]] as const) {
    const reps = n <= 64 ? 200 : 10;
    for (let w = 0; w < reps; w++) fn(h);
    const t: number[] = [];
    for (let s = 0; s < (n <= 64 ? 101 : 21); s++) { const t0 = performance.now(); fn(h); t.push(performance.now() - t0); }
    t.sort((a, b) => a - b);
    console.log(n, name, t[t.length >> 1].toFixed(3), 'ms (min', t[0].toFixed(3), ')');
  }
}
