/**
 * Test utilities shared by the statespace packages (private, not published).
 * @packageDocumentation
 */

export { type BenchFigure, type MeasureOptions, measureMs, report } from './bench';
export {
  expectGradients,
  type FiniteDifferenceOptions,
  finiteDifferenceGradient,
  type GradientInputs,
} from './finite-difference';
export {
  assertKnownFields,
  caseName,
  type GoldenCase,
  type GoldenComplex,
  type GoldenReal,
  goldenComplex,
  goldenDir,
  goldenReal,
  loadGoldenCases,
} from './golden';
export { GOLDEN_FIELDS } from './golden-format';
export { runExample, typescriptBlocks } from './readme';
export { expectClose, relativeError, TOLERANCE } from './tolerance';
