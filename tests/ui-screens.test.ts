// Every screen in every state, against a stand-in daemon (tests/ui-support/fake-daemon.ts) that
// can be driven into any of them: zero axe-core violations, no page scrolling at 1080×1920,
// 1280×800 and 1920×1080 (Close and every button on screen, ≥ 44 px), and the words people read.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { TicketView, VerdictEvent } from '../protocol/events.js';
import type { VerdictApplication } from '../protocol/verdict.js';
import { launchBrowser, watchErrors, wedge, type TestBrowser } from './ui-support/browser.js';
import { ensureUiBuilt } from './ui-support/build.js';
import { screenProblems } from './ui-support/checks.js';
import { baseState, startFakeDaemon, verdictOf, type FakeDaemon } from './ui-support/fake-daemon.js';

let browser: TestBrowser;
let daemon: FakeDaemon;

beforeAll(async () => {
  await ensureUiBuilt();
  [browser, daemon] = await Promise.all([launchBrowser(), startFakeDaemon()]);
});

// A failed test must not leave the stand-in "down" for the next.
afterEach(() => daemon.up());

afterAll(async () => {
  await browser?.close();
  await daemon?.stop();
});

async function open(path: string, width = 1280, height = 800): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage(width, height);
  const errors = watchErrors(page);
  await page.goto(daemon.url + path);
  return { page, errors };
}

const app = (i: number, over: Partial<VerdictApplication> = {}): VerdictApplication => ({
  receiptNumber: `202611274301900${String(i).padStart(2, '0')}`, procedureType: 'NEW', deliverables: ['certificate', 'sticker'],
  vehicle: { registration: `熊本 48${i} な 40-0${i}`, chassisLast4: `300${i}` }, reviewCompletedAt: '2026-11-20T01:00:00Z', ...over,
});

function event(over: Partial<VerdictEvent> = {}): VerdictEvent {
  return {
    scanId: `s-${Math.random()}`, deviceId: 'kiosk-1', source: 'typed', receivedAt: new Date().toISOString(), ticket: { id: 't1', number: 'A-023' },
    verdict: verdictOf({ outcome: 'accepted', reason: null, codeType: 'APP', applications: [app(1)], message: { ja: '1件の交付物をお受け取りいただけます。番号札をお取りください。', en: '1 application(s) ready. Please take your ticket.' } }),
    ...over,
  };
}

const SELF_SERVICE: [string, VerdictEvent][] = [
  ['new ticket', event({ queue: { waiting: 4, estimatedWaitMinutes: 12 }, position: { status: 'waiting', ahead: 4, estimatedWaitMinutes: 12 } })],
  ['rescan waiting', event({ repeat: true, position: { status: 'waiting', ahead: 2, estimatedWaitMinutes: 6 } })],
  ['rescan called, batch with exclusions', event({
    repeat: true, position: { status: 'called', counter: '1', calledAt: new Date().toISOString() },
    verdict: verdictOf({ outcome: 'accepted', reason: null, codeType: 'AUTH', applications: [1, 2, 3, 4, 5, 6].map((i) => app(i)), excluded: [{ receiptNumber: '20261127430190109', reason: 'INDIVIDUAL_CODE_REQUIRED' }], message: { ja: 'ok', en: 'ok' } }),
  })],
  ['rescan done', event({ repeat: true, position: { status: 'done' } })],
  ['rescan no-show', event({ repeat: true, position: { status: 'no-show' } })],
  ['rejected fees', event({ ticket: null, verdict: verdictOf({ reason: 'FEES_UNPAID', codeType: 'APP', message: { ja: '手数料の納付が確認できません。二重に納付しないでください。窓口でお尋ねください。', en: 'The fees are not shown as paid. Please ask at the counter.' } }) })],
  ['refer not ready', event({ ticket: null, verdict: verdictOf({ outcome: 'refer', reason: 'NOT_READY', codeType: 'APP', message: { ja: 'この申請はまだ審査中か補正待ちです。交付の準備ができていません。', en: 'This application is not ready yet.' } }) })],
  ['queue full', event({ ticket: null, queue: { waiting: 60, estimatedWaitMinutes: 90 }, noTicket: { reason: 'QUEUE_FULL', message: { ja: '大変混み合っています。窓口へお越しください。', en: 'It is very busy. Please go to the counter.' } } })],
  ['closed', event({ ticket: null, noTicket: { reason: 'CLOSED', opensAt: new Date(Date.now() + 3600_000).toISOString(), message: { ja: 'ただいま窓口の受付時間外です。10:00から受け付けます。コードは有効です。', en: 'The counter is closed now. It opens 10:00. Your code is valid.' } } })],
];

