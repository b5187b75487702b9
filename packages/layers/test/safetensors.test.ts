import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, SafetensorsError, type SafetensorsTensor } from '../src/index';

// The safetensors codec: every dtype round trips bit-exactly, half precisions decode, and every
// kind of corruption is rejected with the key at fault.

/** A file from a header object and raw data bytes, as another writer could produce it. */
function file(header: object, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('round trip', () => {
  it('keeps every dtype, shape, order and the metadata bit-exactly', () => {
    const tensors = new Map([
      ['f64', { data: Float64Array.of(Math.PI, -0, Number.MIN_VALUE, 1e308), shape: [2, 2] }],
      ['f32', { data: Float32Array.of(0.1, -2.5), shape: [2] }],
      ['scalar', { data: BigInt64Array.of(-(2n ** 62n)), shape: [] }],
      ['i32', { data: Int32Array.of(-7, 8, 9), shape: [3, 1] }],
      ['i16', { data: Int16Array.of(-3), shape: [1] }],
      ['i8', { data: Int8Array.of(-1, 2), shape: [2] }],
      ['u64', { data: BigUint64Array.of(2n ** 63n), shape: [1] }],
      ['u32', { data: Uint32Array.of(4e9), shape: [1] }],
      ['u16', { data: Uint16Array.of(65535), shape: [1] }],
      ['u8', { data: Uint8Array.of(1, 2, 3), shape: [3] }],
      ['empty', { data: new Float32Array(0), shape: [0, 4] }],
    ] as const);
    const bytes = encodeSafetensors(new Map(tensors), { format: 'pt', note: 'ünïcode' });
    expect((8 + Number(new DataView(bytes.buffer).getBigUint64(0, true))) % 8).toBe(0);
    const { tensors: back, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ format: 'pt', note: 'ünïcode' });
    expect([...back.keys()]).toEqual([...tensors.keys()]);
    for (const [name, t] of tensors) {
      const b = back.get(name);
      expect(b?.shape, name).toEqual(t.shape);
      expect(b?.data, name).toEqual(t.data);
      expect(b?.data.constructor, name).toBe(t.data.constructor);
    }
    expect(back.get('f64')?.dtype).toBe('F64');
    expect(back.get('scalar')?.dtype).toBe('I64');
  });

  it('decodes F16 and BF16 to float32', () => {
    const half = Uint16Array.of(0x3c00, 0xc000, 0x0001, 0x7c00); // 1, −2, 2^-24, +∞
    const bf16 = Uint16Array.of(0x3f80, 0xc0a0); // 1, −5
    const data = new Uint8Array(12);
    data.set(new Uint8Array(half.buffer), 0);
    data.set(new Uint8Array(bf16.buffer), 8);
    const { tensors } = decodeSafetensors(
      file(
        {
          h: { dtype: 'F16', shape: [4], data_offsets: [0, 8] },
          b: { dtype: 'BF16', shape: [2], data_offsets: [8, 12] },
        },
        data,
      ),
    );
    expect([...(tensors.get('h') as SafetensorsTensor).data]).toEqual([
      1,
      -2,
      2 ** -24,
      Number.POSITIVE_INFINITY,
    ]);
    expect([...(tensors.get('b') as SafetensorsTensor).data]).toEqual([1, -5]);
  });
});

describe('corrupt files are rejected with the key at fault', () => {
  const entry = { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] };
  const data = new Uint8Array(16);
  const cases: [string, Uint8Array, RegExp][] = [
    ['too short', new Uint8Array(5), /fewer than the 8-byte header length/],
    ['header past the end', file({ w: entry }).subarray(0, 12), /header length \d+ exceeds/],
    [
      'not JSON',
      (() => {
        const f = file({ w: entry }, data);
        f[8] = 0x7b + 1;
        return f;
      })(),
      /not valid UTF-8 JSON/,
    ],
    ['unknown dtype', file({ w: { ...entry, dtype: 'C64' } }, data), /tensor 'w': unknown dtype 'C64'/],
    [
      'bad shape',
      file({ w: { ...entry, shape: [2, -2] } }, data),
      /tensor 'w': shape must be a list of non-negative integers/,
    ],
    [
      'size mismatch',
      file({ w: { ...entry, shape: [2, 3] } }, data),
      /tensor 'w': F32 shape \[2, 3\] needs 24 bytes but data_offsets span 16/,
    ],
    [
      'truncated data',
      file({ w: entry }, data.subarray(0, 12)),
      /tensor 'w': data_offsets \[0,16\] must be \[begin, end\] within the 12 data bytes/,
    ],
    ['trailing bytes', file({ w: entry }, new Uint8Array(20)), /cover 16 data bytes but the file holds 20/],
    [
      'gap',
      file(
        {
          a: { dtype: 'U8', shape: [4], data_offsets: [0, 4] },
          b: { dtype: 'U8', shape: [4], data_offsets: [8, 12] },
        },
        new Uint8Array(12),
      ),
      /tensor 'b': data_offsets \[8, 12\] leaves a gap of 4 bytes/,
    ],
    [
      'overlap',
      file(
        {
          a: { dtype: 'U8', shape: [8], data_offsets: [0, 8] },
          b: { dtype: 'U8', shape: [4], data_offsets: [4, 8] },
        },
        new Uint8Array(8),
      ),
      /tensor 'b': data_offsets \[4, 8\] overlaps tensor 'a'/,
    ],
    ['metadata', file({ __metadata__: { n: 1 }, w: entry }, data), /__metadata__ 'n' must be a string/],
  ];
  it.each(cases)('%s', (_, bytes, message) => {
    expect(() => decodeSafetensors(bytes)).toThrow(SafetensorsError);
    expect(() => decodeSafetensors(bytes)).toThrow(message);
  });
});

it('encoding rejects data that does not fit its shape, a reserved name or an unsupported array', () => {
  expect(() => encodeSafetensors(new Map([['w', { data: new Float32Array(3), shape: [2, 2] }]]))).toThrow(
    /tensor 'w': shape \[2, 2\] needs 4 values; its data holds 3/,
  );
  expect(() =>
    encodeSafetensors(new Map([['__metadata__', { data: new Float32Array(1), shape: [1] }]])),
  ).toThrow(/reserved|cannot be named/);
  expect(() => encodeSafetensors(new Map([['w', { data: [1, 2] as never, shape: [2] }]]))).toThrow(
    /tensor 'w': data must be/,
  );
  expect(() =>
    encodeSafetensors(new Map([['w', { dtype: 'F64', data: new Float32Array(1), shape: [1] }]])),
  ).toThrow(/dtype F64 does not match its Float32Array/);
});
