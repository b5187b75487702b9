import { type ComplexTensor, complexTensor, createRng, type Tensor, tensor } from '@statespace/complex';
import { cauchy, cTildeFromC, frequencyNodes } from '@statespace/kernels';
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
import { KERNEL_CLASSES } from '../src/modes';
import type { StatespacePage, WireTensor } from './browser/page';
import { gpuRequired } from './gpu';

// The backend in a browser: headless Chromium (SwiftShader on a CPU-only machine) runs gpu.js in
// webgl2 mode — the browser default — and in webgpu mode, with no fallback, on the golden S4 and
// S4D kernels, the golden FFT convolution and Cauchy sums at the S4 nodes; outputs are checked
// here in Node.

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

describe.skipIf(!hasChromium())('gpu.js in headless Chromium', () => {
  // browser/page.ts runs the backend in a requested mode and exposes it as `window.statespace`.
  let page: BrowserPage<StatespacePage>;
  beforeAll(async () => {
    page = await openBrowserPage<StatespacePage>({
      entry: new URL('./browser/page.ts', import.meta.url),
      title: 'statespace gpujs',
      timeoutMs: 120_000,
      // gpu.js's browser build makes the bundle large (1.3 MB); an inline source map would triple it.
      sourcemap: false,
    });
  }, 120_000);
  afterAll(async () => {
    await page?.close();
  }, 30_000);

  describe.each(['webgl2', 'webgpu'] as const)('%s mode', (mode) => {
    it(`runs on ${KERNEL_CLASSES[mode]}`, async () => {
      const { description, kernelClass } = await page.call('describe', mode);
      console.info(`Chromium: ${description}`);
      expect(kernelClass).toBe(KERNEL_CLASSES[mode]);
      expect(description).toContain(`mode ${mode};`);
    });

    it('Cauchy sums at the S4 nodes match the float64 CPU reference', async () => {
      const rng = createRng(3);
      const H = 3;
      const N2 = 16;
      const v = complexTensor(
        Float64Array.from({ length: 2 * 2 * H * N2 }, () => rng.normal()),
        [2, H, N2],
      );
      const w = complexTensor(
        Float64Array.from({ length: 2 * H * N2 }, (_, i) => (i % 2 ? -Math.PI * (i >> 1) : -0.5)),
        [H, N2],
      );
      const nodes = frequencyNodes(256);
      const z = complexTensor(nodes.z, [nodes.count]);
      const { out } = await page.call('run', mode, 'cauchy', { v: wire(v), w: wire(w), z: wire(z) });
      // Playwright carries the Nyquist marker (0, +∞) into the page as it is.
      expect(out.shape).toEqual([2, H, nodes.count]);
      expectClose(out.data, cauchy(v, w, z).data, TOLERANCE.float32, 'cauchy');
    });

    describe('golden kernels.json', () => {
      for (const c of loadGoldenCases('kernels.json')) {
        it(caseName(c), async () => {
          const L = c.L as number;
          const Lambda = cplx(c.Lambda, 'Lambda');
          const B = cplx(c.B, 'B');
          const dt = tensor(real(c.log_dt, 'log_dt').data.map(Math.exp), [c.H as number]);
          const C = cplx(c.C, 'C');
          if (c.kind === 'dplr') {
            const system = { Lambda, P: cplx(c.P, 'P'), B, dt };
            // Golden C is the true C; the backend takes C̃ (float64, on the CPU, as the conformance suite).
            const Ctilde = cTildeFromC(system, { ...C, shape: [1, ...C.shape] }, L);
            const { K } = await page.call('run', mode, 'dplrKernel', {
              Lambda: wire(Lambda),
              P: wire(system.P),
              B: wire(B),
              dt: wire(dt),
              C: wire(Ctilde),
              lKernel: L,
            });
            expect(K.shape).toEqual([1, c.H, L]);
            expectClose(K.data, real(c.K, 'K').data, TOLERANCE.float32, 'K');
          } else {
            const { K } = await page.call('run', mode, 'diagKernel', {
              Lambda: wire(Lambda),
              B: wire(B),
              C: wire(C, [1, ...C.shape]),
              dt: wire(dt),
              L,
              disc: c.disc as string,
            });
            expectClose(K.data, real(c.K, 'K').data, TOLERANCE.float32, 'K');
          }
        });
      }
    });

    describe('golden fftconv.json: FFT convolution', () => {
      for (const c of loadGoldenCases('fftconv.json')) {
        it(caseName(c), async () => {
          const k = real(c.k, 'k');
          const { out } = await page.call('run', mode, 'convolve', {
            u: wire(real(c.u, 'u')),
            k: wire(k, [1, ...k.shape]),
            D: wire(real(c.D, 'D'), [1, c.H as number]),
          });
          expectClose(out.data, real(c.y, 'y').data, TOLERANCE.float32, 'y');
        });
      }
    });
  });
});
