/** One benchmark figure, printed as one JSON line: `{"name", "value", "unit", ...}`. */
export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  [extra: string]: unknown;
}

export interface MeasureOptions {
  /** Untimed calls before measuring (JIT warm-up). Default 3. */
  warmup?: number;
  /** Timed samples; the median is reported. Default 15. */
  samples?: number;
  /** Calls per sample, for operations too fast to time one by one. Default 1. */
  repeat?: number;
}

/** Median wall time of `fn` in milliseconds per call. */
export function measureMs(fn: () => unknown, options: MeasureOptions = {}): number {
  const { warmup = 3, samples = 15, repeat = 1 } = options;
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let s = 0; s < samples; s++) {
    const start = performance.now();
    for (let r = 0; r < repeat; r++) fn();
    times.push((performance.now() - start) / repeat);
  }
  times.sort((x, y) => x - y);
  const mid = times.length >> 1;
  return times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
}

/** Prints one figure as a JSON line on stdout. */
export function report(figure: BenchFigure): void {
  process.stdout.write(`${JSON.stringify(figure)}\n`);
}
