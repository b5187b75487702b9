import { createRng } from '@statespace/complex';
import { measureMs, report } from '@statespace/testing';
import {
  diagonalKernelCoefficients,
  discretizeDiagonal,
  dplrBilinear,
  dplrBilinearDense,
} from '../src/index';

// The discretisations at the usual S4 sizes (H = 256 rows, N = 64), float64 and float32.
const H = 256;
const halfN = 32;
const rng = createRng(0);
const random = (n: number, f: () => number) => Float64Array.from({ length: n }, f);
const Lambda = { data: random(2 * H * halfN, () => -Math.abs(rng.normal()) * 10), shape: [H, halfN] };
const B = { data: random(2 * H * halfN, rng.normal), shape: [H, halfN] };
const P = { data: random(2 * H * halfN, rng.normal), shape: [1, H, halfN] };
const dt = { data: random(H, () => 0.01), shape: [H] };

for (const dtype of ['float64', 'float32'] as const) {
  const lam = {
    data: dtype === 'float64' ? Lambda.data : Float32Array.from(Lambda.data),
    shape: Lambda.shape,
  };
  report({
    name: `discretizeDiagonal zoh H=${H} N=${2 * halfN} ${dtype}`,
    value: measureMs(() => discretizeDiagonal(lam, B, dt, 'zoh')),
    unit: 'ms',
  });
  report({
    name: `diagonalKernelCoefficients dss H=${H} N=${2 * halfN} ${dtype}`,
    value: measureMs(() => diagonalKernelCoefficients(lam, B, B, dt, 'dss', { L: 1024 })),
    unit: 'ms',
  });
  const stepper = dplrBilinear(lam, P, B, dt);
  const x = dtype === 'float64' ? new Float64Array(2 * H * halfN) : new Float32Array(2 * H * halfN);
  const u = new Float64Array(H).fill(1);
  report({
    name: `dplrBilinear step (half state) H=${H} N=${2 * halfN} rank 1 ${dtype}`,
    value: measureMs(() => stepper.step(x, u, x), { repeat: 20 }),
    unit: 'ms',
  });
}

const small = dplrBilinear(
  { data: Lambda.data.subarray(0, 8 * halfN), shape: [4, halfN] },
  { data: P.data.subarray(0, 8 * halfN), shape: [1, 4, halfN] },
  { data: B.data.subarray(0, 8 * halfN), shape: [4, halfN] },
  { data: dt.data.subarray(0, 4), shape: [4] },
);
report({
  name: `dplrBilinearDense H=4 N=${2 * halfN}`,
  value: measureMs(() => dplrBilinearDense(small)),
  unit: 'ms',
});
