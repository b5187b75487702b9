import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Canvas } from '../src/plot/canvas';
import { learningCurveFigure } from '../src/plot/learning-curve';
import { crc32, encodePng } from '../src/plot/png';
import { renderSvg } from '../src/plot/svg';
import { niceAxis } from '../src/plot/ticks';
import { renderPng } from '../src/plot/write-figure';
import { checkPng } from './png-file';

const history = [1, 2, 3].map((epoch) => ({
  epoch,
  trainLoss: 2 / epoch,
  testLoss: 2.1 / epoch,
  trainAccuracy: 1 - 0.5 / epoch,
  testAccuracy: 1 - 0.6 / epoch,
}));

describe('PNG encoder', () => {
  it('computes CRC-32 as zlib does', () => {
    const bytes = new TextEncoder().encode('123456789');
    expect(crc32(bytes)).toBe(0xcbf43926);
    const random = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7919) % 251);
    expect(crc32(random)).toBe(zlibCrc32(random));
  });

  it('writes signature, IHDR, IDAT that inflates to the pixel rows, and IEND', () => {
    const width = 3;
    const height = 2;
    const data = Uint8Array.from({ length: width * height * 4 }, (_, i) => i);
    const { width: w, height: h, rows } = checkPng(encodePng({ width, height, data }));
    expect([w, h]).toEqual([3, 2]);
    // Each row: filter type 0, then the row's RGBA bytes unchanged.
    expect(rows[0]).toBe(0);
    expect(Array.from(rows.subarray(1, 13))).toEqual(Array.from(data.subarray(0, 12)));
    expect(rows[13]).toBe(0);
    expect(Array.from(rows.subarray(14))).toEqual(Array.from(data.subarray(12)));
  });

  it('rejects data of the wrong size, naming the expected size', () => {
    expect(() => encodePng({ width: 2, height: 2, data: new Uint8Array(15) })).toThrow(/16 bytes/);
  });
});

describe('figures', () => {
  it('renders a learning curve as a valid PNG of the figure size', () => {
    const png = checkPng(renderPng(learningCurveFigure('test', history)));
    expect(png.width).toBe(840);
    expect(png.height).toBe(352);
  });

  it('renders a learning curve as SVG with a root element, size and both series', () => {
    const svg = renderSvg(learningCurveFigure('a <title> & more', history));
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="840" height="352"/);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('a &#60;title&#62; &#38; more');
    // The train series (first colour) in both panels, each with its legend swatch.
    expect(svg.match(/<polyline [^>]*stroke="#0072b2" stroke-width="2"/g)?.length).toBe(4);
    // Every element is closed: opening tags minus self-closing ones match closing tags.
    const opened = (svg.match(/<[a-z][^>]*[^/]>/g) ?? []).length;
    const closed = (svg.match(/<\/[a-z]+>/g) ?? []).length;
    expect(opened).toBe(closed);
  });

  it('draws anti-aliased lines: full colour on the line, partial at its edge, white away from it', () => {
    const canvas = new Canvas(20, 10);
    canvas.polyline([0, 5, 20, 5], '#000000', 2);
    const pixel = (x: number, y: number) => canvas.data[4 * (y * 20 + x)];
    expect(pixel(10, 4)).toBe(0);
    expect(pixel(10, 5)).toBe(0);
    expect(pixel(10, 1)).toBe(255);
    const edge = new Canvas(20, 10);
    edge.polyline([0, 5.3, 20, 5.3], '#000000', 1);
    expect(edge.data[4 * (4 * 20 + 10)]).toBeGreaterThan(0);
    expect(edge.data[4 * (4 * 20 + 10)]).toBeLessThan(255);
  });

  it('chooses round axis ticks that cover the data', () => {
    expect(niceAxis(0.13, 0.87)).toEqual({
      min: 0,
      max: 1,
      ticks: [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1],
    });
    const axis = niceAxis(-1303, 1303);
    expect(axis.min).toBeLessThanOrEqual(-1303);
    expect(axis.max).toBeGreaterThanOrEqual(1303);
    expect(niceAxis(5, 5).max).toBeGreaterThan(5);
  });
});
