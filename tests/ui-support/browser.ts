// Headless Debian Chromium for UI tests (the flags of systemd/README.md, "The screen"). Playwright gives the browser a fresh
// temporary profile; each page gets its own context (own storage, own connections), closed with it.
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export interface TestBrowser {
  browser: Browser;
  /** A page in a new context; closing the page closes the context and its keep-alive sockets. */
  newPage(width?: number, height?: number): Promise<Page>;
  close(): Promise<void>;
}

/** `extraArgs`: more Chromium flags, e.g. a fake camera (tests/ui-camera.test.ts) or the autoplay flag below. */
/** Chromium as the kiosk session starts it for a wall display (systemd/kiosk-session.sh): sound without a tap. */
export const AUTOPLAY_ARGS = ['--autoplay-policy=no-user-gesture-required'];

export async function launchBrowser(extraArgs: string[] = []): Promise<TestBrowser> {
  const browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
  return {
    browser,
    async newPage(width = 1280, height = 800) {
      const context = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo', viewport: { width, height } });
      const page = await context.newPage();
      page.once('close', () => void context.close().catch(() => {}));
      return page;
    },
    async close() {
      await browser.close().catch(() => {});
    },
  };
}

/** Collect page errors and console errors so a test can assert there were none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return errors;
}

/**
 * Type like a keyboard-wedge scanner: key events at the page with no field focused, then Enter.
 * Dispatched in one go inside the page: Playwright's key-by-key typing can leave gaps over the
 * 50 ms end-of-scan pause on a loaded CI machine, which a real scanner does not.
 */
export async function wedge(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => {
    for (const key of [...t, 'Enter']) window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true }));
  }, text);
}
