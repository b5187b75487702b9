// gpu.js returns a kernel's values shaped like its output: a Float32Array for 1-D, arrays of rows
// (Float32Array each) for 2-D and 3-D. Backends that read back one buffer hand out rows that are
// consecutive views of it; those are taken as one view without copying, anything else is copied.

type Nested = Float32Array | Nested[];

/** The Float32Array rows of a gpu.js result, in order. */
function rowsOf(value: unknown, rows: Float32Array[]): void {
  if (value instanceof Float32Array) {
    rows.push(value);
    return;
  }
  if (!Array.isArray(value)) {
    throw new TypeError(
      `gpu.js returned ${Object.prototype.toString.call(value)} where numbers were expected`,
    );
  }
  for (const item of value as Nested[]) rowsOf(item, rows);
}

/**
 * A gpu.js result as one Float32Array of `length` values (row-major, x fastest). A view of the
 * result's own buffer when its rows already lie there back to back and `copy` is false, else a copy.
 * @throws TypeError on anything that is not numbers; RangeError when the count is not `length`.
 */
export function flattenResult(value: unknown, length: number, copy = false): Float32Array {
  const rows: Float32Array[] = [];
  rowsOf(value, rows);
  let total = 0;
  for (const row of rows) total += row.length;
  if (total !== length) {
    throw new RangeError(`gpu.js returned ${total} values where ${length} were expected`);
  }
  if (rows.length === 1 && !copy) return rows[0];
  const first = rows[0];
  const contiguous =
    !copy &&
    rows.length > 0 &&
    rows.every((row) => row.buffer === first.buffer) &&
    rows.every((row, i) => i === 0 || row.byteOffset === rows[i - 1].byteOffset + 4 * rows[i - 1].length);
  if (contiguous) return new Float32Array(first.buffer, first.byteOffset, length);
  const out = new Float32Array(length);
  let at = 0;
  for (const row of rows) {
    out.set(row, at);
    at += row.length;
  }
  return out;
}
