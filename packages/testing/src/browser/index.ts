/**
 * Headless-Chromium plumbing for the browser tests of the statespace packages: a page module is
 * bundled, served from 127.0.0.1 and opened in Debian's Chromium, and the test calls what the page
 * exposes on `window.statespace` (private, not published).
 * @packageDocumentation
 */

export { type BundleOptions, bundlePage } from './bundle';
export { CHROMIUM_FLAGS, CHROMIUM_PATH, hasChromium, launchChromium } from './chromium';
export { type BrowserPage, type BrowserPageOptions, openBrowserPage, type PageMethod } from './page';
export { type StaticFile, type StaticServer, serveFiles } from './server';
export { withTimeout } from './timeout';
