import type { ComplexArray } from './array';
import { allocateLike } from './dtype';

// S4 stores only half of a conjugate-symmetric state: N/2 modes whose conjugates are implied.
// These helpers move between the half and the full representation.

/**
 * Expands each row of `rows × n` complex values to `[x, conj x]` (`rows × 2n`): the full state
 * of a half-stored conjugate-symmetric system.
 */
export function conjExpand<A extends ComplexArray>(a: A, rows = 1): A {
  const n = checkRows('conjExpand', a, rows);
  const out = allocateLike(a, 4 * n * rows);
  for (let r = 0; r < rows; r++) {
    const src = 2 * n * r;
    const dst = 4 * n * r;
    for (let i = 0; i < 2 * n; i += 2) {
      out[dst + i] = a[src + i];
      out[dst + i + 1] = a[src + i + 1];
      out[dst + 2 * n + i] = a[src + i];
      out[dst + 2 * n + i + 1] = -a[src + i + 1];
    }
  }
  return out;
}

/** 2·Re(a) elementwise: the real value of `z + conj z`. */
export function twiceReal<A extends ComplexArray>(a: A, out?: A): A {
  const n = a.length >> 1;
  const o = out ?? allocateLike(a, n);
  if (o.length !== n) throw new RangeError(`twiceReal: out must hold ${n} values; got ${o.length}`);
  for (let i = 0; i < n; i++) o[i] = 2 * a[2 * i];
  return o;
}

/**
 * 2·Re Σ_n a_n over each row of `rows × n` values: the real output of a half-stored sum
 * Σ over the full conjugate-symmetric set.
 */
export function sumTwiceReal<A extends ComplexArray>(a: A, rows = 1, out?: A): A {
  const n = checkRows('sumTwiceReal', a, rows);
  const o = out ?? allocateLike(a, rows);
  if (o.length !== rows) throw new RangeError(`sumTwiceReal: out must hold ${rows} values; got ${o.length}`);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[2 * (r * n + i)];
    o[r] = 2 * s;
  }
  return o;
}

function checkRows(name: string, a: ComplexArray, rows: number): number {
  if (!Number.isInteger(rows) || rows < 1 || (a.length / 2) % rows !== 0) {
    throw new RangeError(`${name}: rows must be a positive integer dividing ${a.length / 2}; got ${rows}`);
  }
  return a.length / 2 / rows;
}
