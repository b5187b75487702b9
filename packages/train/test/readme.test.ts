import { fileURLToPath } from 'node:url';
import { runExample, typescriptBlocks } from '@statespace/testing';
import { expect, it } from 'vitest';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));

/** What each example logs, in order. */
const EXPECTED = [
  [
    // The adding problem's losses per epoch (deterministic: fixed seeds).
    'epoch 1: train 0.231, test 0.216',
    'epoch 2: train 0.180, test 0.169',
    'epoch 3: train 0.166, test 0.169',
    'epoch 4: train 0.166, test 0.171',
    // Finished; 4 epochs in state.json; the reloaded model evaluates identically; the loss went down.
    'done 4 true true',
  ],
];

it.each(typescriptBlocks(readme).map((code, i) => [i, code] as const))(
  'README example %i runs',
  async (i, code) => {
    const logged = await runExample(readme, code, i);
    expect(logged).toEqual(EXPECTED[i]);
  },
);
