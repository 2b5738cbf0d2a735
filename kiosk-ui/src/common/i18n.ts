// The two languages every screen speaks. Staff screens show one (the station's choice); public
// screens show both, the chosen one first and large, the other below it.
import { html, type TemplateResult } from 'lit';
import type { LocalizedText } from '../../../protocol/verdict.js';

export type Lang = 'ja' | 'en';
export const LANGS: readonly Lang[] = ['ja', 'en'];

export function otherLang(l: Lang): Lang {
  return l === 'ja' ? 'en' : 'ja';
}

export function isLang(v: unknown): v is Lang {
  return v === 'ja' || v === 'en';
}

/** One language (staff screens). */
export function tr(lang: Lang, t: LocalizedText): string {
  return t[lang];
}

/** Both languages, `lang` first; the other in a smaller, muted span (`block`: on its own line). */
export function bi(lang: Lang, t: LocalizedText, block = false): TemplateResult {
  const o = otherLang(lang);
  return html`<span lang=${lang}>${t[lang]}</span> <span lang=${o} class="alt ${block ? 'block' : ''}">${t[o]}</span>`;
}

