// The call display as a waiting room lives it (stand-in daemon): each call flashes and is
// announced — chime, then Japanese, then English — as the daemon's display settings say, with no
// button on the wall screen; the waiting count and estimated wait beside the calls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { AUTOPLAY_ARGS, launchBrowser, watchErrors, type TestBrowser } from './ui-support/browser.js';
import { ensureUiBuilt } from './ui-support/build.js';
import { startFakeDaemon, type FakeDaemon } from './ui-support/fake-daemon.js';
import { SOUND_SPY, type Spoken } from './ui-support/sound-spy.js';

let kioskBrowser: TestBrowser;
let plainBrowser: TestBrowser;
let daemon: FakeDaemon;

beforeAll(async () => {
  await ensureUiBuilt();
  [kioskBrowser, plainBrowser, daemon] = await Promise.all([launchBrowser(AUTOPLAY_ARGS), launchBrowser(), startFakeDaemon()]);
});

afterAll(async () => {
  await kioskBrowser?.close();
  await plainBrowser?.close();
  await daemon?.stop();
});

async function display(browser: TestBrowser): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage(1920, 1080);
  const errors = watchErrors(page);
  await page.addInitScript(SOUND_SPY);
  await page.goto(daemon.url + '/display');
  await page.locator('kiosk-call-display h1').waitFor();
  return { page, errors };
}

const spoken = (page: Page) => page.evaluate(() => (window as unknown as { __spoken: Spoken[] }).__spoken);
const tones = (page: Page) => page.evaluate(() => (window as unknown as { __tones: { hz: number; state: string }[] }).__tones);
const main = (page: Page) => page.locator('kiosk-call-display main');

describe('call display sound and flash (stand-in daemon)', () => {
  it('started as the kiosk session starts it, a call chimes, then is spoken in Japanese and then English, and flashes', async () => {
    daemon.setState({ display: { chime: true, voice: true }, queue: { waiting: 4, estimatedWaitMinutes: 12, capReached: false, recentlyCalled: [] } });
    const { page, errors } = await display(kioskBrowser);
    await expect.poll(() => main(page).getAttribute('data-sound')).toBe('ready');
    expect(await page.locator('kiosk-call-display button:not([data-lang])').count()).toBe(0); // no sound button on the wall
    expect(await page.locator('kiosk-call-display aside').getAttribute('data-waiting')).toBe('4');
    expect(await page.locator('kiosk-call-display [data-wait]').textContent()).toContain('約 12 分');

    daemon.called({ number: 'A-031', counter: '2', at: new Date().toISOString() });
    await expect.poll(() => page.locator('kiosk-call-display .newest').getAttribute('data-called')).toBe('A-031');
    expect(await page.locator('kiosk-call-display .newest').evaluate((el) => getComputedStyle(el).animationName)).toBe('flash');
    await expect.poll(() => main(page).getAttribute('data-announced'), { timeout: 20_000 }).toBe('1');
    const t = await tones(page);
    expect(t.length).toBeGreaterThanOrEqual(2);
    expect(t.every((x) => x.state === 'running')).toBe(true);
    expect((await spoken(page)).map((s) => s.lang)).toEqual(['ja-JP', 'en-US']);
    expect((await spoken(page))[0]!.text).toBe('A 31番の方、2番窓口へお越しください。');
    expect((await spoken(page))[1]!.text).toBe('Number A 31, please go to counter 2.');

    // A recall of the same number flashes again and says "again".
    const flashes = Number(await main(page).getAttribute('data-flashes'));
    daemon.called({ number: 'A-031', counter: '2', at: new Date(Date.now() + 1000).toISOString(), recall: true });
    await expect.poll(() => main(page).getAttribute('data-flashes')).toBe(String(flashes + 1));
    await expect.poll(() => main(page).getAttribute('data-announced'), { timeout: 20_000 }).toBe('2');
    expect((await spoken(page))[2]!.text).toContain('もう一度お呼びします');
    await page.screenshot({ path: '/tmp/kiosk-display-call.png' });
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });

  it('the sound setting comes from the daemon: off means no chime and no voice', async () => {
    daemon.setState({ display: { chime: false, voice: false } });
    const { page } = await display(kioskBrowser);
    daemon.called({ number: 'A-032', counter: '1', at: new Date().toISOString() });
    await expect.poll(() => page.locator('kiosk-call-display .newest').getAttribute('data-called')).toBe('A-032');
    await page.waitForTimeout(2500);
    expect(await tones(page)).toEqual([]);
    expect(await spoken(page)).toEqual([]);
    // Chime only: tones, no words.
    daemon.setState({ display: { chime: true, voice: false } });
    daemon.called({ number: 'A-033', counter: '1', at: new Date().toISOString() });
    await expect.poll(() => main(page).getAttribute('data-announced'), { timeout: 10_000 }).toBe('1');
    expect((await tones(page)).length).toBeGreaterThan(0);
    expect(await spoken(page)).toEqual([]);
    await page.close();
  });

  it('a browser that blocks sound without a tap says so on the display (the kiosk session flag is missing)', async () => {
    daemon.setState({ display: { chime: true, voice: true } });
    const { page } = await display(plainBrowser);
    // Chromium's default policy refuses sound before a tap; a wall display never gets one.
    await expect.poll(() => main(page).getAttribute('data-sound')).toBe('blocked');
    expect(await page.locator('kiosk-call-display [data-sound-blocked]').textContent()).toContain('音声を出せません');
    await page.close();
  });
});
