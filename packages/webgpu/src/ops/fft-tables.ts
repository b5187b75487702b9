import type { GpuArray, GpuContext } from '../gpu-context';

// Constant GPU arrays of the transforms (twiddle factors, Bluestein chirps and their spectra), made
// once per GPU context and kept for its life. Angles are reduced and evaluated in float64 on the
// host: WGSL's sin/cos of f32 angles are too inaccurate for long transforms.

const caches = new WeakMap<GpuContext, Map<string, GpuArray>>();

/** The constant array `key` of this context, made by `make` on first use. */
export function cachedArray(ctx: GpuContext, key: string, make: () => GpuArray): GpuArray {
  let cache = caches.get(ctx);
  if (!cache) {
    cache = new Map();
    caches.set(ctx, cache);
  }
  let array = cache.get(key);
  if (!array) {
    array = make();
    cache.set(key, array);
  }
  return array;
}

/** exp(−iπ·j/half) as (cos, sin) for an integer j, its angle reduced to (−π, π] first. */
export function unitRoot(j: number, half: number): [number, number] {
  const r = j % (2 * half);
  const angle = (-Math.PI * (r > half ? r - 2 * half : r)) / half;
  return [Math.cos(angle), Math.sin(angle)];
}

/** Twiddle factors of length n: entry k is exp(−2πik/n), k < n, as `vec2<f32>`. */
export function twiddleTable(ctx: GpuContext, n: number): GpuArray {
  return cachedArray(ctx, `twiddles:${n}`, () => {
    const data = new Float32Array(2 * n);
    for (let k = 0; k < n; k++) {
      const [c, s] = unitRoot(2 * k, n);
      data[2 * k] = c;
      data[2 * k + 1] = s;
    }
    return ctx.upload(data);
  });
}
