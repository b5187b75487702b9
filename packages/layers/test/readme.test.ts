import { fileURLToPath } from 'node:url';
import { runExample, typescriptBlocks } from '@statespace/testing';
import { expect, it } from 'vitest';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));

/** What each example logs, in order. */
const EXPECTED = [
  // Step = forward, the reloaded checkpoint gives identical outputs, and the official key names.
  'true true layer.D layer.kernel.inv_dt layer.kernel.C',
  // A gradient step lowers the loss; ∂ℓ/∂x has x's size; gradients by official name.
  'true 128 layer.D layer.kernel.inv_dt layer.kernel.C',
];

it.each(typescriptBlocks(readme).map((code, i) => [i, code] as const))(
  'README example %i runs',
  async (i, code) => {
    const logged = await runExample(readme, code, i);
    expect(logged).toEqual([EXPECTED[i]]);
  },
);
