import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); tests never download a browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** The launch flags of PLATFORM.md: WebGPU on, and nothing that reaches the network. */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--enable-unsafe-webgpu',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--headless',
];

/** Whether the browser is installed. */
export const hasChromium = (): boolean => existsSync(CHROMIUM_PATH);

/** Launches {@link CHROMIUM_PATH} headless with {@link CHROMIUM_FLAGS}, giving up after `timeoutMs`. */
export function launchChromium(timeoutMs: number): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_FLAGS],
    headless: true,
    timeout: timeoutMs,
  });
}
