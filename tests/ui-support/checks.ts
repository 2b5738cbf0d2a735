// Checks every screen and state must pass in Chromium: zero axe-core violations, and no scrolling
// at the kiosk's sizes (the page itself; everything a person must reach, Close included, on screen).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** The sizes the screens run at: portrait kiosk, landscape kiosk/counter, call display. */
export const VIEWPORTS = [
  { width: 1080, height: 1920 },
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const;

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** axe-core in the page (it walks open shadow roots); the violations, with where they are. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
}

/** Whether the page scrolls, and which buttons lie outside the viewport (deep through shadow roots). */
export async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const se = document.scrollingElement!;
    if (se.scrollHeight > window.innerHeight) problems.push(`page scrolls vertically: ${se.scrollHeight} > ${window.innerHeight}`);
    if (se.scrollWidth > window.innerWidth) problems.push(`page scrolls horizontally: ${se.scrollWidth} > ${window.innerWidth}`);
    const walk = (root: Document | ShadowRoot, visit: (el: Element) => void) => {
      for (const el of root.querySelectorAll('*')) {
        visit(el);
        if (el.shadowRoot) walk(el.shadowRoot, visit);
      }
    };
    walk(document, (el) => {
      // A container marked data-fit must hold its content (nothing spills over its frame or footer).
      if (el.hasAttribute('data-fit') && el.scrollHeight > el.clientHeight + 1) problems.push(`${el.tagName.toLowerCase()}.${el.className} content overflows: ${el.scrollHeight} > ${el.clientHeight}`);
      if (el.tagName !== 'BUTTON') return;
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) return;
      // Inside a closed <details> (content-visibility: hidden) or otherwise not shown.
      if (!(el as Element & { checkVisibility(o?: object): boolean }).checkVisibility({ visibilityProperty: true })) return;
      // Inside a column that scrolls on its own (the counter's lists), reaching it is a scroll away.
      let p: Element | null = el;
      while (p) {
        const o = getComputedStyle(p).overflowY;
        if ((o === 'auto' || o === 'scroll') && p.scrollHeight > p.clientHeight) return;
        p = (p.parentElement ?? ((p.getRootNode() as ShadowRoot).host as Element | undefined)) ?? null;
      }
      if (r.bottom > window.innerHeight + 0.5 || r.right > window.innerWidth + 0.5 || r.top < -0.5) problems.push(`button "${el.textContent?.trim().slice(0, 30)}" off screen at ${Math.round(r.left)},${Math.round(r.top)}`);
      if (r.height < 44 || r.width < 44) problems.push(`button "${el.textContent?.trim().slice(0, 30)}" smaller than 44 px (${Math.round(r.width)}×${Math.round(r.height)})`);
    });
    return problems;
  });
}

/** Both checks at each size; returns every problem found, labelled. */
export async function screenProblems(page: Page, label: string, sizes: readonly { width: number; height: number }[] = VIEWPORTS): Promise<string[]> {
  const out: string[] = [];
  for (const size of sizes) {
    await page.setViewportSize(size);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    for (const p of await layoutProblems(page)) out.push(`${label} @${size.width}×${size.height}: ${p}`);
  }
  for (const v of await axeViolations(page)) out.push(`${label}: axe ${v.id} (${v.impact}) ${v.help} at ${v.targets.slice(0, 3).join(' ')}`);
  return out;
}
