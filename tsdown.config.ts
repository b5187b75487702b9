import { defineConfig } from 'tsdown';

/** Shared build of every published package: one ESM entry with bundled `.d.ts` types. */
export default defineConfig({
  entry: ['src/index.ts'],
  format: 'esm',
  platform: 'neutral',
  dts: true,
  clean: true,
  sourcemap: true,
});