describe('self-service screen (stand-in daemon)', () => {
  it('idle, closed with printer and scanner trouble, and every kind of result: no axe violation, no scrolling', async () => {
    daemon.setState(baseState({ procedureTypes: { NEW: { ja: '新規検査', en: 'New vehicle inspection' } } }));
    const { page, errors } = await open('/');
    await page.locator('kiosk-self-service .idle h1').waitFor();
    expect(await page.locator('kiosk-camera-button button').count()).toBe(0);
    const problems = await screenProblems(page, 'idle');
    daemon.setState({
      printer: { configured: true, online: true, paperEnd: false, paperNearEnd: false, coverOpen: true, pendingJobs: 1 },
      devices: [{ id: 'serial0', kind: 'serial', state: 'disconnected' }],
      upstream: { state: 'offline', since: null, lastSyncAt: null, lastError: 'cannot reach the hub: ECONNREFUSED', clockSkewSeconds: null, outboxDepth: 3 },
      hours: { open: false, opensAt: new Date(Date.now() + 3600_000).toISOString(), closesAt: null },
    });
    const strip = page.locator('kiosk-status-strip');
    await expect.poll(() => strip.locator('[data-status=printer]').textContent()).toContain('番号札を印刷できません');
    expect(await strip.locator('[data-status=offline]').textContent()).toContain('オフライン');
    expect(await page.locator('[data-closed]').textContent()).toContain('受付時間外');
    expect(await strip.locator('.item').first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(20);
    problems.push(...(await screenProblems(page, 'idle with trouble')));
    daemon.setState(baseState({ procedureTypes: { NEW: { ja: '新規検査', en: 'New vehicle inspection' } } }));

    for (const [label, e] of SELF_SERVICE) {
      daemon.answer = () => e;
      await wedge(page, 'KQ1TESTCODE');
      await page.locator('kiosk-verdict-view section').waitFor();
      problems.push(...(await screenProblems(page, label)));
      // In portrait the card is the screen, not its top third.
      await page.setViewportSize({ width: 1080, height: 1920 });
      const share = await page.locator('kiosk-verdict-view section').evaluate((el) => el.getBoundingClientRect().height / window.innerHeight);
      if (share < 0.8) problems.push(`${label} @1080×1920: the card fills only ${Math.round(share * 100)}% of the height`);
      await page.screenshot({ path: `/tmp/kiosk-${label.replace(/\W+/g, '-')}.png` });
      if (label === 'queue full') expect((await page.locator('kiosk-verdict-view section').textContent())!.split('窓口へお越しください').length - 1).toBe(1);
      if (label === 'rescan called, batch with exclusions') {
        expect(await page.locator('kiosk-verdict-view [data-excluded]').textContent()).toContain('…0109');
        expect(await page.locator('kiosk-verdict-view .items').textContent()).toContain('新規検査');
      }
      if (label === 'rescan done') expect(await page.locator('kiosk-verdict-view [data-reprint-button]').count()).toBe(0);
      await page.locator('kiosk-verdict-view button[data-close]').click();
      await page.locator('kiosk-self-service .idle h1').waitFor();
    }
    // The daemon answering with a failure (not a verdict): plain words, a countdown, Close.
    daemon.answer = () => ({ ok: false, error: { code: 'DATABASE', message: 'locked' } });
    await wedge(page, 'KQ1TESTCODE');
    await page.locator('kiosk-self-service [data-failure]').waitFor();
    expect(await page.locator('kiosk-self-service [data-failure]').textContent()).toContain('もう一度かざしてください');
    problems.push(...(await screenProblems(page, 'failure')));
    await page.locator('kiosk-self-service [data-failure] button[data-close]').click();

    // English first.
    await page.locator('kiosk-language-switch button[data-lang=en]').click();
    await expect.poll(() => page.locator('kiosk-self-service .idle h1').textContent()).toContain('Hold your pickup QR code');
    daemon.answer = () => SELF_SERVICE[2]![1];
    await wedge(page, 'KQ1TESTCODE');
    await expect.poll(() => page.locator('kiosk-verdict-view [data-called-to] [lang=en]').first().textContent()).toBe('Please go to counter 1');
    problems.push(...(await screenProblems(page, 'english called')));
    // Closing hands the kiosk back in Japanese to the next person.
    await page.locator('kiosk-verdict-view button[data-close]').click();
    await expect.poll(() => page.locator('kiosk-self-service .idle h1').textContent()).toContain('読み取り機にかざしてください');

    // Out of service: its own screen, and back to idle the moment the daemon answers.
    daemon.down();
    await page.locator('kiosk-self-service [data-out-of-service]').waitFor({ timeout: 10_000 });
    expect(await page.locator('kiosk-status-strip .strip').textContent()).toContain('ただいま停止中です');
    problems.push(...(await screenProblems(page, 'out of service')));
    daemon.up();
    await page.locator('kiosk-self-service .idle h1').waitFor({ timeout: 15_000 });
    expect(problems, problems.join('\n')).toEqual([]);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  }, 120_000);
});

describe('call display (stand-in daemon)', () => {
  it('empty, with calls, in English and out of service: no axe violation, no scrolling', async () => {
    daemon.setState(baseState());
    const { page, errors } = await open('/display', 1920, 1080);
    await page.locator('kiosk-call-display h1').waitFor();
    const problems = await screenProblems(page, 'display empty');
    const t = Date.now();
    for (let i = 1; i <= 9; i++) daemon.called({ number: `A-0${10 + i}`, counter: String((i % 6) + 1), at: new Date(t - (10 - i) * 60_000).toISOString() });
    await expect.poll(() => page.locator('kiosk-call-display .newest').getAttribute('data-called')).toBe('A-019');
    expect(await page.locator('kiosk-call-display li[data-called="A-018"]').count()).toBe(1);
    problems.push(...(await screenProblems(page, 'display with calls')));
    await page.locator('kiosk-language-switch button[data-lang=en]').click();
    problems.push(...(await screenProblems(page, 'display english')));
    daemon.down();
    await page.locator('kiosk-call-display [data-out-of-service]').waitFor({ timeout: 10_000 });
    expect(await page.locator('kiosk-call-display .newest').count()).toBe(0);
    problems.push(...(await screenProblems(page, 'display out of service')));
    daemon.up();
    await page.locator('kiosk-call-display [data-out-of-service]').waitFor({ state: 'detached', timeout: 15_000 });
    expect(problems, problems.join('\n')).toEqual([]);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  }, 120_000);
});

const ticket = (over: Partial<TicketView> = {}): TicketView => ({
  id: 't-1', number: 'A-021', status: 'called', issuedAt: new Date().toISOString(), calledAt: new Date().toISOString(), counter: '2', calls: 1, codeType: 'AUTH',
  receiverNameMasked: '株式会社デ＊＊', items: [1, 2].map((i) => ({ ...app(i), handedOver: false, status: 'ready', closed: false })), ...over,
});

describe('counter (stand-in daemon)', () => {
  it('sign-in, counter choice, a called ticket, cancelling, a scan, a lookup, alerts and conflicts: no axe violation, no page scrolling', async () => {
    daemon.setState(baseState({
      procedureTypes: { NEW: { ja: '新規検査', en: 'New vehicle inspection' } },
      upstream: { state: 'offline', since: '2026-12-03T09:15:00+09:00', lastSyncAt: '2026-12-03T09:14:58+09:00', lastError: "the hub refused this device's token (TOKEN_REVOKED: revoked)", clockSkewSeconds: 300, outboxDepth: 2 },
      alerts: [{ deviceId: 'kiosk-1:typed', at: new Date().toISOString(), message: { ja: 'kiosk-1:typed で短時間に5回、読み取りが拒否されました。', en: '5 rejected scans at kiosk-1:typed.' } }],
    }));
    daemon.setCounter({
      queue: [ticket(), ticket({ id: 't-2', number: 'A-022', status: 'waiting', calledAt: null, counter: null, calls: 0 }), ticket({ id: 't-3', number: 'A-015', status: 'no-show', calls: 3 })],
      conflicts: [{ id: 'c1', type: 'pickup', at: new Date().toISOString(), detail: { reason: 'collected elsewhere' }, deviceId: 'counter-2', ownStation: false }],
      outboxDepth: 2,
    });
    const { page, errors } = await open('/counter');
    const signIn = page.locator('kiosk-staff-sign-in');
    await signIn.locator('input[name=staffId]').fill('clerk1');
    for (const k of '1111') await signIn.locator(`button[data-key="${k}"]`).click();
    await signIn.locator('button[data-key=ok]').click();
    await expect.poll(() => signIn.locator('[data-error]').textContent()).toContain('PINが違います');
    const problems = await screenProblems(page, 'sign-in with error');
    for (const k of '9999') await signIn.locator(`button[data-key="${k}"]`).click();
    await signIn.locator('button[data-key=ok]').click();
    await expect.poll(() => signIn.locator('[data-error]').textContent()).toContain('ロック');
    for (const k of '123456') await signIn.locator(`button[data-key="${k}"]`).click();
    await signIn.locator('button[data-key=ok]').click();

    await page.locator('kiosk-counter-picker button[data-counter="2"]').waitFor();
    problems.push(...(await screenProblems(page, 'counter picker')));
    await page.locator('kiosk-counter-picker button[data-counter="2"]').click();
    // The misuse alert: a time, the place in words once, a dismiss.
    const alert = page.locator('kiosk-alert-list [data-alert]');
    expect((await alert.textContent())!.match(/kiosk-1:typed/g)).toBeNull();
    expect(await alert.textContent()).toMatch(/\d\d:\d\d/);
    // Staff see since when the hub is out of reach and why, and a drifted clock.
    const strip = page.locator('kiosk-counter kiosk-status-strip');
    expect(await strip.locator('[data-status=upstream]').textContent()).toMatch(/09:15.*TOKEN_REVOKED/);
    expect(await strip.locator('[data-status=skew]').textContent()).toContain('約5分遅れて');
    // A conflict from another station of the office says where it was recorded.
    expect(await page.locator('kiosk-conflict-list [data-conflict=c1] .station').textContent()).toContain('counter-2');

    await page.locator('kiosk-queue-list button[data-ticket="A-021"]').click();
    await page.locator('kiosk-work-panel [data-current-ticket]').waitFor();
    const panel = (await page.locator('kiosk-work-panel h2').textContent()) + (await page.locator('kiosk-work-panel .sub').first().textContent())!;
    expect(panel).toContain('呼出中');
    expect(panel).toContain('一括受取コード');
    expect(panel).not.toMatch(/called|AUTH/);
    problems.push(...(await screenProblems(page, 'called ticket')));
    await page.locator('kiosk-ticket-actions button[data-ticket-action=cancel]').click();
    problems.push(...(await screenProblems(page, 'cancel form')));

    // A refusal comes back in words, from the code and the ticket's state — never the daemon's English.
    daemon.staffAnswer = (ev) => (ev === 'recall' ? { ok: false, error: { code: 'CONFLICT', message: 'A-021 has not been called yet: call it with “Call next”' } } : { ok: false, error: { code: 'NOT_FOUND', message: 'x' } });
    await page.locator('kiosk-ticket-actions button[data-ticket-action=recall]').click();
    await expect.poll(() => page.locator('kiosk-work-panel [data-result]').textContent()).toContain('A-021 は「呼出中」のため');
    expect(await page.locator('kiosk-work-panel [data-result]').textContent()).not.toContain('Call next');
    expect(daemon.staffRequests.at(-1)).toMatchObject({ event: 'recall', payload: { ticketId: 't-1', counter: '2' } });

    // A counter scan carries this station's counter; its verdict shows in words.
    daemon.staffAnswer = (ev) => (ev === 'scan' ? { verdict: verdictOf({ reason: 'FEES_UNPAID', codeType: 'APP', message: { ja: '手数料の納付が確認できません。', en: 'Fees not paid.' } }), ticket: null, items: null } : { ok: true });
    await wedge(page, 'KQ1SCANNEDATCOUNTER');
    await expect.poll(() => page.locator('kiosk-work-panel .banner[data-outcome]').textContent()).toContain('受取不可 ・ 手数料未納');
    expect(daemon.staffRequests.at(-1)).toMatchObject({ event: 'scan', payload: { text: 'KQ1SCANNEDATCOUNTER', counter: '2' } });
    problems.push(...(await screenProblems(page, 'scan verdict')));

    daemon.staffAnswer = (ev) => (ev === 'lookup' ? { application: { ...app(1), status: 'correction_requested', office: '4302' } } : { ok: true });
    await page.locator('kiosk-lookup-form input[name=receipt]').fill('20261127430190001');
    await page.locator('kiosk-lookup-form input[name=reason]').fill('コード紛失');
    await page.locator('kiosk-lookup-form button').click();
    await expect.poll(() => page.locator('kiosk-work-panel [data-lookup]').textContent()).toContain('補正待ち');
    expect(await page.locator('kiosk-work-panel [data-lookup]').textContent()).toContain('他の事務所（4302）');
    problems.push(...(await screenProblems(page, 'lookup')));

    await page.locator('kiosk-language-switch button[data-lang=en]').click();
    await expect.poll(() => page.locator('kiosk-work-panel [data-lookup]').textContent()).toContain('Waiting for a correction');
    problems.push(...(await screenProblems(page, 'counter english')));
    await page.locator('kiosk-alert-list button[data-dismiss]').click();
    expect(await page.locator('kiosk-alert-list [data-alert]').count()).toBe(0);
    await page.locator('kiosk-language-switch button[data-lang=ja]').click();

    // The daemon gone: staff's own line, not the public one; back without signing in again.
    daemon.down();
    await page.locator('kiosk-counter [data-out-of-service]').waitFor({ timeout: 10_000 });
    expect(await page.locator('kiosk-status-strip .strip').textContent()).not.toContain('窓口へお越しください');
    problems.push(...(await screenProblems(page, 'counter out of service')));
    daemon.up();
    await page.locator('kiosk-counter [data-out-of-service]').waitFor({ state: 'detached', timeout: 15_000 });
    expect(await page.locator('kiosk-counter [data-staff]').textContent()).toBe('clerk1');
    await page.screenshot({ path: '/tmp/kiosk-counter-fake.png' });
    expect(problems, problems.join('\n')).toEqual([]);
    expect(errors.filter((e) => !/status of 4(01|29)/.test(e)), errors.join('\n')).toEqual([]);
    await page.close();
  }, 120_000);

  it('a refused stored session lands on sign-in with a notice', async () => {
    const { page } = await open('/counter');
    await page.evaluate(() => sessionStorage.setItem('kiosk.staffSession', JSON.stringify({ staffId: 'x', token: 'bad', expiresAt: new Date(Date.now() + 60_000).toISOString() })));
    await page.reload();
    await expect.poll(() => page.locator('kiosk-staff-sign-in .notice').textContent()).toContain('セッションが終了しました');
    await page.close();
  });
});
