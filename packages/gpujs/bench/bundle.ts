import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// Bundles the benchmark into one file for the GPU machine, which has Node but no workspace:
// workspace packages and gpu.js are inlined, Dawn (`webgpu`) stays external and is resolved from
// the bundle's own folder (`.gpu/node_modules/webgpu`, see ../shared/gpu), and gpu.js's optional
// native `gl` stays external (gpu.js loads it inside a try; it is absent there).
const root = fileURLToPath(new URL('../../../', import.meta.url));
const outdir = `${root}.gpu`;
mkdirSync(outdir, { recursive: true });
await build({
  entryPoints: [fileURLToPath(new URL('./index.ts', import.meta.url))],
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  conditions: ['@statespace/source'],
  external: ['webgpu', 'gl'],
  // gpu.js is CommonJS: give its `require` of Node built-ins a real `require` in the ESM bundle.
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  outfile: `${outdir}/bench-gpujs.mjs`,
  logLevel: 'info',
});
// The CPU backend's worker threads load `cpu-worker.js` beside the module that spawns them (here
// the bundle): bundle that entry of @statespace/kernels too, as an ES module (`.gpu` sits in the
// repository root, whose package.json says "type": "module").
await build({
  entryPoints: [`${root}packages/kernels/src/cpu-worker.ts`],
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  conditions: ['@statespace/source'],
  outfile: `${outdir}/cpu-worker.js`,
  logLevel: 'info',
});
