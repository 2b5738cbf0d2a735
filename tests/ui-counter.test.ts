// The counter and call display against the real daemon, as staff live them: sign in, choose the
// counter once (a tap, never typed), call the next ticket (the display flashes and announces it),
// scan a ticket's QR (called to this counter), recall / no-show / requeue / cancel, hand items over
// with an undo window, and a daemon that goes away and comes back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import type { Page } from 'playwright-core';
import type { VerdictEvent } from '../protocol/events.js';
import { AUTOPLAY_ARGS, launchBrowser, watchErrors, wedge, type TestBrowser } from './ui-support/browser.js';
import { ensureUiBuilt } from './ui-support/build.js';
import { startRealDaemon, type RealDaemon } from './ui-support/real-daemon.js';
import { SOUND_SPY, type Spoken } from './ui-support/sound-spy.js';
import { StaffConnection } from '../kiosk-ui/src/data/staff-connection.js';
import type { CalledTicket } from '../protocol/events.js';

let browser: TestBrowser;
let kiosk: RealDaemon;

beforeAll(async () => {
  await ensureUiBuilt();
  [browser, kiosk] = await Promise.all([launchBrowser(AUTOPLAY_ARGS), startRealDaemon()]);
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

/** A counter page signed in as clerk1 at counter 3. */
async function counterPage(counter = '3'): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(kiosk.url + '/counter');
  await signIn(page, 'clerk1', '246813');
  await page.locator(`kiosk-counter-picker button[data-counter="${counter}"]`).click();
  await expect.poll(() => page.locator('kiosk-counter [data-counter-title]').textContent()).toBe(`${counter}番窓口`);
  return { page, errors };
}

async function displayPage(): Promise<Page> {
  const page = await browser.newPage(1920, 1080);
  await page.addInitScript(SOUND_SPY);
  await page.goto(kiosk.url + '/display');
  await page.locator('kiosk-call-display h1').waitFor();
  return page;
}

const spoken = (page: Page) => page.evaluate(() => (window as unknown as { __spoken: Spoken[] }).__spoken.map((s) => s.text));
const status = (page: Page) => page.locator('kiosk-work-panel [data-ticket-status]').getAttribute('data-ticket-status');
const ticketAction = (page: Page, action: string) => page.locator(`kiosk-ticket-actions button[data-ticket-action="${action}"]`).click();

describe('counter and call display (real daemon)', () => {
  it('sign in, choose counter 3 with a tap, call next: the display flashes and announces it at counter 3', async () => {
    const issued = await issueTicket('APP 1');
    const display = await displayPage();
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(kiosk.url + '/counter');
    await signIn(page, 'clerk1', '1111');
    await expect.poll(() => page.locator('kiosk-staff-sign-in [data-error]').textContent()).toContain('PINが違います');
    await signIn(page, 'clerk1', '246813');
    await expect.poll(() => page.locator('kiosk-counter [data-staff]').textContent()).toBe('clerk1');
    // No counter chosen yet on this PC: a choice of the office's counters, and nothing to type into
    // (the picker shows once the daemon's state has arrived: wait for it, a loaded machine is slow).
    await page.locator('kiosk-counter-picker button[data-counter]').first().waitFor();
    expect(await page.locator('kiosk-counter-picker button[data-counter]').allTextContents()).toEqual(['1番窓口', '2番窓口', '3番窓口', '4番窓口', '5番窓口', '6番窓口']);
    expect(await page.locator('kiosk-counter input.counter-no').count()).toBe(0);
    await page.locator('kiosk-counter-picker button[data-counter="3"]').click();
    expect(await page.evaluate(() => localStorage.getItem('kiosk.counterNumber'))).toBe('3');
    await expect.poll(() => page.locator(`kiosk-queue-list button[data-ticket="${issued.ticket!.number}"]`).count()).toBe(1);

    await page.locator('kiosk-counter button[data-call-next]').click();
    await expect.poll(() => page.locator('kiosk-work-panel [data-current-ticket]').textContent()).toBe(issued.ticket!.number);
    await expect.poll(() => status(page)).toBe('called');
    await expect.poll(() => display.locator('kiosk-call-display .newest').getAttribute('data-called')).toBe(issued.ticket!.number);
    expect(await display.locator('kiosk-call-display .newest').textContent()).toContain('3番窓口');
    await expect.poll(() => spoken(display), { timeout: 20_000 }).toContain(`${issued.ticket!.number.replace('-', ' ').replace(/ 0+/, ' ')}番の方、3番窓口へお越しください。`);
    await page.screenshot({ path: '/tmp/kiosk-counter.png' });
    await display.screenshot({ path: '/tmp/kiosk-display-real.png' });

    // A counter number the office does not have (a scan saved into it once) is never used: choose again.
    await page.evaluate(() => localStorage.setItem('kiosk.counterNumber', '2KQ1PM'));
    await page.reload();
    await page.locator('kiosk-counter-picker button[data-counter="1"]').waitFor();
    expect(await page.locator('kiosk-counter button[data-call-next]').count()).toBe(0);
    const unexpected = errors.filter((e) => !e.includes('status of 401'));
    expect(unexpected, unexpected.join('\n')).toEqual([]);
    await display.close();
    await page.close();
  });

  it("a ticket's QR scanned at the counter calls it to this counter, and the display announces it there", async () => {
    const issued = await issueTicket('APP 2');
    const display = await displayPage();
    const { page } = await counterPage('5');
    await wedge(page, `KT-${issued.ticket!.id.toUpperCase()}`);
    await expect.poll(() => page.locator('kiosk-work-panel [data-current-ticket]').textContent()).toBe(issued.ticket!.number);
    await expect.poll(() => status(page)).toBe('called');
    expect(await page.locator('kiosk-counter [data-message]').textContent()).toContain('5番窓口に呼び出しました');
    await expect.poll(() => display.locator('kiosk-call-display .newest').getAttribute('data-called')).toBe(issued.ticket!.number);
    expect(await display.locator('kiosk-call-display .newest').textContent()).toContain('5番窓口');
    await expect.poll(() => display.locator('kiosk-call-display main').getAttribute('data-announced'), { timeout: 20_000 }).not.toBe('0');
    await display.close();
    await page.close();
  });

  it('recall announces again; no-show sets aside; put back in the queue; cancel asks for a reason', async () => {
    const issued = await issueTicket('APP 3');
    const number = issued.ticket!.number;
    const display = await displayPage();
    const { page } = await counterPage('2');
    await page.locator(`kiosk-queue-list button[data-ticket="${number}"]`).click();
    // Waiting: only cancel is offered.
    expect(await page.locator('kiosk-ticket-actions button[data-ticket-action]').evaluateAll((b) => b.map((x) => x.getAttribute('data-ticket-action')))).toEqual(['cancel']);
    // Call it by its ticket, then recall: the display says it again.
    await wedge(page, `KT-${issued.ticket!.id.toUpperCase()}`);
    await expect.poll(() => status(page)).toBe('called');
    await expect.poll(() => display.locator('kiosk-call-display main').getAttribute('data-announced'), { timeout: 20_000 }).toBe('1');
    await ticketAction(page, 'recall');
    await expect.poll(() => page.locator('kiosk-work-panel [data-result]').textContent()).toContain('もう一度 2番窓口に呼び出しました');
    await expect.poll(() => spoken(display), { timeout: 20_000 }).toContainEqual(expect.stringContaining('もう一度お呼びします'));

    await ticketAction(page, 'no-show');
    await expect.poll(() => status(page)).toBe('no-show');
    expect(await page.locator('kiosk-work-panel [data-ticket-status]').textContent()).toContain('不在');
    await expect.poll(() => page.locator(`kiosk-queue-list button.no-show[data-ticket="${number}"]`).count()).toBe(1);

    await ticketAction(page, 'requeue');
    await expect.poll(() => status(page)).toBe('waiting');
    expect(await page.locator('kiosk-work-panel [data-result]').textContent()).toContain('列の最後に戻しました');

    await ticketAction(page, 'cancel');
    const confirm = page.locator('kiosk-ticket-actions button[data-confirm-cancel]');
    expect(await confirm.isDisabled()).toBe(true);
    await page.locator('kiosk-ticket-actions [data-cancel-form] button', { hasText: '二重に発券' }).click();
    await confirm.click();
    await expect.poll(() => status(page)).toBe('cancelled');
    expect(await page.locator('kiosk-work-panel .banner').textContent()).toContain('二重に発券');
    expect(await page.locator('kiosk-work-panel button[data-reprint]').count()).toBe(0);
    await expect.poll(() => page.locator(`kiosk-queue-list button[data-ticket="${number}"]`).count()).toBe(0);
    await page.screenshot({ path: '/tmp/kiosk-counter-cancelled.png' });
    await display.close();
    await page.close();
  });

  it('a recall whose answer was lost is sent again with the same client id: the daemon acts and announces once', async () => {
    const issued = await issueTicket('APP 2');
    const res = await fetch(`${kiosk.url}/api/staff/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ staffId: 'clerk1', pin: '246813' }) });
    const { token } = (await res.json()) as { token: string };
    const conn = new StaffConnection(token, {}, `${kiosk.url}/staff`);
    const listener = io(`${kiosk.url}/kiosk`, { transports: ['websocket'] });
    const calls: CalledTicket[] = [];
    listener.on('called', (c: CalledTicket) => calls.push(c));
    try {
      await expect.poll(() => conn.connected && listener.connected).toBe(true);
      // Make sure it is called (scanning its ticket at counter 5 does that), then recall it.
      await conn.act('scan', 'scan-ticket', { text: `KT-${issued.ticket!.id.toUpperCase()}`, counter: '5' });
      const callsBefore = kiosk.daemon.ctx.tickets.get(issued.ticket!.id)!.calls;
      const first = await conn.act('recall', `recall:${issued.ticket!.id}`, { ticketId: issued.ticket!.id, counter: '5' }, 1);
      expect('error' in first && first.error.code).toBe('TIMEOUT'); // the answer did not come back in time
      const again = await conn.act('recall', `recall:${issued.ticket!.id}`, { ticketId: issued.ticket!.id, counter: '5' });
      expect('ok' in again && again.ok).toBe(true);
      await new Promise((r) => setTimeout(r, 500));
      expect(calls.filter((c) => c.number === issued.ticket!.number && c.recall)).toHaveLength(1);
      expect(kiosk.daemon.ctx.tickets.get(issued.ticket!.id)!.calls).toBe(callsBefore + 1);
      // A new press after the answer is a new recall.
      await conn.act('recall', `recall:${issued.ticket!.id}`, { ticketId: issued.ticket!.id, counter: '5' });
      expect(kiosk.daemon.ctx.tickets.get(issued.ticket!.id)!.calls).toBe(callsBefore + 2);
    } finally {
      conn.close();
      listener.close();
    }
  });

  it('a handover waits with an Undo button; undone, nothing is recorded; a finished ticket offers no reprint', async () => {
    // The first test's ticket, called to counter 3 and still open (the same code shows the same ticket).
    const issued = await issueTicket('APP 1');
    const { page } = await counterPage('3');
    await page.locator(`kiosk-queue-list button[data-ticket="${issued.ticket!.number}"]`).click();
    await expect.poll(() => page.locator('kiosk-work-panel [data-current-ticket]').textContent()).toBe(issued.ticket!.number);
    const receipt = issued.verdict.applications[0]!.receiptNumber;
    const item = page.locator(`kiosk-handover-panel li[data-receipt="${receipt}"]`);
    expect(await item.textContent()).toContain('継続検査');
    expect(await item.textContent()).not.toContain('RENEW');
    await item.locator('button[data-confirm]').click();
    await item.locator('[data-pending]').waitFor();
    expect(await item.textContent()).toMatch(/\d 秒後に記録/);
    await page.screenshot({ path: '/tmp/kiosk-counter-undo.png' });
    await item.locator('button[data-undo]').click();
    await item.locator('button[data-confirm]').waitFor();
    await page.waitForTimeout(6500);
    expect(await item.locator('[data-handed-over]').count()).toBe(0);
    expect(kiosk.daemon.ctx.tickets.items(issued.ticket!.id).every((i) => i.handedOverAt === null)).toBe(true);

    await item.locator('button[data-confirm]').click();
    await expect.poll(() => item.locator('[data-handed-over]').count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => status(page)).toBe('done');
    expect(await page.locator('kiosk-work-panel button[data-reprint]').count()).toBe(0);
    expect(await page.locator('kiosk-ticket-actions button').count()).toBe(0);
    await page.close();
  });

  it('staff read words, never codes, in their language; the choice of English stays on this PC', async () => {
    const { page } = await counterPage('1');
    await wedge(page, await kiosk.code('手数料未納'));
    const banner = page.locator('kiosk-work-panel .banner[data-outcome]');
    await expect.poll(() => banner.textContent(), { timeout: 10_000 }).toContain('受取不可 ・ 手数料未納');
    const text = (await banner.textContent())!;
    for (const code of ['FEES_UNPAID', 'rejected', 'APP', 'RENEW']) expect(text).not.toContain(code);

    const lookup = page.locator('kiosk-lookup-form');
    await lookup.locator('input[name=receipt]').fill('20261127430190005');
    await lookup.locator('input[name=reason]').fill('コード紛失');
    await lookup.locator('button').click();
    const found = page.locator('kiosk-work-panel [data-lookup]');
    await expect.poll(() => found.textContent()).toContain('交付準備済み');
    expect(await found.textContent()).toContain('熊本事務所');
    expect(await found.textContent()).not.toMatch(/ready|4301/);

    await page.locator('kiosk-language-switch button[data-lang=en]').click();
    await expect.poll(() => page.locator('kiosk-counter button[data-call-next]').textContent()).toContain('Call next');
    expect(await found.textContent()).toContain('Ready');
    await page.reload();
    await expect.poll(() => page.locator('kiosk-counter button[data-call-next]').textContent()).toContain('Call next');
    await page.locator('kiosk-language-switch button[data-lang=ja]').click();
    await page.close();
  });

  it('a scan while a field has focus is read as a scan and leaves the field as it was', async () => {
    const { page } = await counterPage('1');
    const reason = page.locator('kiosk-lookup-form input[name=reason]');
    await reason.fill('本人確認');
    await reason.focus();
    const code = await kiosk.code('AUTH) / Batch');
    // A scanner types into whatever has focus, far faster than a person; the browser inserts each key
    // unless the page takes it (as it does for trusted keys).
    await page.evaluate((text) => {
      let el: Element | null = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      const input = el as HTMLInputElement;
      for (const key of [...text, 'Enter']) {
        const ev = new KeyboardEvent('keydown', { key, bubbles: true, composed: true, cancelable: true });
        input.dispatchEvent(ev);
        if (!ev.defaultPrevented && key.length === 1) {
          input.value += key;
          input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
        }
      }
    }, code);
    await expect.poll(() => page.locator('kiosk-work-panel [data-outcome]').getAttribute('data-outcome'), { timeout: 10_000 }).toBe('accepted');
    expect(await reason.inputValue()).toBe('本人確認');
    await page.close();
  });

  it('the daemon going away shows staff their own out-of-service line, lifted as soon as it is back', async () => {
    const { page } = await counterPage('6');
    await kiosk.down();
    try {
      const banner = page.locator('kiosk-counter [data-out-of-service]');
      await banner.waitFor({ timeout: 10_000 });
      expect(await banner.textContent()).toContain('キオスク本体に接続できません');
      const strip = (await page.locator('kiosk-status-strip .strip').textContent())!;
      expect(strip).not.toContain('窓口へお越しください');
      expect(await page.locator('kiosk-counter button[data-call-next]').isDisabled()).toBe(true);
      await page.screenshot({ path: '/tmp/kiosk-counter-down.png' });
    } finally {
      await kiosk.up();
    }
    await page.locator('kiosk-counter [data-out-of-service]').waitFor({ state: 'detached', timeout: 15_000 });
    expect(await page.locator('kiosk-counter button[data-call-next]').isDisabled()).toBe(false);
    expect(await page.locator('kiosk-counter [data-staff]').textContent()).toBe('clerk1');
    await page.close();
  });
});
