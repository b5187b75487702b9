import { fileURLToPath } from 'node:url';
import { runExample, typescriptBlocks } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { KERNEL_CLASSES } from '../src/index';

// The README's examples run as written (webgpu where Dawn has an adapter, WebAssembly otherwise,
// as the example allows).

const readme = fileURLToPath(new URL('../README.md', import.meta.url));

describe('README', () => {
  it.each(typescriptBlocks(readme).map((code, i) => [i, code] as const))(
    'example %i runs',
    async (i, code) => {
      const logged = await runExample(readme, code, i);
      const [gpuLine, cpuLine] = logged.map((line) => line.split(' '));
      expect([KERNEL_CLASSES.webgpu, KERNEL_CLASSES.webasm]).toContain(gpuLine[0]);
      // The gpu.js line and the CPU line print the same convolution.
      expect(gpuLine.slice(1)).toEqual(cpuLine.slice(1));
    },
  );
});
