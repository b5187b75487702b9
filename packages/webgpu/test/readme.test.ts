import { fileURLToPath } from 'node:url';
import { runExample, typescriptBlocks } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { acquireGpu } from './gpu';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));
const gpu = await acquireGpu();

describe.skipIf(!gpu)('README', () => {
  it.each(typescriptBlocks(readme).map((code, i) => [i, code] as const))(
    'example %i runs',
    async (i, code) => {
      const logged = await runExample(readme, code, i);
      // The GPU line and the CPU line print the same convolution.
      const [gpuLine, cpuLine] = logged.map((line) => line.split(' ').slice(-8).join(' '));
      expect(gpuLine).toBe(cpuLine);
    },
  );
});
