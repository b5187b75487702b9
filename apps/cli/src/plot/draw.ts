import {
  divergingColor,
  type Figure,
  type Heatmap,
  PALETTE,
  type Panel,
  rgbToHex,
  type Series,
} from './figure';
import { type Axis, formatTick, niceAxis } from './ticks';

/** A rectangle in pixels, origin at the top left. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Text placement: horizontal anchor at x, vertically centred on y. */
export interface TextStyle {
  readonly anchor: 'start' | 'middle' | 'end';
  readonly size: 'small' | 'large';
  readonly color?: string;
}

/** The drawing primitives a file format provides (SVG elements, PNG pixels). */
export interface Painter {
  rect(rect: Rect, fill: string): void;
  /** A polyline through flat (x, y) pairs. */
  polyline(points: readonly number[], color: string, width: number): void;
  dot(x: number, y: number, radius: number, color: string): void;
  text(x: number, y: number, text: string, style: TextStyle): void;
}

/** Pixel width of a text in the PNG font, which layout uses for both formats (SVG text is narrower). */
export function textWidth(text: string, size: TextStyle['size']): number {
  return text.length * (size === 'large' ? 12 : 8);
}

const TITLE_HEIGHT = 32;
const INK = '#222222';
const GRID = '#e6e6e6';

/** The size of a figure in pixels. */
export function figureSize(figure: Figure): { width: number; height: number } {
  const columns = Math.min(figure.columns ?? figure.panels.length, figure.panels.length);
  const rows = Math.ceil(figure.panels.length / columns);
  return {
    width: columns * (figure.panelWidth ?? 420),
    height: TITLE_HEIGHT + rows * (figure.panelHeight ?? 320),
  };
}

/** Draws a whole figure: a white background, its title, then every panel in its grid cell. */
export function drawFigure(figure: Figure, painter: Painter): void {
  const { width, height } = figureSize(figure);
  const columns = Math.min(figure.columns ?? figure.panels.length, figure.panels.length);
  const panelWidth = figure.panelWidth ?? 420;
  const panelHeight = figure.panelHeight ?? 320;
  painter.rect({ x: 0, y: 0, width, height }, '#ffffff');
  painter.text(width / 2, TITLE_HEIGHT / 2, figure.title, { anchor: 'middle', size: 'large', color: INK });
  figure.panels.forEach((panel, i) => {
    const cell = {
      x: (i % columns) * panelWidth,
      y: TITLE_HEIGHT + Math.floor(i / columns) * panelHeight,
      width: panelWidth,
      height: panelHeight,
    };
    drawPanel(panel, cell, painter);
  });
}

function drawPanel(panel: Panel, cell: Rect, painter: Painter): void {
  painter.text(cell.x + cell.width / 2, cell.y + 12, panel.title, {
    anchor: 'middle',
    size: 'small',
    color: INK,
  });
  if (panel.heatmap) drawHeatmap(panel, panel.heatmap, cell, painter);
  else drawSeriesPanel(panel, panel.series ?? [], cell, painter);
}

function drawSeriesPanel(panel: Panel, series: readonly Series[], cell: Rect, painter: Painter): void {
  const xs = series.flatMap((s) => finiteValues(s.x));
  const ys = series.flatMap((s) => finiteValues(s.y));
  const yAxis = axisOf(ys, 5);
  const labelWidth = Math.max(...yAxis.ticks.map((t) => textWidth(formatTick(t), 'small')));
  const area: Rect = {
    x: cell.x + labelWidth + 14,
    y: cell.y + 40,
    width: cell.width - labelWidth - 44,
    height: cell.height - 40 - 42,
  };
  // As many x ticks as their labels leave room for.
  let xAxis = axisOf(xs, 6);
  for (let count = 5; count >= 2 && !labelsFit(xAxis, area.width); count--) xAxis = axisOf(xs, count);
  const px = (v: number) => area.x + ((v - xAxis.min) / (xAxis.max - xAxis.min)) * area.width;
  const py = (v: number) => area.y + area.height - ((v - yAxis.min) / (yAxis.max - yAxis.min)) * area.height;
  drawAxes(panel, area, xAxis, yAxis, px, py, painter);

  const lastPointsY: number[] = [];
  series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    const n = Math.min(s.x.length, s.y.length);
    const markers = s.kind === 'points' || n <= 40;
    let run: number[] = [];
    for (let j = 0; j <= n; j++) {
      const ok = j < n && Number.isFinite(s.x[j]) && Number.isFinite(s.y[j]);
      if (ok) {
        run.push(px(s.x[j]), py(s.y[j]));
        if (j === n - 1) lastPointsY.push(py(s.y[j]));
        if (markers) painter.dot(px(s.x[j]), py(s.y[j]), s.kind === 'points' ? 3 : 2.5, color);
      }
      if (!ok || j === n) {
        if (s.kind === 'line' && run.length >= 4) painter.polyline(run, color, 2);
        run = [];
      }
    }
  });
  drawLegend(series, area, lastPointsY, painter);
}

