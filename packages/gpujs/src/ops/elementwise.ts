import { type Complex, type ComplexTensor, sizeOf } from '@statespace/complex';
import { complexShape } from '@statespace/kernels';
import { float32 } from '../float32';
import { type DeviceValue, type GpuJsRuntime, type KernelThis, kernelSource } from '../runtime';

// Complex elementwise kernels on rows of interleaved values (gpu.js output [2·W, rows]): a binary
// kernel (product or sum, the second operand broadcast over rows: row r reads row r mod bRows,
// optionally conjugated) and a unary one (s·a or s·conj(a) for a complex scalar s). One thread per
// output number.

/** The complex elementwise operations. */
export const COMPLEX_ELEMENTWISE_OPS = ['mul', 'add', 'scale', 'conj'] as const;

/** The name of a complex elementwise operation. */
export type ComplexElementwiseOp = (typeof COMPLEX_ELEMENTWISE_OPS)[number];

function binaryKernel(this: KernelThis, a: number[][], b: number[][], bSign: number): number {
  const col = this.thread.x;
  const row = this.thread.y;
  const k = Math.floor(col / 2);
  const part = col - 2 * k;
  const bRows = this.constants.bRows;
  const brow = row - Math.floor((row + 0.5) / bRows) * bRows;
  const ar = a[row][2 * k];
  const ai = a[row][2 * k + 1];
  const br = b[brow][2 * k];
  const bi = b[brow][2 * k + 1] * bSign;
  if (this.constants.product > 0.5) {
    if (part < 0.5) return ar * br - ai * bi;
    return ar * bi + ai * br;
  }
  if (part < 0.5) return ar + br;
  return ai + bi;
}

function unaryKernel(this: KernelThis, a: number[][], sr: number, si: number, aSign: number): number {
  const col = this.thread.x;
  const row = this.thread.y;
  const k = Math.floor(col / 2);
  const part = col - 2 * k;
  const ar = a[row][2 * k];
  const ai = a[row][2 * k + 1] * aSign;
  if (part < 0.5) return sr * ar - si * ai;
  return sr * ai + si * ar;
}

const BINARY_SOURCE = kernelSource(binaryKernel);
const UNARY_SOURCE = kernelSource(unaryKernel);

/** Rows of complex values for a kernel: a device value or a host array, `rows` rows of `width`. */
export interface ComplexRows {
  value: DeviceValue;
  /** Whether `value` is a kernel result (on the device) rather than a host array. */
  device: boolean;
  width: number;
  rows: number;
}

/** Rows of a host Float32Array (interleaved complex) as a kernel argument. */
export function hostRows(rt: GpuJsRuntime, data: Float32Array, width: number, rows: number): ComplexRows {
  return { value: rt.input(data, [2 * width, rows]), device: false, width, rows };
}

const where = (r: ComplexRows) => (r.device ? 'd' : 'h');

/**
 * Runs a ⊙ b (`mul`) or a + b (`add`) on the device, b broadcast over a's rows (a's row r reads b's
 * row r mod b.rows) and conjugated when `conjugateB`; returns the [2·width, a.rows] result there.
 */
export function runComplexBinary(
  rt: GpuJsRuntime,
  op: 'mul' | 'add',
  a: ComplexRows,
  b: ComplexRows,
  conjugateB = false,
): Promise<DeviceValue> {
  return rt.run(
    {
      key: `complex-${op}:${a.width}x${a.rows}${where(a)}:${b.rows}${where(b)}`,
      source: BINARY_SOURCE,
      output: [2 * a.width, a.rows],
      constants: { bRows: b.rows, product: op === 'mul' ? 1 : 0 },
    },
    [a.value, b.value, conjugateB ? -1 : 1],
  );
}

/** Runs s·a, or s·conj(a) when `conjugateA`, on the device; returns the result there. */
export function runComplexUnary(
  rt: GpuJsRuntime,
  a: ComplexRows,
  s: Complex,
  conjugateA: boolean,
): Promise<DeviceValue> {
  return rt.run(
    {
      key: `complex-unary:${a.width}x${a.rows}${where(a)}`,
      source: UNARY_SOURCE,
      output: [2 * a.width, a.rows],
    },
    [a.value, s.re, s.im, conjugateA ? -1 : 1],
  );
}

