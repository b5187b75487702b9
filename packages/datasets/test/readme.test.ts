import { fileURLToPath } from 'node:url';
import { runExample, typescriptBlocks } from '@statespace/testing';
import { expect, it } from 'vitest';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));

it.each(typescriptBlocks(readme).map((code, i) => [i, code] as const))(
  'README example %i runs',
  async (i, code) => {
    const logged = await runExample(readme, code, i);
    expect(logged.length).toBeGreaterThan(0);
  },
);
