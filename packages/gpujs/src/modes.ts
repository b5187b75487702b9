// The gpu.js modes this backend offers, the gpu.js kernel class each one must run on, and the
// defaults per environment. gpu.js itself degrades silently (with no usable GL it runs WebAssembly
// while `gpu.mode` still says 'gpu'), so the backend never trusts the mode it asked for: it checks
// the class of every kernel that ran against this table.

/** The gpu.js modes of the backend: GPU modes first, then the CPU ones. */
export const GPUJS_MODES = ['webgpu', 'webgl2', 'headlessgl', 'webasm', 'cpu'] as const;

/**
 * A gpu.js mode: `webgpu` (WGSL compute shaders; browsers, or Node through Dawn), `webgl2`
 * (browsers), `headlessgl` (Node with the native `gl` package and a display), `webasm`
 * (WebAssembly with SIMD, on the CPU) or `cpu` (plain JavaScript).
 */
export type GpuJsMode = (typeof GPUJS_MODES)[number];

/** The modes that run on a GPU (or on a software GPU driver). */
export const GPU_MODES: readonly GpuJsMode[] = ['webgpu', 'webgl2', 'headlessgl'];

/** The gpu.js kernel class each mode must run its kernels on (the names gpu.js exports them by). */
export const KERNEL_CLASSES = {
  webgpu: 'WebGPUKernel',
  webgl2: 'WebGL2Kernel',
  headlessgl: 'HeadlessGLKernel',
  webasm: 'WebAssemblyKernel',
  cpu: 'CPUKernel',
} as const satisfies Record<GpuJsMode, string>;

/** The name of a gpu.js kernel class this backend runs on. */
export type GpuJsKernelClass = (typeof KERNEL_CLASSES)[GpuJsMode];

/** Whether this is Node.js (Dawn for webgpu, headless GL) rather than a browser. */
export function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

/** The mode used when none is given: `webgpu` in Node, `webgl2` in browsers. */
export function defaultMode(): GpuJsMode {
  return isNode() ? 'webgpu' : 'webgl2';
}

/**
 * The modes tried, in order, after the requested one when the caller passes `fallback: true`:
 * in Node webgpu, headlessgl, webasm, cpu; in browsers webgl2, webgpu, webasm, cpu.
 */
export function defaultFallbackOrder(): readonly GpuJsMode[] {
  return isNode() ? ['webgpu', 'headlessgl', 'webasm', 'cpu'] : ['webgl2', 'webgpu', 'webasm', 'cpu'];
}

/** What a mode needs, for the message when it is unavailable. */
export const MODE_REQUIREMENTS: Record<GpuJsMode, string> = {
  webgpu:
    "a WebGPU adapter: navigator.gpu in a browser, or in Node the 'webgpu' package (Dawn) 0.6.2 with a Vulkan driver (on a CPU-only Linux machine Mesa ≥ 25 lavapipe)",
  webgl2: 'a browser with WebGL2 (gpu.js has no WebGL2 in Node: use webgpu or headlessgl there)',
  headlessgl:
    "Node with gpu.js's optional native 'gl' package built from source and an X display (e.g. xvfb-run)",
  webasm: 'WebAssembly',
  cpu: 'nothing (plain JavaScript)',
};