/** The runtime of a gpu.js backend (what the elementwise functions need of it). */
export interface HasRuntime {
  readonly runtime: GpuJsRuntime;
}

/** a's rows (last dimension) and b's, b's shape a suffix of a's that includes the last dimension. */
function broadcastRows(a: ComplexTensor, b: ComplexTensor): { width: number; rows: number; bRows: number } {
  const shape = complexShape('a', a, a?.shape?.map((_, i) => `d${i}`) ?? []);
  if (shape.length === 0) throw new RangeError('a must have at least one dimension; got shape []');
  const suffix = shape.slice(shape.length - (b?.shape?.length ?? 0));
  const bShape = complexShape(
    'b',
    b,
    suffix.map((_, i) => `d${shape.length - suffix.length + i}`),
    suffix,
  );
  if (bShape.length === 0) {
    throw new RangeError(
      `b must have the trailing shape of a (at least its last dimension ${shape[shape.length - 1]}); got []`,
    );
  }
  const width = shape[shape.length - 1];
  return { width, rows: sizeOf(shape) / Math.max(width, 1), bRows: sizeOf(bShape) / Math.max(width, 1) };
}

async function binary(
  backend: HasRuntime,
  op: 'mul' | 'add',
  a: ComplexTensor,
  b: ComplexTensor,
): Promise<ComplexTensor> {
  const rt = backend.runtime;
  return rt.exclusive(async () => {
    const { width, rows, bRows } = broadcastRows(a, b);
    const shape = [...a.shape];
    if (width * rows === 0) return { data: new Float32Array(0), shape };
    const out = await runComplexBinary(
      rt,
      op,
      hostRows(rt, float32(a.data), width, rows),
      hostRows(rt, float32(b.data), width, bRows),
    );
    return { data: await rt.read(out, 2 * width * rows), shape };
  });
}

async function unary(backend: HasRuntime, a: ComplexTensor, s: Complex, conjugate: boolean) {
  const rt = backend.runtime;
  if (!(Number.isFinite(s?.re) && Number.isFinite(s?.im))) {
    throw new RangeError(`s must be a finite complex number {re, im}; got ${JSON.stringify(s)}`);
  }
  return rt.exclusive(async () => {
    const shape = complexShape('a', a, a?.shape?.map((_, i) => `d${i}`) ?? []);
    if (shape.length === 0) throw new RangeError('a must have at least one dimension; got shape []');
    const width = shape[shape.length - 1];
    const rows = sizeOf(shape) / Math.max(width, 1);
    if (width * rows === 0) return { data: new Float32Array(0), shape };
    const out = await runComplexUnary(rt, hostRows(rt, float32(a.data), width, rows), s, conjugate);
    return { data: await rt.read(out, 2 * width * rows), shape };
  });
}

/**
 * a ⊙ b (complex product) on the backend's gpu.js kernels, in float32. `b`'s shape must be a
 * trailing part of `a`'s (at least its last dimension): it is broadcast over a's leading dimensions.
 * @throws RangeError on mismatched shapes or non-finite values (naming `a` or `b`).
 */
export function complexMul(backend: HasRuntime, a: ComplexTensor, b: ComplexTensor): Promise<ComplexTensor> {
  return binary(backend, 'mul', a, b);
}

/** a + b on the backend's gpu.js kernels, b broadcast as in {@link complexMul}. */
export function complexAdd(backend: HasRuntime, a: ComplexTensor, b: ComplexTensor): Promise<ComplexTensor> {
  return binary(backend, 'add', a, b);
}

/** s·a for a complex scalar s, on the backend's gpu.js kernels. */
export function complexScale(backend: HasRuntime, a: ComplexTensor, s: Complex): Promise<ComplexTensor> {
  return unary(backend, a, s, false);
}

/** conj(a), on the backend's gpu.js kernels. */
export function complexConj(backend: HasRuntime, a: ComplexTensor): Promise<ComplexTensor> {
  return unary(backend, a, { re: 1, im: 0 }, true);
}
