// What staff can do with a ticket, by where it stands: a called one can be announced again, set
// aside as a no-show, put back in the queue or cancelled; a no-show put back or cancelled; a
// waiting one cancelled. Cancelling asks for a reason (it goes to the audit log). Fires ticket-action.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { TicketView } from '../../../protocol/events.js';
import type { LocalizedText } from '../../../protocol/verdict.js';
import { fireEvent, type TicketAction } from '../common/fire-event.js';
import { tr, type Lang } from '../common/i18n.js';
import { consumeProperty } from '../context/consume-property.js';
import { languageContext } from '../context/kiosk-context.js';
import { theme } from '../styles/theme.js';

const REASONS: LocalizedText[] = [
  { ja: 'ご本人の申し出', en: 'Asked by the person' },
  { ja: '二重に発券', en: 'Issued twice' },
  { ja: '窓口で手続き済み', en: 'Served at the counter' },
];

const LABEL: Record<TicketAction, LocalizedText> = {
  recall: { ja: 'もう一度呼ぶ', en: 'Call again' },
  'no-show': { ja: '不在にする', en: 'No-show' },
  requeue: { ja: '列に戻す', en: 'Back to queue' },
  cancel: { ja: '取り消す…', en: 'Cancel…' },
};

export function actionsFor(status: TicketView['status']): TicketAction[] {
  switch (status) {
    case 'called':
      return ['recall', 'no-show', 'requeue', 'cancel'];
    case 'no-show':
      return ['requeue', 'cancel'];
    case 'waiting':
      return ['cancel'];
    default:
      return [];
  }
}

@customElement('kiosk-ticket-actions')
export class KioskTicketActions extends LitElement {
  @property({ attribute: false }) ticket?: TicketView;
  /** An action on this ticket is on its way: no second press. */
  @property({ type: Boolean }) busy = false;
  @state() private cancelling = false;
  @state() private reason = '';

  @consumeProperty(languageContext)
  language: Lang = 'ja';

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    const prev = changed.get('ticket') as TicketView | undefined;
    if (changed.has('ticket') && prev?.id !== this.ticket?.id) {
      this.cancelling = false;
      this.reason = '';
    }
  }

  protected override render(): TemplateResult | typeof nothing {
    const t = this.ticket;
    if (!t) return nothing;
    const l = this.language;
    const actions = actionsFor(t.status);
    if (actions.length === 0) return nothing;
    return html`<div class="row" role="group" aria-label=${tr(l, { ja: '番号札の操作', en: 'Ticket actions' })}>
        ${actions.map(
          (a) => html`<button class=${a === 'recall' ? '' : 'secondary'} data-ticket-action=${a} ?disabled=${this.busy}
            @click=${() => (a === 'cancel' ? (this.cancelling = !this.cancelling) : this.fire(a))}>${tr(l, LABEL[a])}</button>`,
        )}
      </div>
      ${this.cancelling ? this.renderCancel(t, l) : nothing}`;
  }

  private renderCancel(t: TicketView, l: Lang): TemplateResult {
    const ok = this.reason.trim().length >= 3;
    return html`<form class="cancel" data-cancel-form @submit=${(e: Event) => (e.preventDefault(), ok && this.fire('cancel', this.reason.trim()))}>
      <p>${tr(l, { ja: `${t.number} を取り消します。理由を選ぶか入力してください（監査記録に残ります）。`, en: `Cancel ${t.number}: choose or type a reason (it is kept in the audit log).` })}</p>
      <div class="reasons">
        ${REASONS.map((r) => html`<button type="button" class="secondary" aria-pressed=${this.reason === r[l] ? 'true' : 'false'} @click=${() => (this.reason = r[l])}>${r[l]}</button>`)}
      </div>
      <div class="row">
        <input name="cancelReason" aria-label=${tr(l, { ja: '取消の理由', en: 'Reason for cancelling' })} .value=${this.reason}
          @input=${(e: Event) => (this.reason = (e.target as HTMLInputElement).value)} />
        <button class="danger" data-confirm-cancel ?disabled=${!ok || this.busy}>${tr(l, { ja: '取り消す', en: 'Cancel ticket' })}</button>
        <button type="button" class="secondary" @click=${() => (this.cancelling = false)}>${tr(l, { ja: 'やめる', en: 'Keep it' })}</button>
      </div>
    </form>`;
  }

  private fire(action: TicketAction, reason?: string): void {
    const t = this.ticket;
    if (!t) return;
    fireEvent(this, 'ticket-action', reason ? { action, ticketId: t.id, reason } : { action, ticketId: t.id });
    if (action === 'cancel') this.cancelling = false;
  }

  static override styles = [
    theme,
    css`
      :host {
        display: flex;
        flex-direction: column;
        gap: 8px;
      }
      .row,
      .reasons {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
      }
      .cancel {
        display: flex;
        flex-direction: column;
        gap: 8px;
        padding: 12px;
        border: 3px solid var(--k-bad);
        border-radius: 10px;
        background: var(--k-bad-bg);
      }
      .cancel p {
        margin: 0;
        font-weight: 700;
      }
      input {
        flex: 1;
        min-width: 10em;
      }
      .danger {
        background: var(--k-bad);
        border-color: var(--k-bad);
      }
    `,
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    'kiosk-ticket-actions': KioskTicketActions;
  }
}
