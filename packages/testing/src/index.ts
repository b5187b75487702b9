/**
 * Test utilities shared by the statespace packages (private, not published).
 * @packageDocumentation
 */
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
export { type BenchFigure, type MeasureOptions, measureMs, report } from './bench';
export { expectClose, relativeError, TOLERANCE } from './tolerance';
