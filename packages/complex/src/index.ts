/**
 * Complex scalars and interleaved complex arrays: the numeric base of statespace.
 *
 * Data convention (see `docs/architecture.md`): row-major typed arrays with explicit shapes; complex
 * values interleaved `(re, im)` in the same array; float64 or float32 chosen by the caller.
 *
 * @packageDocumentation
 */
export {
  type ComplexArray,
  complexFromParts,
  complexFromScalars,
  complexLength,
  complexZeros,
  getComplex,
  imagPart,
  imagView,
  type PartView,
  realPart,
  realView,
  setComplex,
} from './array';
export { conjExpand, sumTwiceReal, twiceReal } from './conjugate-pairs';
export { type ArrayOf, allocate, allocateLike, DTYPES, type DType, dtypeOf, type RealArray } from './dtype';
export { abs, add, conj, div, dot, dotc, exp, fma, log, mul, scale, sub, sum } from './elementwise';
export { createRng, type Rng } from './random';
export {
  type Complex,
  cabs,
  cabs2,
  cadd,
  carg,
  cconj,
  cdiv,
  cexp,
  cis,
  clog,
  cmul,
  complex,
  cscale,
  csqrt,
  csub,
} from './scalar';
export { type ComplexTensor, complexTensor, type Shape, sizeOf, type Tensor, tensor } from './tensor';
export {
  assertComplexLength,
  assertFinite,
  assertInteger,
  assertLength,
  assertOneOf,
  assertPositive,
  assertShape,
} from './validate';
