import { drawFigure, figureSize, type Painter } from './draw';
import type { Figure } from './figure';

/** A figure as a standalone SVG document. */
export function renderSvg(figure: Figure): string {
  const { width, height } = figureSize(figure);
  const body: string[] = [];
  const r = (v: number) => String(Math.round(v * 100) / 100);
  const painter: Painter = {
    rect: ({ x, y, width, height }, fill) =>
      body.push(`<rect x="${r(x)}" y="${r(y)}" width="${r(width)}" height="${r(height)}" fill="${fill}"/>`),
    polyline: (points, color, lineWidth) =>
      body.push(
        `<polyline points="${points.map(r).join(' ')}" fill="none" stroke="${color}" stroke-width="${lineWidth}" stroke-linejoin="round"/>`,
      ),
    dot: (x, y, radius, color) =>
      body.push(`<circle cx="${r(x)}" cy="${r(y)}" r="${radius}" fill="${color}"/>`),
    text: (x, y, text, style) =>
      body.push(
        `<text x="${r(x)}" y="${r(y)}" text-anchor="${style.anchor}" dominant-baseline="central" font-size="${style.size === 'large' ? 16 : 11}" fill="${style.color ?? '#222222'}">${escapeXml(text)}</text>`,
      ),
  };
  drawFigure(figure, painter);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="monospace">`,
    `<title>${escapeXml(figure.title)}</title>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
