import { type ComplexTensor, complexTensor, createRng, mul } from '@statespace/complex';
import { expectClose, TOLERANCE } from '@statespace/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  complexAdd,
  complexConj,
  complexMul,
  complexScale,
  createGpuJsBackend,
  type GpuJsBackend,
  type GpuJsMode,
} from '../src/index';
import { webGpuAvailable } from './gpu';

// The complex elementwise operations against the host arithmetic, with broadcasting.

const webgpu = await webGpuAvailable();
const modes: GpuJsMode[] = webgpu ? ['webgpu', 'webasm'] : ['webasm'];

const complexNormal = (shape: number[], seed: number): ComplexTensor<Float64Array> => {
  const rng = createRng(seed);
  return complexTensor(
    Float64Array.from({ length: 2 * shape.reduce((a, b) => a * b, 1) }, () => rng.normal()),
    shape,
  );
};

/** out[i] = f(a[i], b[i mod len(b)]) on interleaved complex values. */
function broadcast(
  a: ComplexTensor,
  b: ComplexTensor,
  f: (x: number[], y: number[]) => number[],
): Float64Array {
  const out = new Float64Array(a.data.length);
  for (let i = 0; i < a.data.length; i += 2) {
    const j = i % b.data.length;
    out.set(f([a.data[i], a.data[i + 1]], [b.data[j], b.data[j + 1]]), i);
  }
  return out;
}

describe.each(modes)('complex elementwise operations, %s mode', (mode) => {
  let backend: GpuJsBackend;
  beforeAll(async () => {
    backend = await createGpuJsBackend({ mode });
  });
  afterAll(async () => {
    await backend?.dispose();
  });

  const a = complexNormal([3, 2, 5], 1);
  const b = complexNormal([2, 5], 2);

  it('multiplies and adds with b broadcast over the leading dimensions of a', async () => {
    const product = await complexMul(backend, a, b);
    expect(product.shape).toEqual([3, 2, 5]);
    const expected = broadcast(a, b, ([ar, ai], [br, bi]) => [ar * br - ai * bi, ar * bi + ai * br]);
    expectClose(product.data, expected, TOLERANCE.float32, 'a ⊙ b');
    const same = complexNormal([3, 2, 5], 3);
    expectClose(
      (await complexMul(backend, a, same)).data,
      mul(a.data, same.data),
      TOLERANCE.float32,
      'a ⊙ a′',
    );
    const sum = await complexAdd(backend, a, b);
    expectClose(
      sum.data,
      broadcast(a, b, ([ar, ai], [br, bi]) => [ar + br, ai + bi]),
      TOLERANCE.float32,
      'a + b',
    );
  });

  it('scales and conjugates', async () => {
    const scaled = await complexScale(backend, a, { re: 0.5, im: -2 });
    expectClose(
      scaled.data,
      broadcast(a, a, ([ar, ai]) => [0.5 * ar + 2 * ai, 0.5 * ai - 2 * ar]),
      TOLERANCE.float32,
      's·a',
    );
    const conj = await complexConj(backend, a);
    expectClose(
      conj.data,
      broadcast(a, a, ([ar, ai]) => [ar, -ai]),
      TOLERANCE.float32,
      'conj a',
    );
  });

  it('rejects a b that is not a trailing part of a, and a bad scalar', async () => {
    await expect(complexMul(backend, a, complexNormal([3, 5], 4))).rejects.toThrow(
      /^b must have shape \[d1 = 2, d2 = 5\]/,
    );
    await expect(complexAdd(backend, a, complexNormal([4], 4))).rejects.toThrow(
      /^b must have shape \[d2 = 5\]/,
    );
    await expect(complexScale(backend, a, { re: Number.NaN, im: 0 })).rejects.toThrow(
      /s must be a finite complex/,
    );
    const nan = complexTensor(
      Float64Array.from(b.data, (x, i) => (i === 3 ? Number.NaN : x)),
      b.shape,
    );
    await expect(complexMul(backend, a, nan)).rejects.toThrow(/^b must be finite/);
  });
});
