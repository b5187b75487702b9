import { defineConfig } from 'tsdown';

/**
 * The CLI is an executable: one Node entry, no types. Its dependencies (the workspace packages and
 * `webgpu`) stay external and load from their own builds, so that the worker threads of the CPU
 * backend and of data-parallel training find their entries (`dist/cpu-worker.js`, `dist/train-worker.js`).
 */
export default defineConfig({
  entry: ['src/main.ts'],
  format: 'esm',
  platform: 'node',
  dts: false,
  clean: true,
  sourcemap: true,
});
