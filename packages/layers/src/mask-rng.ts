import { createRng, type Rng } from '@statespace/complex';

/**
 * The generator of a module's random masks (dropout, drop path, kernel dropout). It starts from the
 * module's seed and can be restarted on a numbered stream — {@link Module.reseedMasks}, which the
 * training loop calls with the step number — so that the masks of a step depend only on (seed,
 * step): a run resumed from a checkpoint draws the masks the uninterrupted run would have drawn.
 */
export class MaskRng implements Rng {
  readonly #seed: number;
  #rng: Rng;

  constructor(seed: number) {
    this.#seed = seed;
    this.#rng = createRng(seed);
  }

  /** Restarts the generator on stream `stream` (an integer) of this module's seed. */
  reseed(stream: number): void {
    if (!Number.isInteger(stream)) throw new RangeError(`stream must be an integer; got ${stream}`);
    this.#rng = createRng(mixSeeds(this.#seed, stream));
  }

  uniform(): number {
    return this.#rng.uniform();
  }

  normal(): number {
    return this.#rng.normal();
  }
}

/** A 32-bit seed from two integers (murmur3's finaliser over their combination). */
function mixSeeds(seed: number, stream: number): number {
  let h = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul((stream | 0) + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}
