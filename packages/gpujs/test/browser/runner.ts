import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
// The static server of the WebGPU package's browser test, shared rather than copied.
import { serveFiles } from '../../../webgpu/test/browser/server';
import type { StatespacePage } from './page';

/** Debian's Chromium (`apt-get install chromium`); tests never download a browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** The launch flags of PLATFORM.md: WebGPU on, and nothing that reaches the network. */
const CHROMIUM_FLAGS = [
  '--enable-unsafe-webgpu',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--headless',
];

const TIMEOUT_MS = 120_000;
const CLOSE_TIMEOUT_MS = 10_000;

/** Whether the browser is installed. */
export const hasChromium = (): boolean => existsSync(CHROMIUM_PATH);

/** Bundles page.ts, gpu.js's browser build and the workspace sources it imports, for the browser. */
async function bundlePage(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./page.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@statespace/source'],
    // Node-only code paths (Dawn, the CPU backend's worker threads) are never taken in the page.
    external: ['webgpu', 'node:*'],
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

const HTML =
  '<!doctype html><meta charset="utf-8"><title>statespace gpujs</title><link rel="icon" href="data:,"><script type="module" src="/page.js"></script>';

/** A page of headless Chromium running the gpu.js backend. */
export interface GpuJsPage {
  describe: StatespacePage['describe'];
  run: StatespacePage['run'];
  /** Closes the browser and the server (bounded in time). */
  close(): Promise<void>;
}

/**
 * Serves the bundled page from 127.0.0.1, opens it in headless Chromium and waits until it is
 * ready. Errors the page reports (uncaught exceptions, console errors) are added to any failure.
 */
export async function openGpuJsPage(): Promise<GpuJsPage> {
  const server = await serveFiles({
    '/': { type: 'text/html', body: HTML },
    '/page.js': { type: 'text/javascript', body: await bundlePage() },
  });
  let browser: Browser | undefined;
  const close = async () => {
    await withTimeout(
      Promise.all([browser?.close(), server.close()]),
      CLOSE_TIMEOUT_MS,
      'closing the browser',
    );
  };
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_FLAGS,
      headless: true,
      timeout: TIMEOUT_MS,
    });
    const page = await browser.newPage();
    page.setDefaultTimeout(TIMEOUT_MS);
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.stack ?? error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    const explain = async <T>(what: string, work: Promise<T>): Promise<T> => {
      try {
        return await work;
      } catch (error) {
        const details = pageErrors.length ? `\npage errors:\n${pageErrors.join('\n')}` : '';
        throw new Error(`${what}: ${error instanceof Error ? error.message : error}${details}`, {
          cause: error,
        });
      }
    };
    await explain(
      'loading the page',
      page.goto(`${server.url}/`).then(() => page.waitForFunction(() => window.statespace !== undefined)),
    );
    return {
      describe: (mode) =>
        explain(
          `describe(${mode})`,
          page.evaluate((m) => window.statespace!.describe(m), mode),
        ),
      run: (mode, op, input) =>
        explain(
          `${op} (${mode})`,
          page.evaluate(([m, o, i]) => window.statespace!.run(m, o, i), [mode, op, input] as const),
        ),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
