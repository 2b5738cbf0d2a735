// Always-visible strip: daemon link, upstream/offline with the data's age, printer trouble,
// scanners, office hours. Everything a person must know before trusting the screen.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { KioskState } from '../../../protocol/events.js';
import { formatDateTime, formatOpensAt } from '../common/format.js';
import { consumeProperty } from '../context/consume-property.js';
import { daemonLinkContext, kioskStateContext } from '../context/kiosk-context.js';
import { theme } from '../styles/theme.js';

type Level = 'ok' | 'warn' | 'bad';
interface Item {
  key: string;
  level: Level;
  ja: string;
  en: string;
}

/** What the strip says for a state; exported so the counter can reuse the wording. */
export function statusItems(s: KioskState | undefined, linked: boolean, audience: 'public' | 'staff' = 'public'): Item[] {
  if (!linked) return [{ key: 'link', level: 'bad', ja: 'システムに接続できません。窓口へお越しください', en: 'Not connected. Please go to the counter.' }];
  if (!s) return [{ key: 'link', level: 'warn', ja: '接続中…', en: 'Connecting…' }];
  const items: Item[] = [];
  const asOf = formatDateTime(s.cache.asOf);
  if (s.cache.stale) items.push({ key: 'stale', level: 'bad', ja: `データが古くなっています（${asOf} 時点）`, en: `Data is out of date (as of ${asOf})` });
  if (s.upstream.state === 'offline') items.push({ key: 'offline', level: 'warn', ja: `オフライン運用中・${asOf} 時点のデータ`, en: `Offline: data as of ${asOf}` });
  else items.push({ key: 'asof', level: 'ok', ja: `${asOf} 時点のデータ`, en: `Data as of ${asOf}` });
  const p = s.printer;
  if (p.configured && (p.paperEnd || p.coverOpen || !p.online)) {
    const why = p.paperEnd ? { ja: '用紙切れ', en: 'out of paper' } : p.coverOpen ? { ja: 'カバーが開いています', en: 'cover open' } : { ja: 'プリンタ停止', en: 'printer offline' };
    items.push({
      key: 'printer',
      level: 'bad',
      ja: audience === 'public' ? `番号札を印刷できません（${why.ja}）。窓口へお越しください` : `プリンタ：${why.ja}`,
      en: audience === 'public' ? `Cannot print tickets (${why.en}). Please go to the counter.` : `Printer: ${why.en}`,
    });
  } else if (p.configured && p.paperNearEnd && audience === 'staff') {
    items.push({ key: 'paper-low', level: 'warn', ja: 'プリンタ：用紙残りわずか', en: 'Printer: paper low' });
  }
  for (const d of s.devices) {
    if (d.state === 'connected') continue;
    items.push({ key: `dev-${d.id}`, level: 'bad', ja: `読取機が使えません（${d.id}）`, en: `Scanner not available (${d.id})` });
  }
  if (!s.hours.open) {
    const at = formatOpensAt(s.hours.opensAt);
    items.push({ key: 'closed', level: 'warn', ja: at.ja ? `窓口は受付時間外です（${at.ja} から）` : '窓口は受付時間外です', en: at.en ? `Counter closed (opens ${at.en})` : 'Counter closed' });
  }
  return items;
}

@customElement('kiosk-status-strip')
export class KioskStatusStrip extends LitElement {
  @consumeProperty(kioskStateContext)
  state?: KioskState;

  @consumeProperty(daemonLinkContext)
  linked = false;

  @property() audience: 'public' | 'staff' = 'public';

  protected override render(): TemplateResult {
    const items = statusItems(this.state, this.linked, this.audience);
    const office = this.state?.office.name;
    return html`<div class="strip" role="status" aria-live="polite">
      ${office ? html`<span class="office">${office.ja} <span lang="en" class="en">${office.en}</span></span>` : nothing}
      ${items.map((i) => html`<span class="item ${i.level}" data-status=${i.key}>${i.ja} <span lang="en" class="en">${i.en}</span></span>`)}
    </div>`;
  }

  static override styles = [
    theme,
    css`
      .strip {
        display: flex;
        flex-wrap: wrap;
        gap: 8px 12px;
        align-items: center;
        padding: 8px 16px;
        background: #f2f2f2;
        border-bottom: 2px solid var(--k-line);
        font-size: 18px;
      }
      .office {
        font-weight: 700;
        margin-right: auto;
      }
      .item {
        padding: 4px 12px;
        border-radius: 8px;
        border: 2px solid transparent;
      }
      .ok {
        color: var(--k-ok);
      }
      .warn {
        background: var(--k-warn-bg);
        color: var(--k-warn);
        border-color: var(--k-warn);
        font-weight: 700;
      }
      .bad {
        background: var(--k-bad);
        color: #fff;
        font-weight: 700;
      }
      .bad .en {
        color: #fff;
      }
    `,
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    'kiosk-status-strip': KioskStatusStrip;
  }
}
