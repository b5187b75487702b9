import { defineConfig } from 'tsdown';
import shared from '../../tsdown.config.ts';

// The data-parallel worker threads load their own entry, beside the main one. Node.js built-ins
// (worker threads, file system) stay imports: they are loaded only by the Node.js-only parts.
export default defineConfig({
  ...shared,
  entry: ['src/index.ts', 'src/train-worker.ts'],
  external: [/^node:/],
});
