import { createGpuJsBackend, type GpuJsBackend, type GpuJsMode } from '../../src/index';

// The browser entry of the Chromium test, bundled and opened by openBrowserPage of
// @statespace/testing/browser: it runs backend operations in a requested gpu.js mode (no fallback)
// for the test, which sends inputs and checks outputs in Node.

/** A tensor as it crosses between Node and the page: plain numbers (complex interleaved). */
export interface WireTensor {
  data: number[];
  shape: number[];
}

/** An operation's input with every tensor as a {@link WireTensor}. */
export type WireInput = Record<string, WireTensor | number | string>;

/** An operation's outputs by name (`out` for single-tensor results). */
export type WireOutput = Record<string, WireTensor>;

/** The operations the page runs. */
export type PageOp = 'cauchy' | 'convolve' | 'dplrKernel' | 'diagKernel';

/** What the page exposes on `window.statespace`. */
export interface StatespacePage {
  /** The backend's `describe()` and kernel class in `mode` (created on first use, no fallback). */
  describe(mode: GpuJsMode): Promise<{ description: string; kernelClass: string }>;
  run(mode: GpuJsMode, op: PageOp, input: WireInput): Promise<WireOutput>;
}

declare global {
  interface Window {
    statespace?: StatespacePage;
  }
}

type WireTensorSource = { data: ArrayLike<number>; shape: readonly number[] };

const backends = new Map<GpuJsMode, Promise<GpuJsBackend>>();
function backend(mode: GpuJsMode): Promise<GpuJsBackend> {
  let b = backends.get(mode);
  if (!b) {
    b = createGpuJsBackend({ mode });
    backends.set(mode, b);
  }
  return b;
}

const isTensor = (value: unknown): value is WireTensor =>
  typeof value === 'object' && value !== null && 'data' in value && 'shape' in value;

async function run(mode: GpuJsMode, op: PageOp, input: WireInput): Promise<WireOutput> {
  const b = await backend(mode);
  // Float64 like the test's host data: the backend converts to float32 itself.
  const args = Object.fromEntries(
    Object.entries(input).map(([key, v]) => [
      key,
      isTensor(v) ? { data: Float64Array.from(v.data), shape: v.shape } : v,
    ]),
  ) as never;
  const result = op === 'convolve' || op === 'cauchy' ? { out: await b[op](args) } : await b[op](args);
  const outputs = Object.entries(result).filter(([, t]) => t !== undefined) as [string, WireTensorSource][];
  return Object.fromEntries(
    outputs.map(([key, t]) => [key, { data: Array.from(t.data), shape: [...t.shape] }]),
  );
}

window.statespace = {
  describe: async (mode) => {
    const b = await backend(mode);
    return { description: b.describe(), kernelClass: b.kernelClass };
  },
  run,
};
