// Misuse alerts (Art. 16: a run of rejected scans at one device): when, where in words, and a
// dismiss per alert. A dismissed alert stays dismissed until the daemon raises a new one.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { KioskState } from '../../../protocol/events.js';
import type { LocalizedText } from '../../../protocol/verdict.js';
import { formatTime } from '../common/format.js';
import { tr, type Lang } from '../common/i18n.js';
import { consumeProperty } from '../context/consume-property.js';
import { languageContext } from '../context/kiosk-context.js';
import { theme } from '../styles/theme.js';

type Alert = KioskState['alerts'][number];

/** Where a scan came from, in words: the kiosk screen's typed/wedge input, its camera, a counter, a scanner. */
export function deviceWords(deviceId: string): LocalizedText {
  const parts = deviceId.split(':');
  const kind = parts[1];
  if (kind === 'typed') return { ja: 'キオスク画面（キーボード入力の読取機）', en: 'the kiosk screen (keyboard scanner)' };
  if (kind === 'camera') return { ja: 'キオスク画面のカメラ', en: 'the kiosk screen’s camera' };
  if (kind === 'staff') return { ja: `窓口（職員 ${parts[2] ?? ''}）`, en: `a counter (staff ${parts[2] ?? ''})` };
  return { ja: `読取機 ${deviceId}`, en: `scanner ${deviceId}` };
}

@customElement('kiosk-alert-list')
export class KioskAlertList extends LitElement {
  @property({ attribute: false }) alerts: Alert[] = [];
  @state() private dismissed = new Set<string>();

  @consumeProperty(languageContext)
  language: Lang = 'ja';

  protected override render(): TemplateResult | typeof nothing {
    const shown = this.alerts.filter((a) => !this.dismissed.has(key(a)));
    if (shown.length === 0) return nothing;
    const l = this.language;
    return html`<div class="list">
      ${shown.map((a) => {
        const where = deviceWords(a.deviceId);
        return html`<div class="alert" role="alert" data-alert=${a.deviceId}>
          <span><strong>${formatTime(a.at)}</strong>
            ${tr(l, { ja: `${where.ja}で、読み取りの拒否が短時間に続きました。不正な利用や困っている方がいないか、ご確認ください。`, en: `Several scans were refused in a short time at ${where.en}. Please check whether someone needs help or is misusing it.` })}</span>
          <button class="secondary" data-dismiss @click=${() => (this.dismissed = new Set([...this.dismissed, key(a)]))}>${tr(l, { ja: '確認済み', en: 'Dismiss' })}</button>
        </div>`;
      })}
    </div>`;
  }

  static override styles = [
    theme,
    css`
      .list {
        padding: 6px 16px 0;
        display: flex;
        flex-direction: column;
        gap: 6px;
      }
      .alert {
        display: flex;
        align-items: center;
        gap: 16px;
        padding: 6px 8px 6px 16px;
        background: var(--k-bad);
        color: #fff;
        font-weight: 700;
        border-radius: 8px;
      }
      .alert span {
        flex: 1;
      }
      button {
        min-height: 48px;
      }
    `,
  ];
}

function key(a: Alert): string {
  return `${a.deviceId}@${a.at}`;
}

declare global {
  interface HTMLElementTagNameMap {
    'kiosk-alert-list': KioskAlertList;
  }
}
