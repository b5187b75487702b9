import { createRng, type Rng } from '@statespace/complex';

/**
 * Mixes integers into one 32-bit seed: MurmurHash3 (x86, 32-bit) of their 32-bit words, low word then
 * high word of each. Used as `createRng(mixSeed(seed, split, i))` so that every example and every
 * epoch's shuffle gets a generator of its own, independent of the order in which they are asked for.
 */
export function mixSeed(...parts: number[]): number {
  let h = 0;
  for (const part of parts) {
    if (!Number.isSafeInteger(part)) throw new RangeError(`seed parts must be safe integers; got ${part}`);
    h = mixWord(h, part >>> 0);
    h = mixWord(h, Math.floor(part / 2 ** 32) >>> 0);
  }
  return finalize(h ^ (parts.length * 8));
}

function mixWord(h: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finalize(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The generator of example i of a generated task's split: `createRng(mixSeed(seed, 0 for train | 1 for test, i))`. */
export function exampleRng(seed: number, split: 'train' | 'test', i: number): Rng {
  return createRng(mixSeed(seed, split === 'train' ? 0 : 1, i));
}
