/** Side of an MNIST digit in pixels. */
export const DIGIT_SIDE = 28;

const SHADES = [' ', '░', '▒', '▓', '█'];

/**
 * A 28×28 digit (row-major intensities in [0, 1]) as 28 lines of text, two characters per pixel
 * so that it keeps its aspect ratio in a terminal.
 */
export function digitLines(pixels: ArrayLike<number>): string[] {
  return Array.from({ length: DIGIT_SIDE }, (_, row) => {
    let line = '';
    for (let col = 0; col < DIGIT_SIDE; col++) {
      const v = Math.max(0, Math.min(1, pixels[row * DIGIT_SIDE + col]));
      const shade = SHADES[Math.round(v * (SHADES.length - 1))];
      line += shade + shade;
    }
    return line;
  });
}

/** The row-major image of a sequence read in `order` (step t read pixel order[t]): the psMNIST inverse. */
export function unpermute(sequence: ArrayLike<number>, order: ArrayLike<number>): Float32Array {
  const image = new Float32Array(sequence.length);
  for (let t = 0; t < sequence.length; t++) image[order[t]] = sequence[t];
  return image;
}