function drawAxes(
  panel: Panel,
  area: Rect,
  xAxis: Axis,
  yAxis: Axis,
  px: (v: number) => number,
  py: (v: number) => number,
  painter: Painter,
): void {
  const small = { size: 'small', color: INK } as const;
  for (const t of xAxis.ticks) {
    painter.polyline([px(t), area.y, px(t), area.y + area.height], GRID, 1);
    painter.text(px(t), area.y + area.height + 10, formatTick(t), { ...small, anchor: 'middle' });
  }
  for (const t of yAxis.ticks) {
    painter.polyline([area.x, py(t), area.x + area.width, py(t)], GRID, 1);
    painter.text(area.x - 6, py(t), formatTick(t), { ...small, anchor: 'end' });
  }
  const { x, y, width, height } = area;
  painter.polyline(outline(area), INK, 1);
  if (panel.xLabel)
    painter.text(x + width / 2, y + height + 28, panel.xLabel, { ...small, anchor: 'middle' });
  if (panel.yLabel) painter.text(x, y - 12, panel.yLabel, { ...small, anchor: 'start' });
}

/** The legend in the right corner (top or bottom) that the series' last points leave free. */
function drawLegend(
  series: readonly Series[],
  area: Rect,
  lastPointsY: readonly number[],
  painter: Painter,
): void {
  if (series.length < 2) return;
  const width = Math.max(...series.map((s) => textWidth(s.label, 'small'))) + 34;
  const height = 16 * series.length + 6;
  const endsHigh = lastPointsY.some((y) => y < area.y + 0.4 * area.height);
  const y = endsHigh ? area.y + area.height - height - 6 : area.y + 6;
  const box = { x: area.x + area.width - width - 6, y, width, height };
  painter.rect(box, '#ffffff');
  painter.polyline(outline(box), GRID, 1);
  series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    const row = box.y + 11 + 16 * i;
    if (s.kind === 'line') painter.polyline([box.x + 6, row, box.x + 24, row], color, 2);
    else painter.dot(box.x + 15, row, 3, color);
    painter.text(box.x + 30, row, s.label, { anchor: 'start', size: 'small', color: INK });
  });
}

function drawHeatmap(panel: Panel, heatmap: Heatmap, cell: Rect, painter: Painter): void {
  const { rows, cols, values } = heatmap;
  const side = Math.min(cell.width - 40, cell.height - 80);
  const cellSize = side / Math.max(rows, cols);
  const area: Rect = {
    x: cell.x + (cell.width - cellSize * cols) / 2,
    y: cell.y + 36,
    width: cellSize * cols,
    height: cellSize * rows,
  };
  let scale = 0;
  for (let i = 0; i < rows * cols; i++)
    if (Number.isFinite(values[i])) scale = Math.max(scale, Math.abs(values[i]));
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = values[r * cols + c];
      const color = Number.isFinite(v) ? rgbToHex(divergingColor(scale > 0 ? v / scale : 0)) : '#ffff00';
      // Cells overlap by a pixel fraction so that no seams show between them.
      painter.rect(
        { x: area.x + c * cellSize, y: area.y + r * cellSize, width: cellSize + 0.5, height: cellSize + 0.5 },
        color,
      );
    }
  }
  const { x, y, width, height } = area;
  painter.polyline(outline(area), INK, 1);
  const small = { size: 'small', color: INK } as const;
  painter.text(x, y + height + 12, `${rows}x${cols}`, { ...small, anchor: 'start' });
  painter.text(x + width, y + height + 12, `colour scale +-${formatTick(scale)}`, {
    ...small,
    anchor: 'end',
  });
  if (panel.xLabel)
    painter.text(x + width / 2, y + height + 30, panel.xLabel, { ...small, anchor: 'middle' });
}

/** The closed outline of a rectangle as polyline points. */
function outline({ x, y, width, height }: Rect): number[] {
  return [x, y, x + width, y, x + width, y + height, x, y + height, x, y];
}

function axisOf(values: readonly number[], count: number): Axis {
  return niceAxis(
    Math.min(...values),
    Math.max(...values),
    count,
    values.length > 0 && values.every(Number.isInteger),
  );
}

function labelsFit(axis: Axis, width: number): boolean {
  const widest = Math.max(...axis.ticks.map((t) => textWidth(formatTick(t), 'small')));
  return (widest + 12) * (axis.ticks.length - 1) <= width;
}

function finiteValues(values: ArrayLike<number>): number[] {
  return Array.from(values).filter(Number.isFinite);
}
