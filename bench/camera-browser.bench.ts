// Camera decoding inside Chromium, through the built kiosk UI and a real daemon: a fake camera
// plays generated video (bench/frames). Prints the worker's time per frame (readback + decode, in
// the browser's own wasm engine), frames decoded per second, how late the main thread runs
// (a 20 ms timer's lateness: what a touch would wait) with the camera off and on, and the time from
// opening the camera to the verdict on screen for a degraded code. Needs `npm run build` first.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { chromium, type Page } from 'playwright-core';
import { loadConfig } from '../daemon/config.js';
import { Daemon } from '../daemon/controller.js';
import { cameraFrame, type FrameClass } from './frames/camera-frames.js';
import { writeY4m } from './frames/y4m.js';
import { fmt, summarize } from './measure.js';

const SECONDS = 8;
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

type Stats = { frames: number; decodeMs: number[] };
const stats = (page: Page) => page.locator('kiosk-camera-button').evaluate((el) => (el as HTMLElement & { stats?: Stats }).stats ?? null);

/** Lateness of a 20 ms timer over `ms`, sampled inside the page. */
function timerLag(page: Page, ms: number): Promise<number[]> {
  return page.evaluate(
    (ms) =>
      new Promise<number[]>((resolve) => {
        const lags: number[] = [];
        const end = performance.now() + ms;
        const schedule = () => {
          const due = performance.now() + 20;
          setTimeout(() => {
            const now = performance.now();
            lags.push(now - due);
            if (now > end) resolve(lags);
            else schedule();
          }, 20);
        };
        schedule();
      }),
    ms,
  );
}

async function withCamera<T>(video: string, url: string, run: (page: Page) => Promise<T>): Promise<T> {
  const browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', headless: true, args: [...ARGS, `--use-file-for-fake-video-capture=${video}`] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url);
    await page.locator('kiosk-self-service h1').waitFor();
    return await run(page);
  } finally {
    await browser.close();
  }
}

const lagLine = (label: string, lags: number[]) => {
  const s = summarize(lags);
  return `  main thread, ${label.padEnd(22)} timer late p50 ${fmt(s.p50, 1)} ms, p99 ${fmt(s.p99, 1)} ms, max ${fmt(s.max, 1)} ms`;
};

const dir = mkdtempSync(join(tmpdir(), 'kiosk-camera-bench-'));
const quiet = new Writable({ write: (_c, _e, cb) => cb() });
const daemon = await Daemon.start(loadConfig({ KIOSK_DATA_DIR: dir, KIOSK_PORT: '0', KIOSK_HOST: '127.0.0.1', KIOSK_LOG_LEVEL: 'silent', KIOSK_DEVICE_ID: 'bench' }), { logDestination: quiet });
try {
  const codes = (await (await fetch(`${daemon.url}/api/demo/codes`)).json()) as { label: string; text: string }[];
  const text = codes.find((c) => c.label.includes('APP 1'))!.text;

  // Steady state: the camera open, nothing in view. Every frame gets both passes: the most work.
  const empty = join(dir, 'no-code.y4m');
  writeY4m(empty, Array.from({ length: 60 }, (_, i) => cameraFrame('no-code', '', 9000 + i)));
  await withCamera(empty, daemon.url + '/', async (page) => {
    const idle = await timerLag(page, 3000);
    await page.locator('kiosk-camera-button button[data-camera]').click();
    for (let i = 0; i < 100 && !(await stats(page))?.frames; i++) await page.waitForTimeout(100);
    const before = (await stats(page))!.frames;
    const t0 = Date.now();
    const open = await timerLag(page, SECONDS * 1000);
    const after = (await stats(page))!;
    const fps = (after.frames - before) / ((Date.now() - t0) / 1000);
    const s = summarize(after.decodeMs);
    console.log(`no code in view (640×480 fake camera at 30 fps, ${SECONDS} s; load average ${loadavg()[0]!.toFixed(1)}):`);
    console.log(`  worker per frame (readback + 2 passes) p50 ${fmt(s.p50, 1)} ms, p99 ${fmt(s.p99, 1)} ms, max ${fmt(s.max, 1)} ms; ${fmt(fps, 1)} frames decoded/s`);
    console.log(lagLine('camera closed', idle));
    console.log(lagLine('camera open (worker)', open));
    console.log(`  decoding on the main thread instead would hold it ${fmt(s.p50, 1)}–${fmt(s.p99, 1)} ms for each of ~${fmt(fps, 0)} frames a second`);
  });

  // A degraded code: time from tapping the camera button to the verdict on screen.
  const classes: FrameClass[] = ['noise', 'blur', 'low-contrast', 'small', 'perspective'];
  const coded = join(dir, 'code.y4m');
  writeY4m(coded, Array.from({ length: 30 }, (_, i) => cameraFrame(classes[i % classes.length]!, text, 9100 + i)));
  const times: number[] = [];
  await withCamera(coded, daemon.url + '/', async (page) => {
    for (let round = 0; round < 5; round++) {
      const t0 = Date.now();
      await page.locator('kiosk-camera-button button[data-camera]').click();
      await page.locator('kiosk-verdict-view').waitFor({ timeout: 30_000 });
      times.push(Date.now() - t0);
      await page.locator('kiosk-verdict-view section').click(); // back to idle
      await page.locator('kiosk-self-service h1').waitFor();
      await page.waitForTimeout(3500); // past the daemon's duplicate window
    }
  });
  const t = summarize(times);
  console.log(`degraded KQ1 code in view: tap → verdict on screen p50 ${t.p50} ms, max ${t.max} ms (${times.length} rounds; camera start, wasm load, decode, daemon)`);
} finally {
  await daemon.stop();
  rmSync(dir, { recursive: true, force: true });
}
