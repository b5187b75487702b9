import { add, type ComplexArray, conj, createRng, mul, scale } from '@statespace/complex';
import { expectClose } from '@statespace/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { GpuContext } from '../src/gpu-context';
import {
  recordComplexAdd,
  recordComplexConj,
  recordComplexMul,
  recordComplexScale,
} from '../src/ops/elementwise';
import { acquireGpu } from './gpu';

const gpu = await acquireGpu();

/** Random interleaved complex values, float32 (the float64 host reference uses the same values). */
function random(count: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: 2 * count }, () => rng.normal());
}

const f64 = (a: Float32Array) => Float64Array.from(a);

/** Float32 rounding of one complex operation, relative to the largest output. */
const TOLERANCE = 1e-6;

describe.skipIf(!gpu)('complex elementwise kernels on WebGPU', () => {
  const ctx = new GpuContext(gpu as NonNullable<typeof gpu>);
  afterAll(() => ctx.dispose());

  const a = random(70_000, 1);
  const b = random(70_000, 2);
  const row = random(35, 3);

  async function read(arrays: ReturnType<GpuContext['upload']>[], result: ReturnType<GpuContext['upload']>) {
    const data = await ctx.read(result);
    ctx.release(...arrays, result);
    return data;
  }

  it('mul', async () => {
    const [ga, gb] = [ctx.upload(a), ctx.upload(b)];
    expectClose(await read([ga, gb], recordComplexMul(ctx, ga, gb)), mul(f64(a), f64(b)), TOLERANCE, 'a·b');
  });

  it('add', async () => {
    const [ga, gb] = [ctx.upload(a), ctx.upload(b)];
    expectClose(await read([ga, gb], recordComplexAdd(ctx, ga, gb)), add(f64(a), f64(b)), TOLERANCE, 'a + b');
  });

  it('scale by a complex scalar', async () => {
    const ga = ctx.upload(a);
    const s = { re: 0.75, im: -1.5 };
    expectClose(await read([ga], recordComplexScale(ctx, ga, s)), scale(f64(a), s), TOLERANCE, 's·a');
  });

  it('conj', async () => {
    const ga = ctx.upload(a);
    expect(Array.from(await read([ga], recordComplexConj(ctx, ga)))).toEqual(Array.from(conj(a)));
  });

  it('broadcasts b over leading dimensions and chains kernels without readback', async () => {
    const [ga, gr] = [ctx.upload(a), ctx.upload(row)];
    const product = recordComplexMul(ctx, ga, gr);
    const result = recordComplexConj(ctx, product);
    ctx.release(product);
    const tiled: ComplexArray = new Float64Array(a.length);
    for (let i = 0; i < tiled.length; i++) tiled[i] = row[i % row.length];
    expectClose(await read([ga, gr], result), conj(mul(f64(a), tiled)), TOLERANCE, 'conj(a·row)');
  });

  it('rejects a b whose length does not divide a', () => {
    const [ga, gb] = [ctx.upload(a), ctx.upload(random(3, 4))];
    expect(() => recordComplexMul(ctx, ga, gb)).toThrow(/divisor/);
    ctx.release(ga, gb);
  });
});
