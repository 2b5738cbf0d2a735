// Items to hand over: vehicle, procedure, deliverables and the review-completed date (certificate
// validity runs from it, Art. 14), with one button per item. A handover waits a few seconds with an
// Undo button before it is sent (pending-handovers.ts). The parent owns the action state.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { LocalizedText, VerdictApplication } from '../../../protocol/verdict.js';
import { fireEvent } from '../common/fire-event.js';
import { formatDate } from '../common/format.js';
import { tr, type Lang } from '../common/i18n.js';
import { DELIVERABLE_WORDS, applicationStatusWords, procedureWords } from '../common/words.js';
import { consumeProperty } from '../context/consume-property.js';
import { languageContext } from '../context/kiosk-context.js';
import { plainList } from '../styles/layout.js';
import { theme } from '../styles/theme.js';

export type HandoverProgress = 'pending' | 'done' | { undoIn: number } | { error: LocalizedText };
export type HandoverItem = VerdictApplication & { handedOver?: boolean; status?: string; closed?: boolean };

@customElement('kiosk-handover-panel')
export class KioskHandoverPanel extends LitElement {
  @property({ attribute: false }) items: HandoverItem[] = [];
  @property() ticketId = '';
  @property({ attribute: false }) progress: Record<string, HandoverProgress> = {};
  @property({ attribute: false }) procedureTypes: Record<string, LocalizedText> | undefined;
  /** Items are shown for information only (a lookup of an item that is not ready). */
  @property({ type: Boolean }) readOnly = false;

  @consumeProperty(languageContext)
  language: Lang = 'ja';

  protected override render(): TemplateResult {
    const l = this.language;
    return html`<ul>
      ${this.items.map((a) => {
        const p = this.progress[a.receiptNumber];
        const done = a.handedOver === true || p === 'done';
        const err = typeof p === 'object' && 'error' in p ? p.error : null;
        const undoIn = typeof p === 'object' && 'undoIn' in p ? p.undoIn : null;
        return html`<li class=${done ? 'done' : a.closed ? 'closed' : ''} data-receipt=${a.receiptNumber}>
          <div class="info">
            <div class="reg">${a.vehicle.registration ?? tr(l, { ja: '（登録番号なし）', en: '(no registration)' })}${a.vehicle.chassisLast4
                ? html` <small>${tr(l, { ja: `車台番号 下4桁 ${a.vehicle.chassisLast4}`, en: `chassis …${a.vehicle.chassisLast4}` })}</small>`
                : nothing}</div>
            <div>${tr(l, { ja: '受付番号', en: 'Receipt' })} ${a.receiptNumber} ・ ${tr(l, procedureWords(a.procedureType, this.procedureTypes))}</div>
            <div>${tr(l, { ja: '交付物', en: 'Items' })}: ${a.deliverables.map((d) => (DELIVERABLE_WORDS[d] ? tr(l, DELIVERABLE_WORDS[d]) : d)).join(l === 'ja' ? '、' : ', ')}</div>
            <div>${tr(l, { ja: '審査完了日', en: 'Review completed' })} <strong>${formatDate(a.reviewCompletedAt, l)}</strong>
              <span class="hint">${tr(l, { ja: '（この日から有効期間が始まります）', en: '(certificate validity runs from this day)' })}</span></div>
            ${a.closed ? html`<div class="error" data-closed-item>${tr(l, { ja: `${tr('ja', applicationStatusWords(a.status ?? ''))}のため交付できません。ご本人に伝えてください。`, en: `${tr('en', applicationStatusWords(a.status ?? ''))}: cannot be handed over. Tell the person.` })}</div>` : nothing}
            ${err ? html`<div class="error" role="alert">${tr(l, err)}</div>` : nothing}
          </div>
          ${this.action(a, done, p, undoIn, err, l)}
        </li>`;
      })}
    </ul>`;
  }

  private action(a: HandoverItem, done: boolean, p: HandoverProgress | undefined, undoIn: number | null, err: LocalizedText | null, l: Lang): TemplateResult | typeof nothing {
    if (done) return html`<span class="ok" data-handed-over>${tr(l, { ja: '交付済 ✓', en: 'Handed over ✓' })}</span>`;
    if (this.readOnly || a.closed) return nothing;
    if (undoIn !== null) {
      return html`<div class="undo" data-pending=${undoIn}>
        <span>${tr(l, { ja: `${undoIn} 秒後に記録`, en: `Recording in ${undoIn} s` })}</span>
        <button class="secondary" data-undo=${a.receiptNumber} @click=${() => fireEvent(this, 'handover-undo', { receiptNumber: a.receiptNumber })}>${tr(l, { ja: '取り消す', en: 'Undo' })}</button>
      </div>`;
    }
    const payload = this.ticketId ? { receiptNumber: a.receiptNumber, ticketId: this.ticketId } : { receiptNumber: a.receiptNumber };
    return html`<button data-confirm=${a.receiptNumber} ?disabled=${p === 'pending'} @click=${() => fireEvent(this, 'handover-confirm', payload)}>
      ${p === 'pending' ? tr(l, { ja: '送信中…', en: 'Sending…' }) : err ? tr(l, { ja: '再試行', en: 'Retry' }) : tr(l, { ja: '交付する', en: 'Hand over' })}
    </button>`;
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
        padding: 10px 16px;
        border: 2px solid var(--k-line);
        border-radius: 10px;
      }
      li.done {
        background: var(--k-ok-bg);
        border-color: var(--k-ok);
      }
      li.closed {
        background: #eee;
      }
      .info {
        flex: 1;
        font-size: 20px;
      }
      .reg {
        font-size: 26px;
        font-weight: 700;
      }
      .hint {
        color: var(--k-muted);
      }
      .ok {
        color: var(--k-ok);
        font-weight: 700;
        font-size: 22px;
      }
      .undo {
        display: flex;
        flex-direction: column;
        align-items: center;
        gap: 4px;
        font-weight: 700;
        color: var(--k-warn);
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
