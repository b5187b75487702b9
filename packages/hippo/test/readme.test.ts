import { fileURLToPath } from 'node:url';
import { runExample, typescriptBlocks } from '@statespace/testing';
import { expect, it } from 'vitest';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));

it.each(typescriptBlocks(readme).map((code, i) => [i, code] as const))(
  'README example %i runs',
  async (i, code) => {
    const logged = await runExample(readme, code, i);
    expect(logged.length).toBeGreaterThan(0);
    if (i === 0) {
      expect(logged).toEqual([
        expect.stringMatching(/^LegS reconstruction error: \d\.\de-1[45]$/),
        'Im Λ from -1303.27 to -0.2639',
        'S4D-Inv Im A from -1283.43 to -0.3234',
      ]);
    }
  },
);
