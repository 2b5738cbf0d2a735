// The self-service screen against the real daemon: what a person at the kiosk sees.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, watchErrors, wedge, type TestBrowser } from './ui-support/browser.js';
import { ensureUiBuilt } from './ui-support/build.js';
import { startRealDaemon, type RealDaemon } from './ui-support/real-daemon.js';

let browser: TestBrowser;
let kiosk: RealDaemon;

beforeAll(async () => {
  await ensureUiBuilt();
  [browser, kiosk] = await Promise.all([launchBrowser(), startRealDaemon({ ownPrinter: true })]);
});

afterAll(async () => {
  await browser?.close();
  await kiosk?.stop();
});

async function idlePage(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  const t0 = Date.now();
  await page.goto(kiosk.url + '/');
  await page.locator('kiosk-self-service h1').waitFor();
  // Connected and showing the daemon's state (the office name comes from KioskState).
  await expect.poll(() => page.locator('kiosk-status-strip .office').count()).toBe(1);
  console.log(`kiosk idle screen with state: ${Date.now() - t0} ms`);
  return { page, errors };
}


describe('self-service kiosk (real daemon)', () => {
  it('a typed demo APP code shows a large ticket number, and scanning it again shows the same number', async () => {
    const { page, errors } = await idlePage();
    const text = await kiosk.code('APP 1');
    await wedge(page, text);
    const number = page.locator('kiosk-verdict-view [data-ticket-number]');
    await expect.poll(() => number.textContent(), { timeout: 10_000 }).toMatch(/^[A-Z]{1,2}-?\d+$/);
    const first = (await number.textContent())!;
    expect(await page.locator('kiosk-verdict-view section').textContent()).toContain('番号札をお取りください');
    const size = await number.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(size).toBeGreaterThanOrEqual(120);
    await page.screenshot({ path: '/tmp/kiosk-ticket.png' });

    // Touch returns to idle; the same code again is the same ticket, offered for reprint.
    await page.locator('kiosk-verdict-view section').click();
    await page.locator('kiosk-self-service h1').waitFor();
    // Same code typed with Caps Lock on (a different text, so not the 3 s duplicate filter): the open ticket again.
    await wedge(page, text.toLowerCase());
    await expect.poll(() => number.textContent()).toBe(first);
    expect(await page.locator('kiosk-verdict-view section').textContent()).toMatch(/すでに発行/);
    // Lost the paper? The repeat screen offers to print it again, once.
    const printedBefore = kiosk.printer!.decode().length;
    await page.locator('kiosk-verdict-view [data-reprint-button]').click();
    await page.locator('kiosk-verdict-view [data-reprint=sent]').waitFor({ timeout: 10_000 });
    await expect.poll(() => kiosk.printer!.decode().length, { timeout: 10_000 }).toBe(printedBefore + 1);
    const reprinted = kiosk.printer!.decode().at(-1)!;
    expect([reprinted.large.join(' '), reprinted.lines.join(' ')]).toEqual([expect.stringContaining(first), expect.stringContaining('再発行')]);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });

  it('a rejected code shows its Japanese message from the verdict', async () => {
    const { page } = await idlePage();
    await wedge(page, await kiosk.code('手数料未納'));
    const msg = page.locator('kiosk-verdict-view [data-message]');
    await expect.poll(() => msg.textContent(), { timeout: 10_000 }).toContain('手数料の納付が確認できません');
    expect(await page.locator('kiosk-verdict-view section').getAttribute('data-reason')).toBe('FEES_UNPAID');
    await page.screenshot({ path: '/tmp/kiosk-rejected.png' });
    await page.close();
  });

  it('a registration code at the self-service kiosk sends the person to the counter', async () => {
    const { page } = await idlePage();
    await wedge(page, await kiosk.code('REG'));
    await expect.poll(() => page.locator('kiosk-verdict-view [data-message]').textContent(), { timeout: 10_000 }).toContain('窓口');
    expect(await page.locator('kiosk-verdict-view section').getAttribute('data-outcome')).toBe('refer');
    await page.close();
  });

  it('the demo panel lists the daemon\'s codes and tapping one scans it', async () => {
    const { page } = await idlePage();
    await page.locator('kiosk-demo-panel summary').click();
    await page.locator('kiosk-demo-panel button[data-demo-label*="別の事務所"]').click();
    await expect.poll(() => page.locator('kiosk-verdict-view section').getAttribute('data-reason'), { timeout: 10_000 }).toBe('WRONG_OFFICE');
    await page.close();
  });
});

describe('self-service kiosk with the printer out of paper (real daemon)', () => {
  it('the status strip says tickets cannot be printed, and a ticket number says to tell it at the counter', async () => {
    const out = await startRealDaemon({ ownPrinter: true, beforeStart: (p) => p.setPaperOut(true) });
    try {
      const page = await browser.newPage();
      await page.goto(out.url + '/');
      const strip = page.locator('kiosk-status-strip');
      await expect.poll(() => strip.locator('[data-status=printer]').textContent(), { timeout: 10_000 }).toContain('番号札を印刷できません');
      expect(await strip.locator('[data-status=printer]').textContent()).toContain('用紙切れ');
      await wedge(page, await out.code('APP 2'));
      await expect.poll(() => page.locator('kiosk-verdict-view [data-ticket-number]').count(), { timeout: 10_000 }).toBe(1);
      expect(await page.locator('kiosk-verdict-view .warn').textContent({ timeout: 3000 })).toContain('この番号を窓口でお伝えください');
      await page.screenshot({ path: '/tmp/kiosk-paper-out.png' });
      await page.close();
    } finally {
      // Paper back in, so the held ticket prints before the daemon stops.
      out.printer?.setPaperOut(false);
      await out.stop();
    }
  });
});
