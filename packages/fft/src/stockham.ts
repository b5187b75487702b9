import type { ComplexKernel } from './kernel';
import {
  radix2,
  radix3,
  radix4,
  radix4First,
  radix4FirstHalf,
  radix4Last,
  radix4LastHalf,
  radix5,
  radixOdd,
} from './radix';

interface Pass {
  readonly radix: number;
  /** Stride: the product of the radices of the earlier passes. */
  readonly s: number;
  /** Butterflies per stride: the remaining length divided by the radix. */
  readonly m: number;
  readonly twiddles: Float64Array;
  /** (cos, sin)(2πt/r), for odd radices above 5. */
  readonly roots: Float64Array;
  /** Butterfly scratch, for odd radices above 5. */
  readonly work: Float64Array;
}

const none = new Float64Array(0);

/**
 * A mixed-radix Stockham FFT: autosorting, so each pass reads one buffer and writes another and
 * the output comes out in natural order. The first pass reads the caller's input and the last
 * writes the caller's output; the passes in between ping-pong between the output and a scratch
 * buffer, or between two scratch buffers when input and output share memory. A radix-4 first pass
 * skips a zero upper half of the input, and a radix-4 last pass the upper half of an output that is
 * not kept (the `nonzero` and `keep` of {@link ComplexKernel.run}).
 */
export class StockhamFft implements ComplexKernel {
  readonly n: number;
  private readonly passes: Pass[];
  private readonly a: Float64Array;
  private readonly b: Float64Array;

  constructor(n: number, radices: readonly number[]) {
    this.n = n;
    this.passes = [];
    let s = 1;
    for (const radix of radices) {
      const len = n / s;
      const m = len / radix;
      const twiddles = new Float64Array(2 * (radix - 1) * m);
      for (let p = 0; p < m; p++) {
        for (let k = 1; k < radix; k++) {
          // k·p < len, so the angle stays in [0, 2π)
          const theta = (2 * Math.PI * k * p) / len;
          const i = 2 * ((radix - 1) * p + k - 1);
          twiddles[i] = Math.cos(theta);
          twiddles[i + 1] = Math.sin(theta);
        }
      }
      const generic = radix > 5;
      const roots = generic ? new Float64Array(2 * radix) : none;
      for (let t = 0; generic && t < radix; t++) {
        roots[2 * t] = Math.cos((2 * Math.PI * t) / radix);
        roots[2 * t + 1] = Math.sin((2 * Math.PI * t) / radix);
      }
      const work = generic ? new Float64Array(4 * radix) : none;
      this.passes.push({ radix, s, m, twiddles, roots, work });
      s *= radix;
    }
    this.a = new Float64Array(2 * n);
    this.b = new Float64Array(this.passes.length > 2 ? 2 * n : 0);
  }

  run(
    src: Float64Array,
    srcOffset: number,
    dst: Float64Array,
    dstOffset: number,
    sign: 1 | -1,
    nonzero = this.n,
    keep = this.n,
  ): void {
    const count = this.passes.length;
    // views of one buffer may overlap
    const aliased = src.buffer === dst.buffer;
    if (count <= 1 && aliased) {
      // one pass cannot work in place: stage the input
      for (let i = 0; i < 2 * this.n; i++) this.a[i] = src[srcOffset + i];
      src = this.a;
      srcOffset = 0;
    }
    if (count === 0) {
      dst[dstOffset] = src[srcOffset];
      dst[dstOffset + 1] = src[srcOffset + 1];
      return;
    }
    // Ping-pong through dst itself when it does not alias src (a smaller cache footprint than two
    // scratch buffers): pass i writes there when count − 1 − i is even.
    const other = aliased ? this.b : dst;
    let x = src;
    let xo = srcOffset;
    for (let i = 0; i < count; i++) {
      const intoDst = (count - 1 - i) % 2 === 0;
      const y = i === count - 1 ? dst : intoDst ? other : this.a;
      const yo = y === dst ? dstOffset : 0;
      const pass = this.passes[i];
      const { s, m, twiddles } = pass;
      switch (pass.radix) {
        case 2:
          radix2(x, xo, y, yo, s, m, twiddles, sign);
          break;
        case 3:
          radix3(x, xo, y, yo, s, m, twiddles, sign);
          break;
        case 4:
          // m = 1: the last pass (its outputs at q + s·k, k < 4); s = 1: the first (inputs at p + m·j).
          if (m === 1) {
            if (2 * keep <= this.n) radix4LastHalf(x, xo, y, yo, s, sign);
            else radix4Last(x, xo, y, yo, s, sign);
          } else if (s === 1) {
            if (2 * nonzero <= this.n) radix4FirstHalf(x, xo, y, yo, m, twiddles, sign);
            else radix4First(x, xo, y, yo, m, twiddles, sign);
          } else radix4(x, xo, y, yo, s, m, twiddles, sign);
          break;
        case 5:
          radix5(x, xo, y, yo, s, m, twiddles, sign);
          break;
        default:
          radixOdd(x, xo, y, yo, s, m, twiddles, sign, pass.radix, pass.roots, pass.work);
      }
      x = y;
      xo = yo;
    }
  }
}
