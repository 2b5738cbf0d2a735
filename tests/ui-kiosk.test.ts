// The self-service screen against the real daemon: what a person at the kiosk sees — a ticket, and
// on a rescan where that ticket stands now (waiting, called to a counter, done); a countdown before
// the result closes that a touch extends; out of service while the daemon is away, and back at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import type { Page } from 'playwright-core';
import { launchBrowser, watchErrors, wedge, type TestBrowser } from './ui-support/browser.js';
import { ensureUiBuilt } from './ui-support/build.js';
import { startRealDaemon, type RealDaemon } from './ui-support/real-daemon.js';

let browser: TestBrowser;
let kiosk: RealDaemon;

beforeAll(async () => {
  await ensureUiBuilt();
  [browser, kiosk] = await Promise.all([launchBrowser(), startRealDaemon({ ownPrinter: true })]);
  await kiosk.daemon.ctx.staff.add('clerk1', '窓口 花子', '246813');
});

afterAll(async () => {
  await browser?.close();
  await kiosk?.stop();
});

async function idlePage(width = 1280, height = 800): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage(width, height);
  const errors = watchErrors(page);
  await page.goto(kiosk.url + '/');
  await page.locator('kiosk-self-service h1').waitFor();
  // Connected and showing the daemon's state (the office name comes from KioskState).
  await expect.poll(() => page.locator('kiosk-status-strip .office').count()).toBe(1);
  return { page, errors };
}

