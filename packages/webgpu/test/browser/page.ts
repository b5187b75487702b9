import { createWebGpuBackend, type WebGpuBackend } from '../../src/index';

// The browser entry of the Chromium test, bundled and opened by openBrowserPage of
// @statespace/testing/browser: it runs backend operations on `navigator.gpu` for the test, which
// sends inputs and checks the outputs in Node.

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
export type PageOp = 'convolve' | 'dplrKernel' | 'diagKernel';

/** What the page exposes on `window.statespace`. */
export interface StatespacePage {
  /** The backend's `describe()` (creates it on first use). */
  describe(): Promise<string>;
  run(op: PageOp, input: WireInput): Promise<WireOutput>;
}

declare global {
  interface Window {
    statespace?: StatespacePage;
  }
}

type WireTensorSource = { data: ArrayLike<number>; shape: readonly number[] };

let backend: Promise<WebGpuBackend> | undefined;
const webgpu = () => (backend ??= createWebGpuBackend());

const isTensor = (value: unknown): value is WireTensor =>
  typeof value === 'object' && value !== null && 'data' in value && 'shape' in value;

async function run(op: PageOp, input: WireInput): Promise<WireOutput> {
  const b = await webgpu();
  // Float64 like the test's host data: the backend casts to float32 itself.
  const args = Object.fromEntries(
    Object.entries(input).map(([key, v]) => [
      key,
      isTensor(v) ? { data: Float64Array.from(v.data), shape: v.shape } : v,
    ]),
  ) as never;
  const result = op === 'convolve' ? { out: await b.convolve(args) } : await b[op](args);
  const outputs = Object.entries(result).filter(([, t]) => t !== undefined) as [string, WireTensorSource][];
  return Object.fromEntries(
    outputs.map(([key, t]) => [key, { data: Array.from(t.data), shape: [...t.shape] }]),
  );
}

window.statespace = { describe: async () => (await webgpu()).describe(), run };
