import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Canvas } from './canvas';
import { drawFigure, figureSize } from './draw';
import type { Figure } from './figure';
import { encodePng } from './png';
import { renderSvg } from './svg';

/** A figure as PNG bytes. */
export function renderPng(figure: Figure): Uint8Array {
  const { width, height } = figureSize(figure);
  const canvas = new Canvas(width, height);
  drawFigure(figure, canvas);
  return encodePng(canvas.image());
}

/** Writes `<base>.svg` and `<base>.png` (creating the folder) and returns their paths. */
export async function writeFigure(figure: Figure, base: string): Promise<string[]> {
  await mkdir(dirname(base), { recursive: true });
  const svg = `${base}.svg`;
  const png = `${base}.png`;
  await writeFile(svg, renderSvg(figure));
  await writeFile(png, renderPng(figure));
  return [svg, png];
}
