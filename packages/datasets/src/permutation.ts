import { createRng } from '@statespace/complex';

/**
 * A permutation of 0…n−1 drawn by Fisher–Yates from `createRng(seed)`: for i = n−1 down to 1, swap
 * position i with position ⌊u·(i+1)⌋. Integer arithmetic only, so identical on every machine.
 */
export function randomPermutation(n: number, seed: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const rng = createRng(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

/** Seed of the fixed order in which loaded data sets (MNIST, spam) list each split's examples. */
const SPLIT_ORDER_SEED = 0x5eed;

/**
 * `indices` in the fixed shuffled order every machine agrees on, so that a split's first n examples
 * (`limit`) mix all classes instead of taking the first class only.
 */
export function inSplitOrder(indices: Int32Array): Int32Array {
  const order = randomPermutation(indices.length, SPLIT_ORDER_SEED);
  return order.map((k) => indices[k]);
}
