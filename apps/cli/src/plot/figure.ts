// What a plot shows, independent of the file format: a figure is a grid of panels, each with line
// or point series on linear axes, or a heatmap of a matrix. `drawFigure` lays it out once, and the
// SVG and PNG painters render the same drawing.

/** A curve (`line`) or a scatter (`points`) of (x, y) values. */
export interface Series {
  readonly kind: 'line' | 'points';
  readonly label: string;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
}

/** A matrix shown cell by cell, coloured blue (negative) – white (0) – red (positive). */
export interface Heatmap {
  readonly rows: number;
  readonly cols: number;
  /** Row-major values, rows·cols of them. */
  readonly values: ArrayLike<number>;
}

/** One panel: series on axes, or a heatmap. */
export interface Panel {
  readonly title: string;
  readonly xLabel?: string;
  readonly yLabel?: string;
  readonly series?: readonly Series[];
  readonly heatmap?: Heatmap;
}

/** Panels in a grid, `columns` wide, each panelWidth × panelHeight pixels. */
export interface Figure {
  readonly title: string;
  readonly panels: readonly Panel[];
  readonly columns?: number;
  readonly panelWidth?: number;
  readonly panelHeight?: number;
}

/** Series colours, in order (a colour-blind-safe palette). */
export const PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000'] as const;

/** An sRGB colour as three bytes. */
export type Rgb = readonly [number, number, number];

/** `#rrggbb` → bytes. */
export function hexToRgb(hex: string): Rgb {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** bytes → `#rrggbb`. */
export function rgbToHex([r, g, b]: Rgb): string {
  return `#${((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1)}`;
}

/** The diverging heatmap colour of v in [−1, 1]: blue – white – red. */
export function divergingColor(v: number): Rgb {
  const t = Math.max(-1, Math.min(1, v));
  const blue: Rgb = [33, 102, 172];
  const red: Rgb = [178, 24, 43];
  const end = t < 0 ? blue : red;
  const a = Math.abs(t);
  return [0, 1, 2].map((i) => Math.round(255 + (end[i] - 255) * a)) as unknown as Rgb;
}
