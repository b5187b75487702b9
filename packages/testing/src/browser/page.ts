import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { bundlePage } from './bundle';
import { launchChromium } from './chromium';
import { serveFiles } from './server';
import { withTimeout } from './timeout';

/** The names of `API`'s methods: what a page's `window.statespace` can be called with. */
export type PageMethod<API> = {
  [K in keyof API & string]: API[K] extends (...args: never[]) => unknown ? K : never;
}[keyof API & string];

type Method<API, K extends keyof API> = Extract<API[K], (...args: never[]) => unknown>;

/** How {@link openBrowserPage} opens a page. */
export interface BrowserPageOptions {
  /**
   * The page module: an absolute path or a `file:` URL (e.g. `new URL('./page.ts', import.meta.url)`).
   * Its imports are bundled with it; it must set `window.statespace` once it is ready.
   */
  entry: string | URL;
  /** The document's title. */
  title: string;
  /** Limit on launching the browser, loading the page and each call, in ms (default 60 s). */
  timeoutMs?: number;
  /** Inline a source map into the page's bundle (default `true`). */
  sourcemap?: boolean;
}

/**
 * A page of headless Chromium that exposes `API` on `window.statespace`; `API` is the type the
 * page module declares for that global.
 */
export interface BrowserPage<API extends object> {
  /** Evaluates `window.statespace[name](...args)` in the page; arguments and result cross as JSON-like values. */
  call<K extends PageMethod<API>>(
    name: K,
    ...args: Parameters<Method<API, K>>
  ): Promise<Awaited<ReturnType<Method<API, K>>>>;
  /** Closes the browser and the server (bounded in time). */
  close(): Promise<void>;
}

/** `window.statespace` as seen from Node, where the page's own declaration of it is not known. */
type StatespaceGlobal = { statespace?: Record<string, (...args: unknown[]) => unknown> };

const DEFAULT_TIMEOUT_MS = 60_000;
const CLOSE_TIMEOUT_MS = 10_000;

const escapeHtml = (text: string): string => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

const html = (title: string): string =>
  `<!doctype html><meta charset="utf-8"><title>${escapeHtml(title)}</title><link rel="icon" href="data:,"><script type="module" src="/page.js"></script>`;

function entryPath(entry: string | URL): string {
  const path = entry instanceof URL || entry.startsWith('file:') ? fileURLToPath(entry) : entry;
  if (!isAbsolute(path)) throw new Error(`the page entry must be an absolute path or a file: URL: ${entry}`);
  return path;
}

/** A call's name and its scalar arguments, to say which call failed. */
const label = (name: string, args: readonly unknown[]): string =>
  `${name}(${args.filter((a) => typeof a === 'string' || typeof a === 'number').join(', ')})`;

/**
 * Bundles `entry`, serves it from 127.0.0.1 (a secure context, so `navigator.gpu` exists), opens
 * it in headless Chromium and waits until the page has set `window.statespace`. Errors the page
 * reports (uncaught exceptions, console errors) are added to any failure.
 */
export async function openBrowserPage<API extends object>(
  options: BrowserPageOptions,
): Promise<BrowserPage<API>> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const server = await serveFiles({
    '/': { type: 'text/html', body: html(options.title) },
    '/page.js': {
      type: 'text/javascript',
      body: await bundlePage(entryPath(options.entry), { sourcemap: options.sourcemap }),
    },
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
    browser = await launchChromium(timeoutMs);
    const page = await browser.newPage();
    page.setDefaultTimeout(timeoutMs);
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
      page
        .goto(`${server.url}/`)
        .then(() =>
          page.waitForFunction(() => (globalThis as unknown as StatespaceGlobal).statespace !== undefined),
        ),
    );
    return {
      call: (name, ...args) =>
        explain(
          label(name, args),
          page.evaluate(([n, a]) => (globalThis as unknown as StatespaceGlobal).statespace![n](...a), [
            name,
            args,
          ] as [string, unknown[]]),
        ) as never,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
