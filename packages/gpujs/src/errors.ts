/**
 * Raised when no requested gpu.js mode can run here: the requested mode is unavailable and no
 * fallback was allowed (or none of the allowed fallbacks works either). The message lists every
 * mode tried and why it failed. GPU tests skip on it unless `STATESPACE_REQUIRE_GPU=1`.
 */
export class GpuJsUnavailableError extends Error {
  override name = 'GpuJsUnavailableError';
}

/**
 * Raised when gpu.js ran a kernel on another kernel class than the backend's mode (gpu.js degrades
 * a kernel it cannot compile to its CPU kernel, with only a console warning): the result is
 * discarded rather than passed off as the mode's.
 */
export class GpuJsFallbackError extends Error {
  override name = 'GpuJsFallbackError';
}
