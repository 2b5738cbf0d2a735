// Items to hand over: vehicle, deliverables and the review-completed date (certificate validity
// runs from it, Art. 14), with one confirm button per item. The parent owns the action state.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { VerdictApplication } from '../../../protocol/verdict.js';
import { fireEvent } from '../common/fire-event.js';
import { DELIVERABLE_LABEL, formatDateJa } from '../common/format.js';
import { plainList } from '../styles/layout.js';
import { theme } from '../styles/theme.js';

export type HandoverProgress = 'pending' | 'done' | { error: string };

@customElement('kiosk-handover-panel')
export class KioskHandoverPanel extends LitElement {
  @property({ attribute: false }) items: (VerdictApplication & { handedOver?: boolean })[] = [];
  @property() ticketId = '';
  @property({ attribute: false }) progress: Record<string, HandoverProgress> = {};

  protected override render(): TemplateResult {
    return html`<ul>
      ${this.items.map((a) => {
        const p = this.progress[a.receiptNumber];
        const done = a.handedOver === true || p === 'done';
        const err = typeof p === 'object' ? p.error : '';
        return html`<li class=${done ? 'done' : ''} data-receipt=${a.receiptNumber}>
          <div class="info">
            <div class="reg">${a.vehicle.registration ?? '（登録番号なし）'}${a.vehicle.chassisLast4 ? html` <small>車台番号末尾 ${a.vehicle.chassisLast4}</small>` : nothing}</div>
            <div>受付番号 ${a.receiptNumber} ・ 手続 ${a.procedureType}</div>
            <div>交付物: ${a.deliverables.map((d) => DELIVERABLE_LABEL[d]?.ja ?? d).join('、')}</div>
            <div>審査完了日 <strong>${formatDateJa(a.reviewCompletedAt)}</strong> <span class="en" lang="en">(certificate validity runs from this day)</span></div>
            ${err ? html`<div class="error" role="alert">${err}</div>` : nothing}
          </div>
          ${done
            ? html`<span class="ok" data-handed-over>交付済 ✓</span>`
            : html`<button data-confirm=${a.receiptNumber} ?disabled=${p === 'pending'} @click=${() => fireEvent(this, 'handover-confirm', this.ticketId ? { receiptNumber: a.receiptNumber, ticketId: this.ticketId } : { receiptNumber: a.receiptNumber })}>
                ${p === 'pending' ? '送信中…' : err ? '再試行' : '交付を確認'}
              </button>`}
        </li>`;
      })}
    </ul>`;
  }

  static override styles = [
    theme,
    plainList,
    css`
      ul {
        display: flex;
        flex-direction: column;
        gap: 8px;
      }
      li {
        display: flex;
        gap: 16px;
        align-items: center;
        padding: 12px 16px;
        border: 2px solid var(--k-line);
        border-radius: 10px;
      }
      li.done {
        background: var(--k-ok-bg);
        border-color: var(--k-ok);
      }
      .info {
        flex: 1;
        font-size: 18px;
      }
      .reg {
        font-size: 26px;
        font-weight: 700;
      }
      .ok {
        color: var(--k-ok);
        font-weight: 700;
        font-size: 22px;
      }
      .error {
        color: var(--k-bad);
        font-weight: 700;
      }
    `,
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    'kiosk-handover-panel': KioskHandoverPanel;
  }
}
