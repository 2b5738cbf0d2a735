// The UI brings its own Japanese face. Chromium here sees only the fonts of a FONTCONFIG_FILE that
// lists one temporary directory holding a single Latin font (DejaVu Sans, as on a minimal Debian
// image): no system CJK font at all. The screens must still draw real kanji with the bundled Noto
// Sans JP. A control run in the same browser, with the bundled font files blocked, shows the
// Japanese as tofu, so the check cannot pass without the bundled font.
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS } from './ui-support/browser.js';
import { ensureUiBuilt } from './ui-support/build.js';
import { startFakeDaemon, UI_DIR, type FakeDaemon } from './ui-support/fake-daemon.js';
import { tempDir } from './support/fixtures.js';

/** A Latin-only font that Debian's fontconfig always brings along (fonts-dejavu-core, or an alternative). */
const LATIN_FONTS = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
  '/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf',
  '/usr/share/fonts/truetype/ttf-bitstream-vera/Vera.ttf',
];
const HEADING = 'kiosk-self-service h1';

let daemon: FakeDaemon;
let browser: Browser;
const tmp = tempDir('kiosk-fonts-');

beforeAll(async () => {
  await ensureUiBuilt();
  const latin = LATIN_FONTS.find((f) => existsSync(f));
  if (!latin) throw new Error(`no Latin font found (${LATIN_FONTS.join(', ')}): apt-get install -y fonts-dejavu-core`);
  mkdirSync(join(tmp.dir, 'fonts'));
  copyFileSync(latin, join(tmp.dir, 'fonts', 'latin.ttf'));
  const config = join(tmp.dir, 'fonts.conf');
  writeFileSync(config, `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${tmp.dir}/fonts</dir>\n  <cachedir>${tmp.dir}/cache</cachedir>\n</fontconfig>\n`);
  daemon = await startFakeDaemon();
  browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    env: { ...process.env, FONTCONFIG_FILE: config },
  });
});

afterAll(async () => {
  await browser?.close();
  await daemon?.stop();
  tmp.cleanup();
});

interface Rendering {
  text: string;
  /** The fonts Chromium drew the heading's text with (DevTools' "Rendered Fonts"). */
  fonts: { familyName: string; isCustomFont: boolean; glyphCount: number }[];
  /** Two different kanji drawn in the heading's font look different: real glyphs, not tofu boxes. */
  distinctGlyphs: boolean;
  fontFiles: string[];
}

async function renderSelfService(blockBundledFont: boolean): Promise<{ page: Page; rendering: Rendering }> {
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const fontFiles: string[] = [];
  page.on('requestfinished', (r) => void (r.url().endsWith('.woff2') && fontFiles.push(r.url())));
  if (blockBundledFont) await page.route('**/*.woff2', (route) => route.abort());
  await page.goto(daemon.url + '/');
  await expect.poll(() => page.locator(HEADING).textContent()).toContain('読み取り機にかざしてください');
  await page.evaluate(() => document.fonts.ready);

  const cdp = await context.newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  await cdp.send('DOM.getDocument', { depth: 0 });
  const heading = await cdp.send('Runtime.evaluate', {
    // The heading sits in shadow roots: search them all, as Playwright's locator does.
    expression: `(() => { const find = (root, sel) => { const hit = root.querySelector(sel); if (hit) return hit;
      for (const el of root.querySelectorAll('*')) { const f = el.shadowRoot && find(el.shadowRoot, sel); if (f) return f; } return null; };
      return find(document, 'kiosk-self-service').shadowRoot.querySelector('h1'); })()`,
  });
  const { nodeId } = await cdp.send('DOM.requestNode', { objectId: heading.result.objectId! });
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });

  const distinctGlyphs = await page.locator(HEADING).evaluate(async (h1) => {
    const style = getComputedStyle(h1);
    const font = `${style.fontWeight} 48px ${style.fontFamily}`;
    await document.fonts.load(font, '受取').catch(() => []); // rejects when the face cannot be fetched
    const draw = (ch: string) => {
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 64;
      const g = canvas.getContext('2d')!;
      g.font = font;
      g.fillText(ch, 4, 52);
      return canvas.toDataURL();
    };
    return draw('受') !== draw('取');
  });
  const text = (await page.locator(HEADING).textContent()) ?? '';
  return { page, rendering: { text, fonts, distinctGlyphs, fontFiles } };
}

describe('bundled Japanese font (Chromium with no system CJK font)', () => {
  it('the self-service heading is drawn entirely with the bundled Noto Sans JP', async () => {
    const { page, rendering } = await renderSelfService(false);
    await page.screenshot({ path: '/tmp/kiosk-fonts-bundled.png' });
    expect(rendering.fonts.length).toBeGreaterThan(0);
    for (const f of rendering.fonts) {
      expect(f.isCustomFont, JSON.stringify(rendering.fonts)).toBe(true);
      expect(f.familyName).toMatch(/^Noto Sans JP/);
    }
    // Every character of the heading has a glyph from it.
    expect(rendering.fonts.reduce((n, f) => n + f.glyphCount, 0)).toBe([...rendering.text.replace(/\s/g, '')].length);
    expect(rendering.distinctGlyphs).toBe(true);
    await page.close();
  });

  it('fetches only the slices of the face that the screen uses', async () => {
    const { page, rendering } = await renderSelfService(false);
    const shipped = readdirSync(join(UI_DIR, 'assets')).filter((f) => f.endsWith('.woff2'));
    expect(rendering.fontFiles.length).toBeGreaterThan(0);
    expect(rendering.fontFiles.length).toBeLessThan(shipped.length / 4);
    await page.close();
  });

  it('control: with the bundled font files blocked, the same heading is tofu in a system font', async () => {
    const { page, rendering } = await renderSelfService(true);
    await page.screenshot({ path: '/tmp/kiosk-fonts-blocked.png' });
    expect(rendering.fonts.every((f) => !f.isCustomFont), JSON.stringify(rendering.fonts)).toBe(true);
    expect(rendering.distinctGlyphs).toBe(false);
    await page.close();
  });
});
