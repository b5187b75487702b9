// Factorisation of a transform length into Stockham passes, and a cost model (calibrated on the
// benchmark) that decides between a direct mixed-radix transform and Bluestein's algorithm.

/** Prime factors above this go through Bluestein: an odd-radix pass costs O(r) per element. */
const MAX_ODD_RADIX = 61;

/**
 * The radices of the Stockham passes for length `n` (radix 4 first, then 2, 3, 5 and odd primes
 * in increasing order), or `undefined` when `n` has a prime factor above `MAX_ODD_RADIX`.
 * Length 1 needs no pass.
 */
export function radices(n: number): number[] | undefined {
  const out: number[] = [];
  let rest = n;
  while (rest % 4 === 0) {
    out.push(4);
    rest /= 4;
  }
  if (rest % 2 === 0) {
    out.push(2);
    rest /= 2;
  }
  for (let p = 3; p <= MAX_ODD_RADIX && rest > 1; p += 2) {
    while (rest % p === 0) {
      out.push(p);
      rest /= p;
    }
  }
  return rest === 1 ? out : undefined;
}

/**
 * Relative cost per element of one pass of radix `r`. Measured: a pass of radix 2, 3 or 4 costs
 * about the same (the loads and stores dominate), radix 5 about 1.65 times that, and the O(r)
 * odd-radix pass about 0.5·r + 0.5 times.
 */
function passCost(r: number): number {
  if (r <= 4) return 1;
  if (r === 5) return 1.65;
  return 0.5 * r + 0.5;
}

/** Estimated cost of a mixed-radix transform of length `n` with the given passes. */
export function stockhamCost(n: number, passes: readonly number[]): number {
  let perElement = 0;
  for (const r of passes) perElement += passCost(r);
  return n * Math.max(perElement, 1);
}

/** Estimated cost of Bluestein's algorithm for length `n` with an inner transform of length `m`. */
export function bluesteinCost(n: number, m: number, passes: readonly number[]): number {
  // two inner transforms; the chirp products, the spectral product and the cache misses of the
  // extra buffers cost about two more passes over m values (measured)
  return 2 * stockhamCost(m, passes) + 2 * m + 2 * n;
}

/**
 * The cheapest length ≥ `n` of the form 2^a·3^b·5^c by the cost model (it prefers a power of two
 * to a slightly shorter length with many radix-3 or radix-5 passes).
 */
export function fastLength(n: number): number {
  let best = 1;
  let bestCost = Number.POSITIVE_INFINITY;
  // for each 3^b·5^c below 2n, the smallest multiple by a power of two that reaches n
  for (let p5 = 1; p5 < 2 * n; p5 *= 5) {
    for (let p35 = p5; p35 < 2 * n; p35 *= 3) {
      let m = p35;
      while (m < n) m *= 2;
      const cost = stockhamCost(m, radices(m) as number[]);
      if (cost < bestCost || (cost === bestCost && m < best)) {
        best = m;
        bestCost = cost;
      }
    }
  }
  return best;
}
