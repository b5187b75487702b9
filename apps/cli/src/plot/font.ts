// A 3×5 pixel font for the labels of PNG plots: digits, capital letters (lower case is drawn as
// upper case) and the punctuation numbers and titles need. Each glyph is five rows of three bits,
// top to bottom; a character without a glyph is drawn as '?'.

/** Glyph width and height in font pixels; characters advance by one more column. */
export const GLYPH = { width: 3, height: 5 } as const;

const GLYPHS: Readonly<Record<string, string>> = {
  '0': '111 101 101 101 111',
  '1': '010 110 010 010 111',
  '2': '111 001 111 100 111',
  '3': '111 001 111 001 111',
  '4': '101 101 111 001 001',
  '5': '111 100 111 001 111',
  '6': '111 100 111 101 111',
  '7': '111 001 001 001 001',
  '8': '111 101 111 101 111',
  '9': '111 101 111 001 111',
  A: '010 101 111 101 101',
  B: '110 101 110 101 110',
  C: '011 100 100 100 011',
  D: '110 101 101 101 110',
  E: '111 100 110 100 111',
  F: '111 100 110 100 100',
  G: '011 100 101 101 011',
  H: '101 101 111 101 101',
  I: '111 010 010 010 111',
  J: '001 001 001 101 010',
  K: '101 101 110 101 101',
  L: '100 100 100 100 111',
  M: '101 111 111 101 101',
  N: '110 101 101 101 101',
  O: '010 101 101 101 010',
  P: '110 101 110 100 100',
  Q: '010 101 101 110 011',
  R: '110 101 110 101 101',
  S: '011 100 010 001 110',
  T: '111 010 010 010 010',
  U: '101 101 101 101 111',
  V: '101 101 101 101 010',
  W: '101 101 111 111 101',
  X: '101 101 010 101 101',
  Y: '101 101 010 010 010',
  Z: '111 001 010 100 111',
  ' ': '000 000 000 000 000',
  '.': '000 000 000 000 010',
  ',': '000 000 000 010 100',
  ':': '000 010 000 010 000',
  '-': '000 000 111 000 000',
  '+': '000 010 111 010 000',
  '=': '000 111 000 111 000',
  '(': '001 010 010 010 001',
  ')': '100 010 010 010 100',
  '[': '011 010 010 010 011',
  ']': '110 010 010 010 110',
  '/': '001 001 010 100 100',
  '%': '101 001 010 100 101',
  _: '000 000 000 000 111',
  '*': '000 101 010 101 000',
  '<': '001 010 100 010 001',
  '>': '100 010 001 010 100',
  '|': '010 010 010 010 010',
  "'": '010 010 000 000 000',
  '?': '111 001 010 000 010',
};

/** The lit pixels of a character as [column, row] pairs in font pixels. */
export function glyphPixels(char: string): Array<[number, number]> {
  const rows = (GLYPHS[char.toUpperCase()] ?? GLYPHS['?']).split(' ');
  const lit: Array<[number, number]> = [];
  rows.forEach((row, y) => {
    for (let x = 0; x < GLYPH.width; x++) if (row[x] === '1') lit.push([x, y]);
  });
  return lit;
}
