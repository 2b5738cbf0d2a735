// Screens against a stand-in daemon (tests/ui-support/fake-daemon.ts): states the real daemon
// cannot easily be driven into (cover open, scanner unplugged, closed hours, lockout, refused session).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, watchErrors, wedge, type TestBrowser } from './ui-support/browser.js';
import { startFakeDaemon, verdictOf, type FakeDaemon } from './ui-support/fake-daemon.js';
import { ensureUiBuilt } from './ui-support/build.js';

let browser: TestBrowser;
let daemon: FakeDaemon;

beforeAll(async () => {
  await ensureUiBuilt();
  [browser, daemon] = await Promise.all([launchBrowser(), startFakeDaemon()]);
});

afterAll(async () => {
  await browser?.close();
  await daemon?.stop();
});

async function open(path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(daemon.url + path);
  return { page, errors };
}

describe('self-service screen (stand-in daemon)', () => {
  it('idle: tells people to hold the code to the scanner, in Japanese and English, with no camera button headless', async () => {
    daemon.setState({});
    const { page, errors } = await open('/');
    await expect.poll(() => page.locator('kiosk-self-service h1').textContent()).toContain('読み取り機にかざしてください');
    expect(await page.locator('kiosk-self-service [lang=en]').first().textContent()).toContain('Hold your pickup QR code');
    expect(await page.locator('kiosk-camera-button button').count()).toBe(0);
    await page.screenshot({ path: '/tmp/kiosk-idle.png' });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a wedge scanner typing into the page sends a typed scan and the reason is shown', async () => {
    const seen: string[] = [];
    daemon.answer = (text) => {
      seen.push(text);
      return { scanId: 's1', deviceId: 'kiosk-1', source: 'typed', receivedAt: new Date().toISOString(), ticket: null,
        verdict: verdictOf({ reason: 'FEES_UNPAID', codeType: 'APP', message: { ja: '手数料の納付が確認できません。', en: 'Fees not paid.' } }) };
    };
    const { page } = await open('/');
    await page.locator('kiosk-self-service h1').waitFor();
    await wedge(page, 'kq1abcdefgh');
    await expect.poll(() => page.locator('kiosk-verdict-view [data-message]').textContent()).toContain('手数料の納付が確認できません');
    expect(seen).toEqual(['kq1abcdefgh']);
    await page.close();
  });

  it('status strip: cover open, scanner unplugged, offline data age, closed hours', async () => {
    const { page } = await open('/');
    daemon.setState({
      printer: { configured: true, online: true, paperEnd: false, paperNearEnd: false, coverOpen: true, pendingJobs: 1 },
      devices: [{ id: 'serial0', kind: 'serial', state: 'disconnected' }],
      upstream: { state: 'offline', since: null, lastSyncAt: null, lastError: 'cannot reach the hub: ECONNREFUSED', clockSkewSeconds: null, outboxDepth: 3 },
      hours: { open: false, opensAt: new Date(Date.now() + 3600_000).toISOString(), closesAt: null },
    });
    const strip = page.locator('kiosk-status-strip');
    await expect.poll(() => strip.locator('[data-status=printer]').textContent()).toContain('番号札を印刷できません');
    expect(await strip.locator('[data-status=printer]').textContent()).toContain('カバー');
    expect(await strip.locator('[data-status="dev-serial0"]').textContent()).toContain('読取機');
    expect(await strip.locator('[data-status=offline]').textContent()).toContain('オフライン');
    expect(await page.locator('[data-closed]').textContent()).toContain('受付時間外');
    await page.screenshot({ path: '/tmp/kiosk-trouble.png' });
    daemon.setState({ printer: { configured: true, online: true, paperEnd: false, paperNearEnd: false, coverOpen: false, pendingJobs: 0 }, devices: [], upstream: { state: 'online', since: null, lastSyncAt: null, lastError: null, clockSkewSeconds: 0, outboxDepth: 0 }, hours: { open: true, opensAt: null, closesAt: null } });
    await expect.poll(() => strip.locator('[data-status=printer]').count()).toBe(0);
    await page.close();
  });
});

describe('call display and counter (stand-in daemon)', () => {
  it('call display highlights the newest called number', async () => {
    const { page, errors } = await open('/display');
    await page.locator('kiosk-call-display h1').waitFor();
    const t = Date.now();
    daemon.called({ number: 'A-021', counter: '2', at: new Date(t - 60_000).toISOString() });
    daemon.called({ number: 'A-022', counter: '1', at: new Date(t).toISOString() });
    await expect.poll(() => page.locator('kiosk-call-display .newest').getAttribute('data-called')).toBe('A-022');
    expect(await page.locator('kiosk-call-display li[data-called="A-021"]').count()).toBe(1);
    await page.screenshot({ path: '/tmp/kiosk-display.png' });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('counter sign-in says wrong PIN (401) and locked (429), and a refused session lands on sign-in', async () => {
    const { page } = await open('/counter');
    const signIn = page.locator('kiosk-staff-sign-in');
    await signIn.locator('input[name=staffId]').fill('clerk1');
    for (const k of '1111') await signIn.locator(`button[data-key="${k}"]`).click();
    await signIn.locator('button[data-key=ok]').click();
    await expect.poll(() => signIn.locator('[data-error]').textContent()).toContain('PINが違います');
    for (const k of '9999') await signIn.locator(`button[data-key="${k}"]`).click();
    await signIn.locator('button[data-key=ok]').click();
    await expect.poll(() => signIn.locator('[data-error]').textContent()).toContain('ロック');
    await page.screenshot({ path: '/tmp/kiosk-counter-signin.png' });
    // A stored token the daemon refuses: the counter goes back to sign-in with a notice.
    await page.evaluate(() => sessionStorage.setItem('kiosk.staffSession', JSON.stringify({ staffId: 'x', token: 'bad', expiresAt: new Date(Date.now() + 60_000).toISOString() })));
    await page.reload();
    await expect.poll(() => page.locator('kiosk-staff-sign-in .notice').textContent()).toContain('セッションが終了しました');
    await page.close();
  });
});
