import { type ComplexTensor, createRng } from '@statespace/complex';
import { cauchy, frequencyNodes } from '@statespace/kernels';
import { expectClose, TOLERANCE } from '@statespace/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { GpuContext } from '../src/gpu-context';
import { cauchyOp } from '../src/ops/cauchy';
import { acquireGpu } from './gpu';

const gpu = await acquireGpu();
const ctx = gpu ? new GpuContext(gpu) : undefined;
afterAll(() => ctx?.dispose());

/** A float32 complex tensor and the same values in float64 (the reference sees the rounded inputs). */
function pair(data: Float64Array, shape: number[]): { f32: ComplexTensor; f64: ComplexTensor } {
  const f32 = Float32Array.from(data);
  return { f32: { data: f32, shape }, f64: { data: Float64Array.from(f32), shape } };
}

/** S4-like poles ΔΛ (Re < 0, Im spread over the modes) and random v rows. */
function randomProblem(batch: number, H: number, N2: number, seed: number) {
  const rng = createRng(seed);
  const w = new Float64Array(2 * H * N2);
  for (let h = 0; h < H; h++) {
    const dt = 0.001 * 100 ** rng.uniform();
    for (let n = 0; n < N2; n++) {
      w[2 * (h * N2 + n)] = -dt * (0.2 + rng.uniform());
      w[2 * (h * N2 + n) + 1] = dt * (Math.PI * n + rng.normal());
    }
  }
  const v = Float64Array.from({ length: 2 * batch * H * N2 }, () => rng.normal());
  return { v: pair(v, [batch, H, N2]), w: pair(w, [H, N2]) };
}

async function expectMatchesCpu(batch: number, H: number, N2: number, z: Float64Array, seed: number) {
  const { v, w } = randomProblem(batch, H, N2, seed);
  const zt = pair(z, [z.length / 2]);
  const { out } = await cauchyOp.run(ctx as GpuContext, { v: v.f32, w: w.f32, z: zt.f32 });
  const ref = cauchy(v.f64, w.f64, zt.f64);
  expect(out.shape).toEqual([batch, H, z.length / 2]);
  expectClose(out.data, ref.data, TOLERANCE.float32, `cauchy batch ${batch} H ${H} N2 ${N2}`);
  return { out, ref };
}

