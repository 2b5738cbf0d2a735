// The camera path in real Chromium: a fake camera plays a video this test generates (bench/frames),
// the kiosk UI decodes it with zxing-wasm in its worker and sends the text to the real daemon.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KIOSK_READER_OPTIONS, KIOSK_SMOOTHING_PX } from '../bench/camera-decoders.js';
import { cameraFrame, type FrameClass } from '../bench/frames/camera-frames.js';
import { writeY4m } from '../bench/frames/y4m.js';
import { READER_OPTIONS, SMOOTHING_PX } from '../kiosk-ui/src/camera/reader-options.js';
import type { VerdictEvent } from '../protocol/events.js';
import { launchBrowser, watchErrors, type TestBrowser } from './ui-support/browser.js';
import { ensureUiBuilt } from './ui-support/build.js';
import { startRealDaemon, type RealDaemon } from './ui-support/real-daemon.js';

let kiosk: RealDaemon;
let dir: string;
let verdicts: Socket;
const seen: VerdictEvent[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-camera-'));
  await ensureUiBuilt();
  kiosk = await startRealDaemon({ ownPrinter: true });
  // Every verdict the daemon broadcasts, as any kiosk screen would see it.
  verdicts = io(`${kiosk.url}/kiosk`, { transports: ['websocket'] });
  verdicts.on('verdict', (e: VerdictEvent) => seen.push(e));
  await new Promise<void>((r) => verdicts.once('connect', () => r()));
});

afterAll(async () => {
  verdicts?.close();
  await kiosk?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A browser whose only camera plays `video` in a loop. */
function cameraBrowser(video: string): Promise<TestBrowser> {
  return launchBrowser(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`]);
}

async function openCamera(browser: TestBrowser): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  const requests: string[] = [];
  page.context().on('request', (r) => requests.push(r.url()));
  await page.goto(kiosk.url + '/');
  await page.locator('kiosk-self-service h1').waitFor();
  await page.locator('kiosk-camera-button button[data-camera]').click({ timeout: 10_000 });
  await page.locator('kiosk-camera-button video').waitFor();
  return { page, errors, requests };
}

const framesDecoded = (page: Page) => page.locator('kiosk-camera-button').evaluate((el) => (el as HTMLElement & { stats?: { frames: number } }).stats?.frames ?? 0);

describe('camera scanning in Chromium (fake camera, real daemon)', () => {
  it('reads a KQ1 code from degraded video: the daemon gets a camera scan and the screen shows the ticket', async () => {
    const text = await kiosk.code('APP 2');
    const video = join(dir, 'code.y4m');
    // One second of video, every frame degraded: noisy, out of focus, low in contrast, small, tilted.
    // (How many such frames each decoder reads is the bench's job: npm run bench -- camera.)
    const classes: FrameClass[] = ['noise', 'blur', 'low-contrast', 'small', 'perspective'];
    writeY4m(video, Array.from({ length: 30 }, (_, i) => cameraFrame(classes[i % classes.length]!, text, 7000 + i)));
    const browser = await cameraBrowser(video);
    try {
      const before = seen.length;
      const { page, errors, requests } = await openCamera(browser);
      const number = page.locator('kiosk-verdict-view [data-ticket-number]');
      await expect.poll(() => number.textContent(), { timeout: 20_000 }).toMatch(/^[A-Z]{1,2}-?\d+$/);
      expect(await page.locator('kiosk-verdict-view section').getAttribute('data-outcome')).toBe('accepted');
      // The daemon received exactly this text, from the camera, and broadcast its verdict.
      await expect.poll(() => seen.slice(before).filter((e) => e.source === 'camera').length).toBe(1);
      const e = seen.slice(before).find((x) => x.source === 'camera')!;
      expect(e.ticket?.number).toBe(await number.textContent());
      expect(e.verdict.outcome).toBe('accepted');
      // The camera closed after the read, and nothing came from anywhere but the kiosk itself.
      expect(await page.locator('kiosk-camera-button video').count()).toBe(0);
      expect(requests.filter((u) => !u.startsWith(kiosk.url))).toEqual([]);
      expect(requests.some((u) => /\/assets\/zxing_reader-[\w-]+\.wasm$/.test(u))).toBe(true);
      expect(errors, errors.join('\n')).toEqual([]);
      await page.screenshot({ path: '/tmp/kiosk-camera-ticket.png' });
      await page.close();
    } finally {
      await browser.close();
    }
  });

  it('frames without a code send no scan, however long the camera looks', { timeout: 90_000 }, async () => {
    const video = join(dir, 'no-code.y4m');
    writeY4m(video, Array.from({ length: 30 }, (_, i) => cameraFrame('no-code', '', 8000 + i)));
    const browser = await cameraBrowser(video);
    try {
      const before = seen.length;
      const { page, errors } = await openCamera(browser);
      // Decoding really runs: wait until the worker has read 45 frames (the video loops 30).
      await expect.poll(() => framesDecoded(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(45);
      expect(seen.slice(before)).toEqual([]);
      expect(await page.locator('kiosk-verdict-view').count()).toBe(0);
      expect(await page.locator('kiosk-camera-button video').count()).toBe(1);
      expect(errors, errors.join('\n')).toEqual([]);
      // Stop closes the camera.
      await page.locator('kiosk-camera-button button').click();
      await expect.poll(() => page.locator('kiosk-camera-button video').count()).toBe(0);
      await page.close();
    } finally {
      await browser.close();
    }
  });

  it('a decoder that cannot load closes the camera with a clear message', async () => {
    const video = join(dir, 'no-code-2.y4m');
    writeY4m(video, [cameraFrame('no-code', '', 8100)]);
    const browser = await cameraBrowser(video);
    try {
      const page = await browser.newPage();
      // The .wasm does not arrive (a broken install, or a CSP without 'wasm-unsafe-eval').
      await page.context().route('**/*.wasm', (r) => r.abort());
      await page.goto(kiosk.url + '/');
      await page.locator('kiosk-camera-button button[data-camera]').click({ timeout: 10_000 });
      await expect.poll(() => page.locator('kiosk-camera-button [role=alert]').textContent(), { timeout: 20_000 }).toContain('カメラを使用できません');
      expect(await page.locator('kiosk-camera-button video').count()).toBe(0);
      // The button is back: a person can try again.
      expect(await page.locator('kiosk-camera-button button[data-camera]').count()).toBe(1);
      await page.close();
    } finally {
      await browser.close();
    }
  });

  it('the bench measures the options the kiosk ships', () => {
    expect(READER_OPTIONS).toEqual(KIOSK_READER_OPTIONS);
    expect(SMOOTHING_PX).toBe(KIOSK_SMOOTHING_PX);
  });
});
