// The built UI under the daemon's Content-Security-Policy, in real Chromium: every screen loads,
// connects its sockets, shows the demo QR images and signs a staff member in without one violation.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, watchErrors, type TestBrowser } from './ui-support/browser.js';
import { ensureUiBuilt } from './ui-support/build.js';
import { startRealDaemon, type RealDaemon } from './ui-support/real-daemon.js';

let browser: TestBrowser;
let kiosk: RealDaemon;

beforeAll(async () => {
  await ensureUiBuilt();
  [browser, kiosk] = await Promise.all([launchBrowser(), startRealDaemon()]);
  await kiosk.daemon.ctx.staff.add('clerk1', '窓口 花子', '246813');
});

afterAll(async () => {
  await browser?.close();
  await kiosk?.stop();
});

/** A page that records every CSP violation (from the first byte on) and every console error. */
async function watchedPage(): Promise<{ page: Page; violations: () => Promise<string[]>; errors: string[] }> {
  const page = await browser.newPage();
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`));
  });
  const errors = watchErrors(page);
  return { page, errors, violations: () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations) };
}

describe('the UI under the Content-Security-Policy (real daemon, Chromium)', () => {
  it('the document is served with the policy', async () => {
    const { page } = await watchedPage();
    const response = await page.goto(kiosk.url + '/');
    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
    await page.close();
  });

  it('the self-service screen connects, shows the demo QR images and scans one, with no violation', async () => {
    const { page, violations, errors } = await watchedPage();
    await page.goto(kiosk.url + '/');
    await expect.poll(() => page.locator('kiosk-status-strip .office').count(), { timeout: 10_000 }).toBe(1);
    await page.locator('kiosk-demo-panel summary').click();
    const image = page.locator('kiosk-demo-panel img').first();
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 10_000 }).toBe(true);
    await page.locator('kiosk-demo-panel button[data-demo-label*="別の事務所"]').click();
    await expect.poll(() => page.locator('kiosk-verdict-view section').getAttribute('data-reason'), { timeout: 10_000 }).toBe('WRONG_OFFICE');
    expect(await violations()).toEqual([]);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });

  it('the counter signs in over HTTP and its staff socket, and the call display loads, with no violation', async () => {
    const { page, violations, errors } = await watchedPage();
    await page.goto(kiosk.url + '/counter');
    const form = page.locator('kiosk-staff-sign-in');
    await form.locator('input[name=staffId]').fill('clerk1');
    for (const k of '246813') await form.locator(`button[data-key="${k}"]`).click();
    await form.locator('button[data-key=ok]').click();
    await expect.poll(() => page.locator('kiosk-counter [data-staff]').textContent(), { timeout: 10_000 }).toBe('clerk1');
    expect(await violations()).toEqual([]);
    expect(errors, errors.join('\n')).toEqual([]);

    const display = await watchedPage();
    await display.page.goto(kiosk.url + '/display');
    await display.page.locator('kiosk-call-display h1').waitFor();
    expect(await display.violations()).toEqual([]);
    expect(display.errors, display.errors.join('\n')).toEqual([]);
    await Promise.all([page.close(), display.page.close()]);
  });

  it('the policy is enforced: an injected inline script is blocked and reported', async () => {
    const { page, violations } = await watchedPage();
    await page.goto(kiosk.url + '/');
    const ran = await page.evaluate(async () => {
      const w = window as unknown as { injected?: boolean };
      const s = document.createElement('script');
      s.textContent = 'window.injected = true';
      document.head.append(s);
      await new Promise((r) => setTimeout(r, 100));
      return w.injected === true;
    });
    expect(ran).toBe(false);
    expect(await violations()).toEqual([expect.stringMatching(/^script-src(-elem)? blocked inline$/)]);
    await page.close();
  });
});
