import type { Painter, Rect, TextStyle } from './draw';
import { hexToRgb, type Rgb } from './figure';
import { GLYPH, glyphPixels } from './font';
import type { RgbaImage } from './png';

/**
 * A minimal RGBA rasteriser implementing {@link Painter}: anti-aliased lines and dots (coverage
 * from the distance of each pixel centre to the shape), rectangles, and text in the 3×5 pixel font.
 */
export class Canvas implements Painter {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;

  constructor(width: number, height: number) {
    this.width = Math.ceil(width);
    this.height = Math.ceil(height);
    this.data = new Uint8Array(this.width * this.height * 4).fill(255);
  }

  /** The pixels, for `encodePng`. */
  image(): RgbaImage {
    return { width: this.width, height: this.height, data: this.data };
  }

  rect(rect: Rect, fill: string): void {
    const color = hexToRgb(fill);
    const x1 = Math.round(rect.x + rect.width);
    const y1 = Math.round(rect.y + rect.height);
    for (let y = Math.round(rect.y); y < y1; y++)
      for (let x = Math.round(rect.x); x < x1; x++) this.#blend(x, y, color, 1);
  }

  polyline(points: readonly number[], color: string, width: number): void {
    const rgb = hexToRgb(color);
    for (let i = 0; i + 3 < points.length; i += 2) {
      this.#segment(points[i], points[i + 1], points[i + 2], points[i + 3], width / 2, rgb);
    }
  }

  dot(x: number, y: number, radius: number, color: string): void {
    this.#segment(x, y, x, y, radius, hexToRgb(color));
  }

  text(x: number, y: number, text: string, style: TextStyle): void {
    const scale = style.size === 'large' ? 3 : 2;
    const advance = (GLYPH.width + 1) * scale;
    const width = text.length * advance - scale;
    const left = Math.round(
      style.anchor === 'start' ? x : style.anchor === 'middle' ? x - width / 2 : x - width,
    );
    const top = Math.round(y - (GLYPH.height * scale) / 2);
    const color = hexToRgb(style.color ?? '#222222');
    [...text].forEach((char, i) => {
      for (const [gx, gy] of glyphPixels(char)) {
        for (let dy = 0; dy < scale; dy++) {
          for (let dx = 0; dx < scale; dx++)
            this.#blend(left + i * advance + gx * scale + dx, top + gy * scale + dy, color, 1);
        }
      }
    });
  }

  /** Pixels within `radius` (+½ for the anti-aliased edge) of the segment (x0, y0)–(x1, y1). */
  #segment(x0: number, y0: number, x1: number, y1: number, radius: number, color: Rgb): void {
    const reach = radius + 1;
    const dx = x1 - x0;
    const dy = y1 - y0;
    const length2 = dx * dx + dy * dy;
    const cover = (px: number, py: number) => {
      const cx = px + 0.5;
      const cy = py + 0.5;
      const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((cx - x0) * dx + (cy - y0) * dy) / length2));
      const coverage = Math.min(1, radius + 0.5 - Math.hypot(cx - (x0 + t * dx), cy - (y0 + t * dy)));
      if (coverage > 0) this.#blend(px, py, color, coverage);
    };
    // Walk the longer axis; across it only a window around the line (its half-width over cos θ).
    const steep = Math.abs(dy) > Math.abs(dx);
    const [a0, a1, b0, da, db] = steep ? [y0, y1, x0, dy, dx] : [x0, x1, y0, dx, dy];
    const slope = da === 0 ? 0 : db / da;
    const window = Math.ceil(reach * Math.sqrt(1 + slope * slope)) + 1;
    for (let a = Math.floor(Math.min(a0, a1) - reach); a <= Math.ceil(Math.max(a0, a1) + reach); a++) {
      const along = Math.max(Math.min(a0, a1), Math.min(Math.max(a0, a1), a + 0.5));
      const centre = Math.floor(b0 + (along - a0) * slope);
      for (let b = centre - window; b <= centre + window; b++) {
        if (steep) cover(b, a);
        else cover(a, b);
      }
    }
  }

  /** Mixes `color` into pixel (x, y) with weight `alpha` (nothing outside the canvas). */
  #blend(x: number, y: number, color: Rgb, alpha: number): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = 4 * (y * this.width + x);
    for (let c = 0; c < 3; c++)
      this.data[i + c] = Math.round(this.data[i + c] * (1 - alpha) + color[c] * alpha);
    this.data[i + 3] = 255;
  }
}
