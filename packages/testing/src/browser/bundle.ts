import { build } from 'esbuild';

/** How {@link bundlePage} builds a page. */
export interface BundleOptions {
  /** Inline a source map into the bundle (default `true`); large bundles, such as gpu.js's, may leave it out. */
  sourcemap?: boolean;
}

/**
 * Bundles a page module (an absolute path) and its workspace imports, from their TypeScript
 * sources, into one ES module for the browser.
 */
export async function bundlePage(entry: string, { sourcemap = true }: BundleOptions = {}): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@statespace/source'],
    // Node-only code paths (Dawn, the CPU backend's worker threads) are never taken in the page.
    external: ['webgpu', 'node:*'],
    sourcemap: sourcemap ? 'inline' : false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}
