import type { RealArray, Rng } from '@statespace/complex';
import { dropout, dropPath, type SequenceLayout } from './dropout';
import type { Tape } from './tape';

/**
 * `dropout(x, p, rng, layout, tie)` (see `dropout`), recorded on `tape` when one is given: then the
 * mask is drawn by dropping out ones — the same draws in the same order, so the same mask and
 * output as in place — and y = x ⊙ mask is a new array, whose VJP is grad ⊙ mask. Without a tape,
 * x is dropped out in place and returned.
 */
export function dropoutRecorded(
  x: RealArray,
  p: number,
  rng: Rng,
  layout: SequenceLayout,
  tie: boolean,
  tape?: Tape,
): RealArray {
  return recorded('dropout', x, (a) => dropout(a, p, rng, layout, tie), p, tape);
}

/** `dropPath(x, p, rng, batch)` (stochastic depth), recorded on `tape` as {@link dropoutRecorded}. */
export function dropPathRecorded(x: RealArray, p: number, rng: Rng, batch: number, tape?: Tape): RealArray {
  return recorded('dropPath', x, (a) => dropPath(a, p, rng, batch), p, tape);
}

/** x masked in place by `drop`, or, with a tape, x ⊙ (drop applied to ones) recorded. */
function recorded(
  name: string,
  x: RealArray,
  drop: (a: RealArray) => void,
  p: number,
  tape: Tape | undefined,
): RealArray {
  if (tape === undefined || p === 0) {
    drop(x);
    return x;
  }
  const mask = new Float64Array(x.length).fill(1);
  drop(mask);
  const y = x.map((v, i) => v * mask[i]);
  tape.record(name, [x], y, (g) => [g.map((v, i) => v * mask[i])]);
  return y;
}
