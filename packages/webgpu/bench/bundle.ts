import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// Bundles the benchmark into one file for the GPU machine, which has Node but no workspace:
// workspace packages are inlined from their sources, Dawn (`webgpu`) stays external and is
// resolved from the bundle's own folder (`.gpu/node_modules/webgpu`, see ../shared/gpu).
const root = fileURLToPath(new URL('../../../', import.meta.url));
const outdir = `${root}.gpu`;
mkdirSync(outdir, { recursive: true });
// `pnpm bench:bundle` bundles the benchmark (bench.mjs); with an argument, another script of this
// folder (`pnpm bench:bundle diagnose` → diagnose.mjs).
const entry = process.argv[2] ?? 'index';
await build({
  entryPoints: [fileURLToPath(new URL(`./${entry}.ts`, import.meta.url))],
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  conditions: ['@statespace/source'],
  external: ['webgpu'],
  outfile: `${outdir}/${entry === 'index' ? 'bench' : entry}.mjs`,
  logLevel: 'info',
});
