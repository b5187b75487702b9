// gpu.js's webgpu mode reads `navigator.gpu`. Node has no WebGPU of its own: Dawn (the `webgpu`
// package, 0.6.2) provides it. Dawn frees its instance when the object returned by `create()` is
// garbage-collected, even under a live device (random crashes or hangs), so the instance is kept
// here, in module scope, for the life of the process.

let dawnInstance: unknown;

/**
 * Makes `navigator.gpu` available in Node for gpu.js's webgpu mode: an existing `navigator.gpu` is
 * left as it is; otherwise Dawn's instance is installed (with Dawn's usage-flag globals such as
 * `GPUBufferUsage`). Returns a reason string when that is impossible, `undefined` on success.
 */
export async function installNodeWebGpu(): Promise<string | undefined> {
  const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
  if (nav?.gpu) return undefined;
  if (!dawnInstance) {
    let dawn: { create(options: string[]): unknown; globals: Record<string, unknown> };
    try {
      dawn = (await import(/* @vite-ignore */ 'webgpu')) as typeof dawn;
    } catch (error) {
      return `the 'webgpu' package (Dawn) 0.6.2 could not be loaded: ${error instanceof Error ? error.message : String(error)}`;
    }
    for (const [key, value] of Object.entries(dawn.globals)) {
      if (!(key in globalThis)) (globalThis as Record<string, unknown>)[key] = value;
    }
    dawnInstance = dawn.create([]);
  }
  if (nav) {
    // Node ≥ 21 has a `navigator` of its own (a getter on globalThis): add `gpu` to it.
    Object.defineProperty(nav, 'gpu', { value: dawnInstance, configurable: true, writable: true });
  } else {
    Object.defineProperty(globalThis, 'navigator', {
      value: { gpu: dawnInstance },
      configurable: true,
      writable: true,
    });
  }
  return undefined;
}