/** A staff action over /staff, as a counter screen sends it. */
async function staff<T>(event: string, payload: object): Promise<T> {
  const res = await fetch(`${kiosk.url}/api/staff/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ staffId: 'clerk1', pin: '246813' }) });
  const { token } = (await res.json()) as { token: string };
  const s = io(`${kiosk.url}/staff`, { auth: { token }, transports: ['websocket'] });
  try {
    return (await s.timeout(10_000).emitWithAck(event, { id: crypto.randomUUID(), ...payload })) as T;
  } finally {
    s.close();
  }
}

const card = (page: Page) => page.locator('kiosk-verdict-view section');
const number = (page: Page) => page.locator('kiosk-verdict-view [data-ticket-number]');

describe('self-service kiosk (real daemon)', () => {
  it('a ticket, then rescans that say where it stands: waiting with people ahead, called to counter 1, done', async () => {
    const { page, errors } = await idlePage();
    const text = await kiosk.code('APP 1');
    await wedge(page, text);
    await expect.poll(() => number(page).textContent(), { timeout: 10_000 }).toMatch(/^[A-Z]{1,2}-?\d+$/);
    const first = (await number(page).textContent())!;
    expect(await card(page).textContent()).toContain('番号札をお取りください');
    expect(await number(page).evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(110);
    expect(await page.locator('kiosk-verdict-view [data-vehicle]').count()).toBe(1);
    await page.screenshot({ path: '/tmp/kiosk-ticket.png' });

    // Close returns to idle; the same code again (Caps Lock: not the 3 s duplicate filter) shows where it stands.
    await page.locator('kiosk-verdict-view button[data-close]').click();
    await page.locator('kiosk-self-service .idle h1').waitFor();
    await wedge(page, text.toLowerCase());
    await expect.poll(() => card(page).getAttribute('data-position')).toBe('waiting');
    expect(await number(page).textContent()).toBe(first);
    expect(await page.locator('kiosk-verdict-view [data-ahead]').textContent()).toContain('次にお呼びします');
    // Lost the paper? The waiting screen offers to print it again, once.
    const printedBefore = kiosk.printer!.decode().length;
    await page.locator('kiosk-verdict-view [data-reprint-button]').click();
    await page.locator('kiosk-verdict-view [data-reprint=sent]').waitFor({ timeout: 10_000 });
    await expect.poll(() => kiosk.printer!.decode().length, { timeout: 10_000 }).toBe(printedBefore + 1);
    expect(kiosk.printer!.decode().at(-1)!.lines.join(' ')).toContain('再発行');

    // Staff call it to counter 1: a rescan says so, big — not "keep waiting".
    const called = await staff<{ ticket: { number: string } }>('call-next', { counter: '1' });
    expect(called.ticket.number).toBe(first);
    await page.locator('kiosk-verdict-view button[data-close]').click();
    await wedge(page, text);
    await expect.poll(() => card(page).getAttribute('data-position')).toBe('called');
    const callout = page.locator('kiosk-verdict-view [data-called-to]');
    expect(await callout.textContent()).toContain('1番窓口へお越しください');
    expect(await callout.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(40);
    expect(await card(page).textContent()).not.toContain('お待ちください');
    expect(await page.locator('kiosk-verdict-view [data-reprint-button]').count()).toBe(0);
    await page.screenshot({ path: '/tmp/kiosk-rescan-called.png' });

    // Handed over: the code now says "already collected", with what to do if that is news; no reprint.
    const ticketId = (kiosk.daemon.ctx.cache.db.prepare('SELECT id FROM tickets WHERE number = ?').get(first) as { id: string }).id;
    for (const a of kiosk.daemon.ctx.tickets.items(ticketId)) await staff('handover', { receiptNumber: a.receiptNumber, ticketId });
    await page.locator('kiosk-verdict-view button[data-close]').click();
    await wedge(page, text.toLowerCase());
    await expect.poll(() => card(page).getAttribute('data-reason')).toBe('ALREADY_COLLECTED');
    expect(await page.locator('kiosk-verdict-view [data-next-step]').textContent()).toContain('窓口へお越しください');
    expect(await page.locator('kiosk-verdict-view [data-reprint-button]').count()).toBe(0);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });

  it('the result counts down visibly and a touch gives the full time again; then it closes by itself', async () => {
    const { page } = await idlePage();
    await wedge(page, await kiosk.code('手数料未納'));
    const countdown = page.locator('kiosk-countdown [data-countdown]');
    await expect.poll(() => countdown.getAttribute('data-countdown'), { timeout: 10_000 }).toBe('15');
    expect(await countdown.textContent()).toContain('秒で最初の画面に戻ります');
    await expect.poll(() => countdown.getAttribute('data-countdown'), { timeout: 10_000 }).toBe('12');
    await page.locator('kiosk-verdict-view [data-message]').click(); // a touch, not on Close
    await expect.poll(() => countdown.getAttribute('data-countdown')).toBe('15');
    expect(await card(page).count()).toBe(1);
    await page.locator('kiosk-self-service .idle h1').waitFor({ timeout: 25_000 });
    await page.close();
  }, 40_000);

  it('a rejected code says why in Japanese, with the next step where the reason alone has none', async () => {
    const { page } = await idlePage();
    await wedge(page, await kiosk.code('手数料未納'));
    const msg = page.locator('kiosk-verdict-view [data-message]');
    await expect.poll(() => msg.textContent(), { timeout: 10_000 }).toContain('手数料の納付が確認できません');
    expect(await card(page).getAttribute('data-reason')).toBe('FEES_UNPAID');
    await page.locator('kiosk-verdict-view button[data-close]').click();
    await wedge(page, await kiosk.code('補正待ち'));
    await expect.poll(() => card(page).getAttribute('data-reason'), { timeout: 10_000 }).toBe('NOT_READY');
    expect(await page.locator('kiosk-verdict-view [data-next-step]').textContent()).toContain('もう一度お越しください');
    await page.screenshot({ path: '/tmp/kiosk-not-ready.png' });
    await page.close();
  });

  it('a batch (AUTH) pickup lists the vehicles by registration and chassis digits', async () => {
    const { page } = await idlePage(1080, 1920);
    await wedge(page, await kiosk.code('AUTH) / Batch'));
    await expect.poll(() => page.locator('kiosk-verdict-view [data-vehicle]').count(), { timeout: 10_000 }).toBe(3);
    const items = (await page.locator('kiosk-verdict-view .items').textContent())!;
    expect(items).toContain('熊本 480 な 40-00');
    expect(items).toContain('3000');
    expect(items).toContain('新規検査');
    await page.screenshot({ path: '/tmp/kiosk-auth.png' });
    await page.close();
  });

  it('a registration code at the self-service kiosk sends the person to the counter', async () => {
    const { page } = await idlePage();
    await wedge(page, await kiosk.code('REG'));
    await expect.poll(() => page.locator('kiosk-verdict-view [data-message]').textContent(), { timeout: 10_000 }).toContain('窓口');
    expect(await card(page).getAttribute('data-outcome')).toBe('refer');
    await page.close();
  });

  it("the demo panel lists the daemon's codes and tapping one scans it", async () => {
    const { page } = await idlePage();
    await page.locator('kiosk-demo-panel summary').click();
    await page.locator('kiosk-demo-panel button[data-demo-label*="別の事務所"]').click();
    await expect.poll(() => card(page).getAttribute('data-reason'), { timeout: 10_000 }).toBe('WRONG_OFFICE');
    await page.close();
  });

  it('the daemon stopping puts the kiosk and the display out of service at once; both recover without a reload', async () => {
    const { page } = await idlePage();
    const display = await browser.newPage(1920, 1080);
    await display.goto(kiosk.url + '/display');
    await expect.poll(() => display.locator('kiosk-call-display .newest').count()).toBe(1); // the call made above
    await kiosk.down();
    try {
      const out = page.locator('kiosk-self-service [data-out-of-service]');
      await out.waitFor({ timeout: 10_000 });
      expect(await out.textContent()).toContain('窓口へお越しください');
      expect(await page.locator('kiosk-self-service .idle').count()).toBe(0); // no "hold your code" beside it
      // A scan while out of service: no "checking…", no "try again" — the screen already says where to go.
      await wedge(page, await kiosk.code('APP 2'));
      await page.waitForTimeout(300);
      expect(await page.locator('kiosk-self-service [data-busy], kiosk-self-service [data-failure]').count()).toBe(0);
      await display.locator('kiosk-call-display [data-out-of-service]').waitFor({ timeout: 10_000 });
      expect(await display.locator('kiosk-call-display .newest').count()).toBe(0); // no old numbers as if current
      await page.screenshot({ path: '/tmp/kiosk-out-of-service.png' });
      await display.screenshot({ path: '/tmp/kiosk-display-out-of-service.png' });
    } finally {
      await kiosk.up();
    }
    const back = Date.now();
    await page.locator('kiosk-self-service .idle h1').waitFor({ timeout: 15_000 });
    await display.locator('kiosk-call-display [data-out-of-service]').waitFor({ state: 'detached', timeout: 15_000 });
    console.log(`kiosk back to idle ${Date.now() - back} ms after the daemon was up again`);
    await wedge(page, await kiosk.code('APP 3'));
    await expect.poll(() => number(page).count(), { timeout: 10_000 }).toBe(1);
    await display.close();
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
      await expect.poll(() => number(page).count(), { timeout: 10_000 }).toBe(1);
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
