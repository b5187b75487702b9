import { fileURLToPath } from 'node:url';
import { runExample, typescriptBlocks } from '@statespace/testing';
import { expect, it } from 'vitest';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));

it.each(typescriptBlocks(readme).map((code, i) => [i, code] as const))(
  'README example %i runs',
  async (i, code) => {
    const logged = await runExample(readme, code, i);
    // It logs the kernel's first taps, then the recurrence's impulse response: they agree.
    const [kernel, impulse] = logged[0].split(' ').map((part) => part.split(',').map(Number));
    expect(kernel).toHaveLength(4);
    for (const [t, k] of kernel.entries()) expect(k).toBeCloseTo(impulse[t], 4);
  },
);
