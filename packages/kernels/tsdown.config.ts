import { defineConfig } from 'tsdown';
import shared from '../../tsdown.config.ts';

// The CPU backend's worker threads load their own entry, beside the main one.
export default defineConfig({ ...shared, entry: ['src/index.ts', 'src/cpu-worker.ts'] });
