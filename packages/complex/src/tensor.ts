import type { ComplexArray } from './array';
import type { RealArray } from './dtype';

/** Row-major dimensions of a tensor, outermost first. */
export type Shape = readonly number[];

/** A real row-major tensor: `data.length === size(shape)`. */
export interface Tensor<A extends RealArray = RealArray> {
  readonly data: A;
  readonly shape: Shape;
}

/** A complex row-major tensor, interleaved: `data.length === 2 · size(shape)`. */
export interface ComplexTensor<A extends ComplexArray = ComplexArray> {
  readonly data: A;
  readonly shape: Shape;
}

/** Number of elements of a shape (1 for a scalar shape `[]`). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Wraps `data` as a real tensor, checking that its length matches `shape`. */
export function tensor<A extends RealArray>(data: A, shape: Shape): Tensor<A> {
  checkShape('shape', shape);
  const n = sizeOf(shape);
  if (data.length !== n) {
    throw new RangeError(`data has ${data.length} values but shape [${shape.join(', ')}] needs ${n}`);
  }
  return { data, shape: [...shape] };
}

/** Wraps interleaved `data` as a complex tensor, checking that its length matches `shape`. */
export function complexTensor<A extends ComplexArray>(data: A, shape: Shape): ComplexTensor<A> {
  checkShape('shape', shape);
  const n = sizeOf(shape);
  if (data.length !== 2 * n) {
    throw new RangeError(
      `data has ${data.length / 2} complex values but shape [${shape.join(', ')}] needs ${n}`,
    );
  }
  return { data, shape: [...shape] };
}

function checkShape(name: string, shape: Shape): void {
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new RangeError(`${name} must be non-negative integers; got [${shape.join(', ')}]`);
  }
}
