import { BluesteinFft } from './bluestein';
import { bluesteinCost, fastLength, radices, stockhamCost } from './factor';
import { cached } from './plan-cache';
import { StockhamFft } from './stockham';

/**
 * An unscaled complex DFT of a fixed length on float64 buffers:
 * dst_k = Σ_j src_j · e^{sign·2πi·jk/n}. Offsets count numbers (two per complex value). `src` and
 * `dst` may be the same buffer (the input is fully read before the output is written); when they
 * are not, `src` is left unchanged.
 *
 * Two optional hints let a kernel skip work: `nonzero` (default n) says that the values from
 * src_nonzero on are zero (they must be: a kernel may read them), `keep` (default n) that only the
 * values below dst_keep are used (a kernel may leave the others unwritten, or write garbage there).
 */
export interface ComplexKernel {
  readonly n: number;
  run(
    src: Float64Array,
    srcOffset: number,
    dst: Float64Array,
    dstOffset: number,
    sign: 1 | -1,
    nonzero?: number,
    keep?: number,
  ): void;
}

/**
 * The cached complex kernel of length `n`: mixed radix when every prime factor is small enough and
 * the cost model prefers it, Bluestein over a fast inner length otherwise. Kernels are float64;
 * plans of both dtypes share them.
 */
export function complexKernel(n: number): ComplexKernel {
  return cached(`kernel:${n}`, () => {
    const passes = radices(n);
    const direct = passes === undefined ? Number.POSITIVE_INFINITY : stockhamCost(n, passes);
    if (n > 1) {
      const m = fastLength(2 * n - 1);
      if (bluesteinCost(n, m, radices(m) as number[]) < direct) return new BluesteinFft(n, complexKernel(m));
    }
    return new StockhamFft(n, passes as number[]);
  });
}
