import { afterAll, beforeAll, it } from 'vitest';
import { launchBrowser, wedge, type TestBrowser } from './ui-support/browser.js';
import { startFakeDaemon, verdictOf, type FakeDaemon } from './ui-support/fake-daemon.js';
import { screenProblems } from './ui-support/checks.js';

let browser: TestBrowser;
let daemon: FakeDaemon;
beforeAll(async () => { [browser, daemon] = await Promise.all([launchBrowser(), startFakeDaemon()]); });
afterAll(async () => { await browser?.close(); await daemon?.stop(); });

it('scratch', async () => {
  const apps = [1,2,3,4,5,6].map((i) => ({ receiptNumber: `2026112743019000${i}`, procedureType: 'NEW', deliverables: ['certificate' as const], vehicle: { registration: `熊本 48${i} な 40-0${i}`, chassisLast4: `300${i}` }, reviewCompletedAt: null }));
  daemon.answer = () => ({ scanId: 's1', deviceId: 'kiosk-1', source: 'typed', receivedAt: new Date().toISOString(), ticket: { id: 't', number: 'A-023' }, repeat: true,
    position: { status: 'called', counter: '1', calledAt: new Date().toISOString() }, queue: { waiting: 3, estimatedWaitMinutes: 9 },
    verdict: verdictOf({ outcome: 'accepted', reason: null, codeType: 'AUTH', applications: apps, excluded: [{ receiptNumber: '20261127430190109', reason: 'INDIVIDUAL_CODE_REQUIRED' }], message: { ja: 'ok', en: 'ok' } }) });
  daemon.setState({ procedureTypes: { NEW: { ja: '新規検査', en: 'New inspection' } } });
  for (const [w, h] of [[1080, 1920], [1280, 800], [1920, 1080]]) {
    const page = await browser.newPage(w, h);
    await page.goto(daemon.url + '/');
    await page.locator('kiosk-self-service h1').waitFor();
    await page.screenshot({ path: `/tmp/s-idle-${w}.png` });
    await wedge(page, 'KQ1ABCDEFG');
    await page.locator('kiosk-verdict-view section').waitFor();
    await page.screenshot({ path: `/tmp/s-called-${w}.png` });
    console.log(await screenProblems(page, `called ${w}`, [{ width: w, height: h }]));
    await page.close();
  }
  const page = await browser.newPage(1920, 1080);
  await page.goto(daemon.url + '/display');
  await page.locator('kiosk-call-display h1').waitFor();
  daemon.called({ number: 'A-021', counter: '2', at: new Date(Date.now() - 60_000).toISOString() });
  daemon.called({ number: 'A-022', counter: '1', at: new Date().toISOString() });
  await page.waitForTimeout(500);
  await page.screenshot({ path: `/tmp/s-display.png` });
  console.log(await screenProblems(page, 'display'));
}, 120_000);
