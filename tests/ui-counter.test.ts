// The counter and call display against the real daemon: sign in, call the next ticket (the call
// display shows it), hand items over, scan a code at the counter, sign out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import type { Page } from 'playwright-core';
import type { VerdictEvent } from '../protocol/events.js';
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

/** A person at the self-service kiosk gets a ticket (over /kiosk, as the kiosk screen does). */
async function issueTicket(label: string): Promise<VerdictEvent> {
  const s = io(`${kiosk.url}/kiosk`, { transports: ['websocket'] });
  try {
    const e = (await s.timeout(10_000).emitWithAck('scan', { text: await kiosk.code(label), source: 'typed' })) as VerdictEvent;
    if (!e.ticket) throw new Error(`no ticket for ${label}: ${JSON.stringify(e.verdict)}`);
    return e;
  } finally {
    s.close();
  }
}

async function signIn(page: Page, staffId: string, pin: string): Promise<void> {
  const form = page.locator('kiosk-staff-sign-in');
  await form.locator('input[name=staffId]').fill(staffId);
  for (const k of pin) await form.locator(`button[data-key="${k}"]`).click();
  await form.locator('button[data-key=ok]').click();
}

describe('counter and call display (real daemon)', () => {
  it('sign in, call next at counter 3, hand the item over; the display shows the call', async () => {
    const issued = await issueTicket('APP 1');
    const display = await browser.newPage();
    await display.goto(kiosk.url + '/display');
    await display.locator('kiosk-call-display h1').waitFor();

    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(kiosk.url + '/counter');
    await signIn(page, 'clerk1', '1111');
    await expect.poll(() => page.locator('kiosk-staff-sign-in [data-error]').textContent()).toContain('PINが違います');
    await signIn(page, 'clerk1', '246813');
    await expect.poll(() => page.locator('kiosk-counter [data-staff]').textContent()).toBe('clerk1');
    await expect.poll(() => page.locator(`kiosk-queue-list button[data-ticket="${issued.ticket!.number}"]`).count()).toBe(1);

    await page.locator('kiosk-counter input.counter-no').fill('3');
    await page.locator('kiosk-counter input.counter-no').dispatchEvent('change');
    await page.locator('kiosk-counter button[data-call-next]').click();
    await expect.poll(() => page.locator('kiosk-work-panel [data-current-ticket]').textContent()).toBe(issued.ticket!.number);
    expect(await page.evaluate(() => localStorage.getItem('kiosk.counterNumber'))).toBe('3');

    const receipt = issued.verdict.applications[0]!.receiptNumber;
    const item = page.locator(`kiosk-handover-panel li[data-receipt="${receipt}"]`);
    expect(await item.textContent()).toContain('審査完了日');
    await page.screenshot({ path: '/tmp/kiosk-counter.png' });
    await item.locator('button[data-confirm]').click();
    await expect.poll(() => item.locator('[data-handed-over]').count()).toBe(1);

    await expect.poll(() => display.locator('kiosk-call-display .newest').getAttribute('data-called')).toBe(issued.ticket!.number);
    expect(await display.locator('kiosk-call-display .newest').textContent()).toContain('3番窓口');
    await display.screenshot({ path: '/tmp/kiosk-display-real.png' });
    // The wrong PIN above is a 401 the browser logs; nothing else may fail.
    const unexpected = errors.filter((e) => !e.includes('status of 401'));
    expect(unexpected, unexpected.join('\n')).toEqual([]);
    await display.close();
    await page.close();
  });

  it('a code scanned at the counter shows its items; a registration code needs the documents checked; sign-out', async () => {
    const page = await browser.newPage();
    await page.goto(kiosk.url + '/counter');
    await signIn(page, 'clerk1', '246813');
    const box = page.locator('kiosk-counter input[name=scan]');
    await box.fill(await kiosk.code('APP 3'));
    await box.press('Enter');
    await expect.poll(() => page.locator('kiosk-work-panel [data-outcome]').getAttribute('data-outcome'), { timeout: 10_000 }).toBe('accepted');
    expect(await page.locator('kiosk-handover-panel li button[data-confirm]').count()).toBe(1);

    await box.fill(await kiosk.code('REG'));
    await box.press('Enter');
    const register = page.locator('kiosk-work-panel button[data-docs-action=REG]');
    await register.waitFor();
    expect(await register.isDisabled()).toBe(true);
    await page.locator('kiosk-work-panel input[type=checkbox]').check();
    await register.click();
    await expect.poll(() => page.locator('kiosk-work-panel [data-result]').textContent()).toContain('登録しました');
    await page.screenshot({ path: '/tmp/kiosk-counter-register.png' });

    await page.locator('kiosk-counter button[data-sign-out]').click();
    await page.locator('kiosk-staff-sign-in input[name=staffId]').waitFor();
    await page.close();
  });
});
