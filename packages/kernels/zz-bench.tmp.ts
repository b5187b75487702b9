import { createRng } from '@statespace/complex';
import { measureMs } from '@statespace/testing';
import { diagKernel } from './src/diag-kernel';
import { dplrKernel } from './src/dplr-kernel';

const H = 256,
  N2 = 32;
const rng = createRng(1);
const c = (n: number, f = 1) => Float64Array.from({ length: 2 * n }, () => f * rng.normal());
const Lambda = new Float64Array(2 * H * N2);
for (let i = 0; i < H * N2; i++) {
  Lambda[2 * i] = -0.5;
  Lambda[2 * i + 1] = -Math.PI * (i % N2);
}
const P = c(H * N2, 0.3),
  B = c(H * N2),
  C = c(H * N2);
const dt = Float64Array.from({ length: H }, (_, h) => Math.exp(Math.log(1e-3) + (h / H) * Math.log(100)));
for (const L of [1024, 4096]) {
  for (const f32 of [false, true]) {
    const cv = (a: Float64Array) => (f32 ? Float32Array.from(a) : a);
    const sys = {
      Lambda: { data: cv(Lambda), shape: [H, N2] },
      P: { data: cv(P), shape: [1, H, N2] },
      B: { data: cv(B), shape: [H, N2] },
      dt: { data: cv(dt), shape: [H] },
    };
    const Ct = { data: cv(C), shape: [1, H, N2] };
    const tD = measureMs(() => dplrKernel({ ...sys, C: Ct, lKernel: L }), { warmup: 3, samples: 11 });
    const tZ = measureMs(
      () => diagKernel({ Lambda: sys.Lambda, B: sys.B, C: Ct, dt: sys.dt, L, disc: 'zoh' }),
      { warmup: 3, samples: 11 },
    );
    console.log(
      JSON.stringify({
        L,
        dtype: f32 ? 'float32' : 'float64',
        dplrKernel_ms: +tD.toFixed(1),
        diagKernel_zoh_ms: +tZ.toFixed(1),
      }),
    );
  }
}
