// The safetensors format (https://github.com/huggingface/safetensors), written out by hand: an
// 8-byte little-endian header length n, n bytes of JSON header `{name: {dtype, shape,
// data_offsets: [begin, end]}, "__metadata__"?: {string: string}}`, then the little-endian data
// of every tensor, packed without holes. The official S4 checkpoints in this format load as they
// are (complex parameters are real tensors with a trailing dimension 2).

/** The dtype names of the format this codec reads. */
export const SAFETENSORS_DTYPES = [
  'F64',
  'F32',
  'F16',
  'BF16',
  'I64',
  'I32',
  'I16',
  'I8',
  'U64',
  'U32',
  'U16',
  'U8',
  'BOOL',
] as const;

/** One of {@link SAFETENSORS_DTYPES}. */
export type SafetensorsDType = (typeof SAFETENSORS_DTYPES)[number];

/** The typed arrays tensors are held in (F16 and BF16 are read into a Float32Array). */
export type SafetensorsArray =
  | Float64Array
  | Float32Array
  | BigInt64Array
  | Int32Array
  | Int16Array
  | Int8Array
  | BigUint64Array
  | Uint32Array
  | Uint16Array
  | Uint8Array;

/** A tensor of a safetensors file: its dtype in the file, its shape and its values. */
export interface SafetensorsTensor {
  readonly dtype: SafetensorsDType;
  readonly shape: readonly number[];
  readonly data: SafetensorsArray;
}

/** The decoded content of a safetensors file. */
export interface Safetensors {
  /** The tensors by name, in the order of their data in the file. */
  readonly tensors: Map<string, SafetensorsTensor>;
  /** The string-to-string `__metadata__` of the header (empty when absent). */
  readonly metadata: Record<string, string>;
}

/** Thrown for bytes that are not a valid safetensors file; the message names the offending key. */
export class SafetensorsError extends Error {
  override name = 'SafetensorsError';
}

const ITEM_BYTES: Record<SafetensorsDType, number> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U64: 8,
  U32: 4,
  U16: 2,
  U8: 1,
  BOOL: 1,
};

/** Headers larger than this are rejected as corrupt (the reference implementation's limit). */
const MAX_HEADER_BYTES = 100_000_000;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Decodes a safetensors file. Every entry is checked — a known dtype, a shape of non-negative
 * integers, offsets inside the data and consistent with dtype × shape, entries that tile the
 * data without gaps or overlaps — and the values are copied into fresh, aligned typed arrays
 * (F16 and BF16 are widened to float32).
 *
 * @throws SafetensorsError naming the key (and its expected and actual sizes) at fault.
 */
export function decodeSafetensors(bytes: Uint8Array): Safetensors {
  assertLittleEndianHost();
  if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array');
  if (bytes.length < 8) {
    throw new SafetensorsError(
      `not a safetensors file: ${bytes.length} bytes, fewer than the 8-byte header length`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerBytes = Number(view.getBigUint64(0, true));
  if (headerBytes > MAX_HEADER_BYTES || 8 + headerBytes > bytes.length) {
    throw new SafetensorsError(
      `not a safetensors file: header length ${headerBytes} exceeds the ${bytes.length - 8} bytes after it`,
    );
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerBytes)));
  } catch (error) {
    throw new SafetensorsError(`safetensors header is not valid UTF-8 JSON: ${(error as Error).message}`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw new SafetensorsError('safetensors header must be a JSON object');
  }
  const dataStart = 8 + headerBytes;
  const dataBytes = bytes.length - dataStart;
  const entries: { name: string; dtype: SafetensorsDType; shape: number[]; begin: number; end: number }[] =
    [];
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = parseMetadata(value);
      continue;
    }
    entries.push({ name, ...parseEntry(name, value, dataBytes) });
  }
  // The entries must tile the data exactly, in some order.
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  let previous = '';
  for (const e of entries) {
    if (e.begin !== at) {
      const what =
        e.begin < at ? `overlaps tensor '${previous}'` : `leaves a gap of ${e.begin - at} bytes before it`;
      throw new SafetensorsError(`tensor '${e.name}': data_offsets [${e.begin}, ${e.end}] ${what}`);
    }
    at = e.end;
    previous = e.name;
  }
  if (at !== dataBytes) {
    throw new SafetensorsError(
      `the tensors cover ${at} data bytes but the file holds ${dataBytes} (truncated or trailing bytes)`,
    );
  }
  const tensors = new Map<string, SafetensorsTensor>();
  for (const e of entries) {
    const raw = bytes.slice(dataStart + e.begin, dataStart + e.end);
    tensors.set(e.name, { dtype: e.dtype, shape: e.shape, data: typedArray(e.dtype, raw.buffer) });
  }
  return { tensors, metadata };
}

/**
 * Encodes tensors as a safetensors file, in the given order. The dtype of each tensor follows
 * its array (Float64Array → F64, Float32Array → F32, BigInt64Array → I64, Int32Array → I32, …);
 * a `dtype` field, when present, must agree with it (F16 and BF16 cannot be written).
 *
 * @param tensors - Tensors by name (`__metadata__` is reserved); shapes must match the data.
 * @param metadata - Optional string-to-string metadata stored in the header.
 * @throws RangeError naming the tensor whose shape and data disagree or whose array is unsupported.
 */
