import { defineConfig } from 'tsdown';

/** The demo is an executable: one Node entry, workspace packages bundled in, no types. */
export default defineConfig({
  entry: ['src/main.ts'],
  format: 'esm',
  platform: 'node',
  dts: false,
  clean: true,
  sourcemap: true,
});