describe.skipIf(!gpu)('cauchyOp', () => {
  for (const L of [63, 64, 1000, 1001]) {
    for (const [batch, H, N2] of [
      [1, 1, 4],
      [4, 3, 32],
      [9, 3, 64],
      [9, 1, 32],
      [1, 3, 64],
      [4, 1, 4],
    ]) {
      it(`S4 nodes L = ${L}, batch ${batch}, H ${H}, N2 ${N2}`, async () => {
        const nodes = frequencyNodes(L);
        const { out } = await expectMatchesCpu(batch, H, N2, nodes.z, L + batch + N2);
        if (nodes.nyquist) {
          // The infinite Nyquist node gives exactly 0, as on the CPU.
          for (let r = 0; r < batch * H; r++) {
            const o = 2 * (r * nodes.count + nodes.count - 1);
            expect([out.data[o], out.data[o + 1]]).toEqual([0, 0]);
          }
        }
      });
    }
  }

  for (const [batch, H, N2] of [
    [1, 1, 4],
    [4, 3, 32],
    [9, 3, 64],
    [16, 2, 32],
    [33, 1, 64],
  ]) {
    it(`general complex z, batch ${batch}, H ${H}, N2 ${N2}`, async () => {
      const rng = createRng(batch * 100 + N2);
      const z = Float64Array.from({ length: 2 * 777 }, () => 2 * rng.normal());
      await expectMatchesCpu(batch, H, N2, z, batch + H);
    });
  }

  it('huge and tiny |z| (no float32 overflow in the reciprocals)', async () => {
    const z = new Float64Array([0, 1e12, 3e15, -2e14, 1e-20, 0, 1e30, 1e30, 0, -1e19]);
    await expectMatchesCpu(3, 2, 8, z, 5);
  });

  it('many modes (several workgroup-memory chunks)', async () => {
    const nodes = frequencyNodes(512);
    await expectMatchesCpu(5, 2, 200, nodes.z, 7);
  });

  it('rows with their own poles at S4 nodes (the imaginary-axis kernel): several chunks, huge nodes', async () => {
    const nodes = frequencyNodes(4096);
    await expectMatchesCpu(1, 3, 200, nodes.z, 11);
    await expectMatchesCpu(1, 2, 8, new Float64Array([0, 1e12, 0, -3e15, 0, 1e-20, 0, 0, -0, 5]), 12);
  });

  it('rows with their own poles at imaginary nodes: accurate next to a pole with a tiny real part', async () => {
    // A single pair, so that each node's relative error is the kernel's: Re[(z−w)(z−w̄)] cancels
    // near the pole, which a plain a² + b² − y² would turn into errors of ~eps·b/|a| ≈ 1e-2.
    const w = pair(new Float64Array([-1e-3, 100.37]), [1, 1]);
    const v = pair(new Float64Array([1, 0.5]), [1, 1, 1]);
    const y = Array.from({ length: 41 }, (_, l) => 100.37 + (l - 20) * 0.003);
    const z = pair(Float64Array.from(y.flatMap((t) => [0, t])), [y.length]);
    const { out } = await cauchyOp.run(ctx as GpuContext, { v: v.f32, w: w.f32, z: z.f32 });
    const ref = cauchy(v.f64, w.f64, z.f64).data;
    for (let l = 0; l < y.length; l++) {
      const error = Math.hypot(out.data[2 * l] - ref[2 * l], out.data[2 * l + 1] - ref[2 * l + 1]);
      expect(error / Math.hypot(ref[2 * l], ref[2 * l + 1]), `node ${l}`).toBeLessThan(1e-5);
    }
  });

  it('rows with their own poles at imaginary nodes: every node accurate, far from and next to the poles', async () => {
    // One pair per row, so that each node's relative error is one term's: the workgroups whose
    // nodes lie far from a row's pole form Re D − 2a² directly, the others as a product.
    const w = pair(new Float64Array([-1e-3, 100.37, -0.5, 3, -2, -7e3, -40, 0.25]), [4, 1]);
    const v = pair(new Float64Array([1, 0.5, -0.3, 2, 0.7, 0.1, 1e-3, -1]), [1, 4, 1]);
    const y = Array.from({ length: 2048 }, (_, l) => 2000 * Math.tan((Math.PI * l) / 4096));
    const z = pair(Float64Array.from(y.flatMap((t) => [0, t])), [y.length]);
    const { out } = await cauchyOp.run(ctx as GpuContext, { v: v.f32, w: w.f32, z: z.f32 });
    const ref = cauchy(v.f64, w.f64, z.f64).data;
    let worst = 0;
    for (let i = 0; i < ref.length; i += 2) {
      const error = Math.hypot(out.data[i] - ref[i], out.data[i + 1] - ref[i + 1]);
      worst = Math.max(worst, error / Math.hypot(ref[i], ref[i + 1]));
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it('checks shapes and values like the CPU version', async () => {
    const { v, w } = randomProblem(2, 3, 4, 1);
    const z: ComplexTensor = { data: new Float32Array([0, 1, 0, 2]), shape: [2] };
    const c = ctx as GpuContext;
    await expect(cauchyOp.run(c, { v: v.f32, w: { data: w.f32.data, shape: [3, 2, 2] }, z })).rejects.toThrow(
      /w must have shape/,
    );
    await expect(
      cauchyOp.run(c, { v: v.f32, w: w.f32, z: { data: new Float32Array([0, Number.NaN]), shape: [1] } }),
    ).rejects.toThrow(/NaN/);
    // A node on a pole: the CPU version throws, and so does the GPU one (the sum is infinite there).
    const onPole: ComplexTensor = {
      data: new Float32Array([0, 0.5, w.f32.data[0], w.f32.data[1]]),
      shape: [2],
    };
    expect(() => cauchy(v.f64, w.f64, { data: Float64Array.from(onPole.data), shape: [2] })).toThrow(/pole/);
    await expect(cauchyOp.run(c, { v: v.f32, w: w.f32, z: onPole })).rejects.toThrow(/pole/);
  });
});
