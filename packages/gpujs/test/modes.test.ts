import { describe, expect, it } from 'vitest';
import { createGpuJsBackend, GpuJsFallbackError, GpuJsUnavailableError, KERNEL_CLASSES } from '../src/index';
import type { GpuJsInstance } from '../src/library';
import { GpuJsRuntime } from '../src/runtime';
import { webGpuAvailable } from './gpu';

// No silent fallback: a mode that does not run here is an error unless a fallback was asked for,
// the mode and gpu.js kernel class that ran are reported, and a kernel that gpu.js degraded to
// another class is refused.

const webgpu = await webGpuAvailable();

describe('modes in Node', () => {
  it('runs webasm and cpu on their own kernel classes', async () => {
    for (const mode of ['webasm', 'cpu'] as const) {
      const backend = await createGpuJsBackend({ mode });
      try {
        expect(backend.mode).toBe(mode);
        expect(backend.requestedMode).toBe(mode);
        expect(backend.kernelClass).toBe(KERNEL_CLASSES[mode]);
        expect(backend.fallbacks).toEqual([]);
        expect(backend.describe()).toContain(KERNEL_CLASSES[mode]);
      } finally {
        await backend.dispose();
      }
    }
  });

  it.skipIf(!webgpu)('runs webgpu on WebGPUKernel through Dawn', async () => {
    const backend = await createGpuJsBackend({ mode: 'webgpu' });
    try {
      expect(backend.kernelClass).toBe('WebGPUKernel');
      expect(backend.describe()).toMatch(/^gpujs \(WebGPUKernel, mode webgpu;/);
    } finally {
      await backend.dispose();
    }
  });

  it('webgpu is the default mode in Node', async () => {
    const result = await createGpuJsBackend().catch((error: unknown) => error);
    if (result instanceof GpuJsUnavailableError) {
      expect(webgpu).toBe(false);
      expect(result.message).toMatch(/^gpu\.js mode 'webgpu' is unavailable/);
    } else {
      expect(webgpu).toBe(true);
      const backend = result as Awaited<ReturnType<typeof createGpuJsBackend>>;
      expect(backend.mode).toBe('webgpu');
      await backend.dispose();
    }
  });

  it('refuses webgl2 in Node with the reason, rather than running something else', async () => {
    const error = await createGpuJsBackend({ mode: 'webgl2' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GpuJsUnavailableError);
    expect((error as Error).message).toMatch(/mode 'webgl2' is unavailable \(no fallback was allowed/);
    expect((error as Error).message).toContain('a browser with WebGL2');
  });

  it('runs headlessgl only where it works, and otherwise says why', async () => {
    // The native `gl` package is deliberately unbuilt on CI machines; where it is built and a
    // display exists, gpu.js's HeadlessGLKernel must be what runs.
    const result = await createGpuJsBackend({ mode: 'headlessgl' }).catch((e: unknown) => e);
    if (result instanceof Error) {
      expect(result).toBeInstanceOf(GpuJsUnavailableError);
      expect(result.message).toMatch(/mode 'headlessgl' is unavailable/);
      expect(result.message).toContain("native 'gl' package");
    } else {
      const backend = result as Awaited<ReturnType<typeof createGpuJsBackend>>;
      expect(backend.kernelClass).toBe('HeadlessGLKernel');
      await backend.dispose();
    }
  });

  it('falls back only when asked, and reports the mode that ran and why', async () => {
    const backend = await createGpuJsBackend({ mode: 'webgl2', fallback: ['cpu'] });
    try {
      expect(backend.requestedMode).toBe('webgl2');
      expect(backend.mode).toBe('cpu');
      expect(backend.kernelClass).toBe('CPUKernel');
      expect(backend.fallbacks.map((f) => f.mode)).toEqual(['webgl2']);
      expect(backend.describe()).toMatch(/CPUKernel, mode cpu;.*fell back from webgl2 \(/);
    } finally {
      await backend.dispose();
    }
  });

  it('fallback: true tries the Node order (webgpu, headlessgl, webasm, cpu)', async () => {
    const backend = await createGpuJsBackend({ mode: 'webgl2', fallback: true });
    try {
      expect(backend.fallbacks[0].mode).toBe('webgl2');
      if (webgpu) expect(backend.mode).toBe('webgpu');
      else expect(['headlessgl', 'webasm']).toContain(backend.mode);
    } finally {
      await backend.dispose();
    }
  });

  it('lists every mode tried when none of the allowed ones runs', async () => {
    const error = await createGpuJsBackend({ mode: 'webgl2', fallback: ['webgl2'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GpuJsUnavailableError);
    expect((error as Error).message).toMatch(/webgl2: /);
  });

  it('rejects unknown modes and malformed options, naming them', async () => {
    await expect(createGpuJsBackend({ mode: 'gpu' as never })).rejects.toThrow(
      /mode must be one of 'webgpu', 'webgl2', 'headlessgl', 'webasm', 'cpu'; got 'gpu'/,
    );
    await expect(
      createGpuJsBackend({ mode: 'cpu', fallback: ['webasm', 'opencl' as never] }),
    ).rejects.toThrow(/fallback\[1\] must be one of/);
    await expect(createGpuJsBackend({ mode: 'cpu', fallback: 'yes' as never })).rejects.toThrow(
      /fallback must be a boolean or an array of modes/,
    );
    await expect(createGpuJsBackend({ mode: 'cpu', maxElements: 0 })).rejects.toThrow(/maxElements must be/);
    await expect(createGpuJsBackend({ mode: 'cpu', cacheSize: 2 })).rejects.toThrow(/cacheSize must be/);
  });
});

describe('kernels gpu.js degraded', () => {
  it('are refused with GpuJsFallbackError naming the class that ran', async () => {
    // A GPU whose kernels claim to have run on an unknown class, as a kernel gpu.js replaced
    // by its CPU kernel would.
    class Impostor {}
    const kernel = Object.assign(() => new Float32Array(1), {
      kernel: new Impostor() as never,
      destroy: () => undefined,
    });
    const gpu: GpuJsInstance = { createKernel: () => kernel, destroy: () => undefined };
    const rt = await GpuJsRuntime.create({
      gpu,
      mode: 'cpu',
      kernelClass: 'CPUKernel',
      requestedMode: 'cpu',
      fallbacks: [],
    });
    await expect(rt.run({ key: 'k', source: 'function () { return 1; }', output: [1] }, [])).rejects.toThrow(
      GpuJsFallbackError,
    );
    await expect(rt.run({ key: 'k', source: 'function () { return 1; }', output: [1] }, [])).rejects.toThrow(
      /ran kernel 'k' on Impostor \(unknown to this package\) instead of CPUKernel/,
    );
    await rt.dispose();
  });
});