export function encodeSafetensors(
  tensors: ReadonlyMap<string, { readonly data: SafetensorsArray; readonly shape: readonly number[] }>,
  metadata: Record<string, string> = {},
): Uint8Array {
  assertLittleEndianHost();
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = parseMetadata(metadata);
  let offset = 0;
  const parts: Uint8Array[] = [];
  for (const [name, t] of tensors) {
    if (name === '__metadata__') throw new RangeError("a tensor cannot be named '__metadata__'");
    const dtype = dtypeOfArray(name, t.data);
    const declared = (t as { dtype?: unknown }).dtype;
    if (declared !== undefined && declared !== dtype) {
      throw new RangeError(
        `tensor '${name}': dtype ${String(declared)} does not match its ${t.data.constructor.name}`,
      );
    }
    const shape = [...t.shape];
    if (!shape.every((d) => Number.isInteger(d) && d >= 0) || sizeOf(shape) !== t.data.length) {
      throw new RangeError(
        `tensor '${name}': shape [${shape.join(', ')}] needs ${sizeOf(shape)} values; its data holds ${t.data.length}`,
      );
    }
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    header[name] = { dtype, shape, data_offsets: [offset, offset + bytes.length] };
    parts.push(bytes);
    offset += bytes.length;
  }
  // Pad the header with spaces so that the data starts 8-byte aligned, as the reference writer does.
  let json = JSON.stringify(header);
  const jsonBytes = new TextEncoder().encode(json);
  const padded = Math.ceil(jsonBytes.length / 8) * 8;
  json += ' '.repeat(padded - jsonBytes.length);
  const out = new Uint8Array(8 + padded + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(new TextEncoder().encode(json), 8);
  let at = 8 + padded;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function parseEntry(
  name: string,
  value: unknown,
  dataBytes: number,
): { dtype: SafetensorsDType; shape: number[]; begin: number; end: number } {
  if (value === null || typeof value !== 'object') {
    throw new SafetensorsError(
      `tensor '${name}': header entry must be an object {dtype, shape, data_offsets}`,
    );
  }
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (!(SAFETENSORS_DTYPES as readonly unknown[]).includes(dtype)) {
    throw new SafetensorsError(
      `tensor '${name}': unknown dtype '${String(dtype)}'; accepted: ${SAFETENSORS_DTYPES.join(', ')}`,
    );
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new SafetensorsError(
      `tensor '${name}': shape must be a list of non-negative integers; got ${JSON.stringify(shape)}`,
    );
  }
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
    offsets[0] > offsets[1] ||
    offsets[1] > dataBytes
  ) {
    throw new SafetensorsError(
      `tensor '${name}': data_offsets ${JSON.stringify(offsets)} must be [begin, end] within the ${dataBytes} data bytes`,
    );
  }
  const d = dtype as SafetensorsDType;
  const expected = sizeOf(shape) * ITEM_BYTES[d];
  if (offsets[1] - offsets[0] !== expected) {
    throw new SafetensorsError(
      `tensor '${name}': ${d} shape [${shape.join(', ')}] needs ${expected} bytes but data_offsets span ${offsets[1] - offsets[0]}`,
    );
  }
  return { dtype: d, shape: shape as number[], begin: offsets[0], end: offsets[1] };
}

function parseMetadata(value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SafetensorsError('__metadata__ must be an object of strings');
  }
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string')
      throw new SafetensorsError(`__metadata__ '${k}' must be a string; got ${typeof v}`);
  }
  return { ...(value as Record<string, string>) };
}

function typedArray(dtype: SafetensorsDType, buffer: ArrayBuffer): SafetensorsArray {
  switch (dtype) {
    case 'F64':
      return new Float64Array(buffer);
    case 'F32':
      return new Float32Array(buffer);
    case 'F16':
      return Float32Array.from(new Uint16Array(buffer), halfToFloat);
    case 'BF16':
      return Float32Array.from(
        new Uint16Array(buffer),
        (b) => new Float32Array(new Uint32Array([b << 16]).buffer)[0],
      );
    case 'I64':
      return new BigInt64Array(buffer);
    case 'I32':
      return new Int32Array(buffer);
    case 'I16':
      return new Int16Array(buffer);
    case 'I8':
      return new Int8Array(buffer);
    case 'U64':
      return new BigUint64Array(buffer);
    case 'U32':
      return new Uint32Array(buffer);
    case 'U16':
      return new Uint16Array(buffer);
    case 'U8':
    case 'BOOL':
      return new Uint8Array(buffer);
  }
}

/** IEEE binary16 bits to a number. */
function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

function dtypeOfArray(name: string, data: unknown): SafetensorsDType {
  if (data instanceof Float64Array) return 'F64';
  if (data instanceof Float32Array) return 'F32';
  if (data instanceof BigInt64Array) return 'I64';
  if (data instanceof Int32Array) return 'I32';
  if (data instanceof Int16Array) return 'I16';
  if (data instanceof Int8Array) return 'I8';
  if (data instanceof BigUint64Array) return 'U64';
  if (data instanceof Uint32Array) return 'U32';
  if (data instanceof Uint16Array) return 'U16';
  if (data instanceof Uint8Array) return 'U8';
  throw new RangeError(
    `tensor '${name}': data must be a Float64Array, Float32Array or an integer typed array; got ${Object.prototype.toString.call(data)}`,
  );
}

function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function assertLittleEndianHost(): void {
  if (!LITTLE_ENDIAN) throw new Error('safetensors data is little-endian; this host is big-endian');
}
