// Always-visible strip: daemon link, upstream/offline with the data's age, printer trouble,
// scanners, office hours. Everything a person must know before trusting the screen. Public screens
// read it in both languages; staff in theirs, with staff wording (never the public "go to the counter").
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { CLOCK_SKEW_WARN_SECONDS, type KioskState, type UpstreamState } from '../../../protocol/events.js';
import type { LocalizedText } from '../../../protocol/verdict.js';
import { formatDateTime, formatOpensAt } from '../common/format.js';
import { bi, tr, type Lang } from '../common/i18n.js';
import { consumeProperty } from '../context/consume-property.js';
import { daemonLinkContext, kioskStateContext, languageContext, type LinkState } from '../context/kiosk-context.js';
import { theme } from '../styles/theme.js';

type Level = 'ok' | 'warn' | 'bad';
export interface StatusItem extends LocalizedText {
  key: string;
  level: Level;
}

/** What the strip says for a state. */
export function statusItems(s: KioskState | undefined, link: LinkState, audience: 'public' | 'staff' = 'public'): StatusItem[] {
  const staff = audience === 'staff';
  if (link === 'down') {
    return [
      staff
        ? { key: 'link', level: 'bad', ja: 'キオスク本体に接続できません。再接続しています…', en: 'Cannot reach the kiosk server. Reconnecting…' }
        : { key: 'link', level: 'bad', ja: 'ただいま停止中です', en: 'Out of service' },
    ];
  }
  if (!s || link === 'connecting') return [{ key: 'link', level: 'warn', ja: '接続中…', en: 'Connecting…' }];
  const items: StatusItem[] = [];
  const asOf = formatDateTime(s.cache.asOf);
  if (s.cache.stale) items.push({ key: 'stale', level: 'bad', ja: `データが古くなっています（${asOf} 時点）`, en: `Data is out of date (as of ${asOf})` });
  if (s.upstream.state === 'offline') items.push({ key: 'offline', level: 'warn', ja: `オフライン運用中・${asOf} 時点のデータ`, en: `Offline: data as of ${asOf}` });
  else items.push({ key: 'asof', level: 'ok', ja: `${asOf} 時点のデータ`, en: `Data as of ${asOf}` });
  if (staff) items.push(...upstreamItems(s.upstream));
  const p = s.printer;
  if (p.configured && (p.paperEnd || p.coverOpen || !p.online)) {
    const why = p.paperEnd ? { ja: '用紙切れ', en: 'out of paper' } : p.coverOpen ? { ja: 'カバーが開いています', en: 'cover open' } : { ja: 'プリンタ停止', en: 'printer offline' };
    items.push({
      key: 'printer',
      level: 'bad',
      ja: staff ? `プリンタ：${why.ja}` : `番号札を印刷できません（${why.ja}）。窓口へお越しください`,
      en: staff ? `Printer: ${why.en}` : `Cannot print tickets (${why.en}). Please go to the counter.`,
    });
  } else if (p.configured && p.paperNearEnd && staff) {
    items.push({ key: 'paper-low', level: 'warn', ja: 'プリンタ：用紙残りわずか', en: 'Printer: paper low' });
  }
  for (const d of s.devices) {
    if (d.state === 'connected') continue;
    items.push({ key: `dev-${d.id}`, level: 'bad', ja: staff ? `読取機が使えません（${d.id}）` : '読取機が使えません', en: staff ? `Scanner not available (${d.id})` : 'Scanner not available' });
  }
  if (!s.hours.open) {
    const at = formatOpensAt(s.hours.opensAt);
    items.push({ key: 'closed', level: 'warn', ja: at.ja ? `窓口は受付時間外です（${at.ja} から）` : '窓口は受付時間外です', en: at.en ? `Counter closed (opens ${at.en})` : 'Counter closed' });
  }
  return items;
}

/** Staff also see since when the hub is out of reach, why, and a device clock that has drifted. */
function upstreamItems(u: UpstreamState): StatusItem[] {
  const items: StatusItem[] = [];
  // The daemon's reason is technical English: it is shown as it is, for whoever calls support.
  const why = u.lastError ? ` — ${u.lastError}` : '';
  if (u.state === 'offline') {
    const since = formatDateTime(u.since);
    items.push({ key: 'upstream', level: 'warn', ja: `本部と通信できません（${since} から）${why}`, en: `No link to the hub since ${since}${why}` });
  } else if (u.lastError) {
    items.push({ key: 'upstream', level: 'warn', ja: `本部との同期に問題があります${why}`, en: `Trouble syncing with the hub${why}` });
  }
  const skew = u.clockSkewSeconds;
  if (skew !== null && Math.abs(skew) > CLOCK_SKEW_WARN_SECONDS) {
    const minutes = Math.round(Math.abs(skew) / 60);
    const dir = skew > 0 ? { ja: '遅れて', en: 'behind' } : { ja: '進んで', en: 'ahead of' };
    items.push({
      key: 'skew',
      level: 'bad',
      ja: `この端末の時計が本部より約${minutes}分${dir.ja}います。有効期限と受付時間の判定に影響します`,
      en: `This device's clock is about ${minutes} min ${dir.en} the hub's: expiry and office hours depend on it`,
    });
  }
  return items;
}

@customElement('kiosk-status-strip')
export class KioskStatusStrip extends LitElement {
  @consumeProperty(kioskStateContext)
  state?: KioskState;

  @consumeProperty(daemonLinkContext)
  link: LinkState = 'connecting';

  @consumeProperty(languageContext)
  language: Lang = 'ja';

  @property() audience: 'public' | 'staff' = 'public';

  protected override render(): TemplateResult {
    const items = statusItems(this.state, this.link, this.audience);
    const office = this.link === 'up' ? this.state?.office.name : undefined;
    const say = (t: LocalizedText) => (this.audience === 'staff' ? tr(this.language, t) : bi(this.language, t));
    return html`<div class="strip" role="status" aria-live="polite">
      ${office ? html`<span class="office">${say(office)}</span>` : nothing}
      ${items.map((i) => html`<span class="item ${i.level}" data-status=${i.key}>${say(i)}</span>`)}
      <slot></slot>
    </div>`;
  }

  static override styles = [
    theme,
    css`
      .strip {
        display: flex;
        flex-wrap: wrap;
        gap: 6px 12px;
        align-items: center;
        padding: 6px 16px;
        background: #f2f2f2;
        border-bottom: 2px solid var(--k-line);
        font-size: 22px;
      }
      .office {
        font-weight: 700;
        margin-right: auto;
      }
      .alt {
        font-size: 20px;
      }
      .item {
        padding: 2px 12px;
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
      .warn .alt {
        color: var(--k-warn);
      }
      .bad {
        background: var(--k-bad);
        color: #fff;
        font-weight: 700;
      }
      .bad .alt {
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
