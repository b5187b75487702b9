import { type ComplexTensor, complexTensor, createRng, type Tensor, tensor } from '@statespace/complex';
import { convolve, cTildeFromC } from '@statespace/kernels';
import {
  caseName,
  expectClose,
  goldenComplex,
  goldenReal,
  loadGoldenCases,
  TOLERANCE,
} from '@statespace/testing';
import { type BrowserPage, CHROMIUM_PATH, hasChromium, openBrowserPage } from '@statespace/testing/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatespacePage, WireTensor } from './browser/page';
import { gpuRequired } from './gpu';

// The backend in a browser: headless Chromium's navigator.gpu (SwiftShader on a CPU-only machine)
// computes the golden S4 and S4D kernels and FFT convolutions; the outputs are checked here in Node.

if (!hasChromium() && gpuRequired) {
  throw new Error(
    `STATESPACE_REQUIRE_GPU=1 but ${CHROMIUM_PATH} is missing: install Debian's browser with \`apt-get install -y chromium\``,
  );
}

const real = (field: unknown, name: string): Tensor<Float64Array> => {
  const { data, shape } = goldenReal(field, name);
  return tensor(data, shape);
};
const cplx = (field: unknown, name: string): ComplexTensor<Float64Array> => {
  const { data, shape } = goldenComplex(field, name);
  return complexTensor(data, shape);
};
const wire = (t: Tensor | ComplexTensor, shape = t.shape): WireTensor => ({
  data: Array.from(t.data),
  shape: [...shape],
});

describe.skipIf(!hasChromium())('WebGPU in headless Chromium', () => {
  // browser/page.ts runs the backend on `navigator.gpu` and exposes it as `window.statespace`.
  let page: BrowserPage<StatespacePage>;
  beforeAll(async () => {
    page = await openBrowserPage<StatespacePage>({
      entry: new URL('./browser/page.ts', import.meta.url),
      title: 'statespace webgpu',
    });
  }, 120_000);
  afterAll(async () => {
    await page?.close();
  }, 30_000);

  it('has a WebGPU adapter', async () => {
    const description = await page.call('describe');
    console.info(`Chromium: ${description}`);
    expect(description).toMatch(/^webgpu \(.+\)$/);
  });

  describe('golden kernels.json: S4 (DPLR) kernels', () => {
    for (const c of loadGoldenCases('kernels.json').filter((c) => c.kind === 'dplr')) {
      it(caseName(c), async () => {
        const L = c.L as number;
        const system = {
          Lambda: cplx(c.Lambda, 'Lambda'),
          P: cplx(c.P, 'P'),
          B: cplx(c.B, 'B'),
          dt: tensor(real(c.log_dt, 'log_dt').data.map(Math.exp), [c.H as number]),
        };
        // Golden C is the true C; the backend takes C̃ (float64, on the CPU, as the conformance suite).
        const C = cplx(c.C, 'C');
        const Ctilde = cTildeFromC(system, { ...C, shape: [1, ...C.shape] }, L);
        const { K } = await page.call('run', 'dplrKernel', {
          Lambda: wire(system.Lambda),
          P: wire(system.P),
          B: wire(system.B),
          dt: wire(system.dt),
          C: wire(Ctilde),
          lKernel: L,
        });
        expect(K.shape).toEqual([1, c.H, L]);
        expectClose(K.data, real(c.K, 'K').data, TOLERANCE.float32, 'K');
      });
    }
  });

  describe('golden kernels.json: S4D (diagonal) kernels', () => {
    for (const c of loadGoldenCases('kernels.json').filter((c) => c.kind === 'diag')) {
      it(caseName(c), async () => {
        const C = cplx(c.C, 'C');
        const { K } = await page.call('run', 'diagKernel', {
          Lambda: wire(cplx(c.Lambda, 'Lambda')),
          B: wire(cplx(c.B, 'B')),
          C: wire(C, [1, ...C.shape]),
          dt: wire(tensor(real(c.log_dt, 'log_dt').data.map(Math.exp), [c.H as number])),
          L: c.L as number,
          disc: c.disc as string,
        });
        expect(K.shape).toEqual([1, c.H, c.L]);
        expectClose(K.data, real(c.K, 'K').data, TOLERANCE.float32, 'K');
      });
    }
  });

  describe('golden fftconv.json: FFT convolution', () => {
    for (const c of loadGoldenCases('fftconv.json')) {
      it(caseName(c), async () => {
        const k = real(c.k, 'k');
        const { out } = await page.call('run', 'convolve', {
          u: wire(real(c.u, 'u')),
          k: wire(k, [1, ...k.shape]),
          D: wire(real(c.D, 'D'), [1, c.H as number]),
        });
        expectClose(out.data, real(c.y, 'y').data, TOLERANCE.float32, 'y');
      });
    }
  });

  it('FFT convolution of long rows (residue transforms and column products), bidirectional with D', async () => {
    // L = 5000: rows of n = 16384, beyond one workgroup's transform on any adapter.
    const rng = createRng(5);
    const random = (shape: number[], scale = 1) =>
      tensor(
        Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () =>
          Math.fround(scale * rng.normal()),
        ),
        shape,
      );
    const input = {
      u: random([1, 2, 5000]),
      k: random([2, 2, 5000], 0.05),
      D: random([2, 2]),
      kReverse: random([2, 2, 5000], 0.05),
    };
    const { out } = await page.call('run', 'convolve', {
      u: wire(input.u),
      k: wire(input.k),
      D: wire(input.D),
      kReverse: wire(input.kReverse),
    });
    expectClose(out.data, convolve(input).data, TOLERANCE.float32, 'y');
  });
});
