import { crc32, inflateSync } from 'node:zlib';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The chunks of a PNG file, each with whether its stored CRC-32 matches (node:zlib's crc32 as the oracle). */
export function pngChunks(bytes: Uint8Array): Array<{ type: string; data: Uint8Array; crcOk: boolean }> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: Array<{ type: string; data: Uint8Array; crcOk: boolean }> = [];
  for (let offset = 8; offset < bytes.length; ) {
    const length = view.getUint32(offset);
    const typeAndData = bytes.subarray(offset + 4, offset + 8 + length);
    const type = String.fromCharCode(...typeAndData.subarray(0, 4));
    const stored = view.getUint32(offset + 8 + length);
    chunks.push({ type, data: typeAndData.subarray(4), crcOk: crc32(typeAndData) === stored });
    offset += 12 + length;
  }
  return chunks;
}

/**
 * Checks a PNG the way a decoder would: signature, chunk CRCs, IHDR (8-bit RGBA) first and IEND
 * last, and IDAT inflating to height rows of 1 + 4·width bytes. Returns the dimensions.
 */
export function checkPng(bytes: Uint8Array): { width: number; height: number; rows: Uint8Array } {
  if (!SIGNATURE.every((b, i) => bytes[i] === b)) throw new Error('not a PNG signature');
  const chunks = pngChunks(bytes);
  const bad = chunks.find((c) => !c.crcOk);
  if (bad) throw new Error(`chunk ${bad.type} has a wrong CRC`);
  if (chunks[0]?.type !== 'IHDR' || chunks[chunks.length - 1]?.type !== 'IEND')
    throw new Error('IHDR/IEND misplaced');
  const header = new DataView(chunks[0].data.buffer, chunks[0].data.byteOffset, 13);
  const width = header.getUint32(0);
  const height = header.getUint32(4);
  if (header.getUint8(8) !== 8 || header.getUint8(9) !== 6) throw new Error('not 8-bit RGBA');
  const idat = Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data));
  const rows = new Uint8Array(inflateSync(idat));
  if (rows.length !== height * (1 + 4 * width)) {
    throw new Error(`IDAT inflates to ${rows.length} bytes, expected ${height * (1 + 4 * width)}`);
  }
  return { width, height, rows };
}
