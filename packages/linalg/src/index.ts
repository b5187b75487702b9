/**
 * Dense real and complex matrices for statespace: products, LU solves and inverses, Hermitian and
 * general eigendecompositions, integer powers, power scans and the matrix exponential.
 *
 * Conventions: matrices are row-major `Tensor` / `ComplexTensor` values of shape `[rows, cols]`,
 * complex entries interleaved `(re, im)`; eigenvectors are the columns of the returned matrix.
 * Decompositions compute in float64 and return float64.
 *
 * @packageDocumentation
 */
export { type Eigen, eig } from './eig';
export { eigh, eighSymmetric, type HermitianEigen, type SymmetricEigen } from './eigh';
export { cexpm, expm } from './expm';
export {
  type ComplexLuFactorization,
  cinverse,
  cluFactor,
  csolve,
  inverse,
  type LuFactorization,
  luFactor,
  solve,
} from './lu';
export { adjoint, cidentity, cmatmul, identity, matmul, transpose } from './matrix';
export { cmatrixPower, matrixPower, powerScan, powerScanRows } from './power';
