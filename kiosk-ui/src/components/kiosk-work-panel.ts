// The counter's current piece of work: a called/selected ticket, a scanned code or a lookup.
// Performs the actions on it itself (handover after an undo window, recall, no-show, requeue,
// cancel, register, password change, reprint) with ids that survive retries (StaffConnection.act).
import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ActionError, TicketRef, TicketView } from '../../../protocol/events.js';
import type { LocalizedText, Verdict, VerdictApplication } from '../../../protocol/verdict.js';
import { actionFailure, type StaffAction } from '../common/action-words.js';
import { fireEvent, type TicketAction } from '../common/fire-event.js';
import { tr, type Lang } from '../common/i18n.js';
import { CODE_TYPE_WORDS, OUTCOME_WORDS, TICKET_STATUS_WORDS, applicationStatusWords, reasonWords } from '../common/words.js';
import { consumeProperty } from '../context/consume-property.js';
import { languageContext } from '../context/kiosk-context.js';
import { PendingHandovers } from '../controllers/pending-handovers.js';
import type { StaffConnection } from '../data/staff-connection.js';
import { theme } from '../styles/theme.js';
import type { HandoverItem, HandoverProgress } from './kiosk-handover-panel.js';
import { workPanelStyles } from './kiosk-work-panel.styles.js';
import './kiosk-handover-panel.js';
import './kiosk-ticket-actions.js';

export type Work =
  | { kind: 'ticket'; ticket: TicketView }
  | { kind: 'scan'; text: string; verdict: Verdict; ticket: TicketRef | null; items: TicketView | null }
  | { kind: 'lookup'; receiptNumber: string; application: (VerdictApplication & { status: string; office: string }) | null };

type Result = { text: LocalizedText; ok: boolean };

@customElement('kiosk-work-panel')
export class KioskWorkPanel extends LitElement {
  @property({ attribute: false }) work?: Work;
  @property({ attribute: false }) connection?: StaffConnection;
  /** This station's counter (recalls go to it). */
  @property() counter = '';
  @property({ attribute: false }) procedureTypes: Record<string, LocalizedText> | undefined;
  @property({ attribute: false }) office: { code: string; name: LocalizedText | null } | undefined;
  @state() private progress: Record<string, 'pending' | 'done' | { error: LocalizedText }> = {};
  @state() private docsChecked = false;
  @state() private result: Result | null = null;
  @state() private ticketBusy = false;

  @consumeProperty(languageContext)
  language: Lang = 'ja';

  private readonly handovers = new PendingHandovers(this, (receipt, ticketId) => void this.handover(receipt, ticketId));

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('handover-confirm', (e) => this.handovers.start(e.detail.receiptNumber, e.detail.ticketId));
    this.addEventListener('handover-undo', (e) => this.handovers.undo(e.detail.receiptNumber));
    this.addEventListener('ticket-action', (e) => void this.ticketAction(e.detail.action, e.detail.ticketId, e.detail.reason));
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    const prev = changed.get('work') as Work | undefined;
    if (changed.has('work') && workKey(prev) !== workKey(this.work)) {
      this.docsChecked = false;
      this.result = null;
    }
  }

  private t(text: LocalizedText): string {
    return tr(this.language, text);
  }

  protected override render(): TemplateResult | typeof nothing {
    const w = this.work;
    if (!w) return html`<p class="hint" data-idle>${this.t({ ja: '「次の方を呼ぶ」を押すか、コード・番号札を読取機で読み取ってください。', en: 'Press “Call next”, or scan a code or ticket with the scanner.' })}</p>`;
    return html`${w.kind === 'ticket' ? this.renderTicket(w.ticket) : w.kind === 'scan' ? this.renderScan(w) : this.renderLookup(w)}
      ${this.result ? html`<p class="result-line ${this.result.ok ? 'good' : 'bad'}" role="status" data-result>${this.t(this.result.text)}</p>` : nothing}`;
  }

  private renderTicket(t: TicketView): TemplateResult {
    const status = TICKET_STATUS_WORDS[t.status];
    const where = t.status === 'called' && t.counter ? this.t({ ja: ` ・ ${t.counter}番窓口`, en: ` · counter ${t.counter}` }) : '';
    const calls = t.calls > 1 ? this.t({ ja: ` ・ 呼出 ${t.calls} 回`, en: ` · called ${t.calls} times` }) : '';
    return html`<h2><span class="num" data-current-ticket>${t.number}</span>
        <span class="status st-${t.status}" data-ticket-status=${t.status}>${this.t(status)}${where}${calls}</span></h2>
      <p class="sub">${this.t(CODE_TYPE_WORDS[t.codeType])}${t.receiverNameMasked ? ` ・ ${t.receiverNameMasked}` : ''}</p>
      ${t.status === 'cancelled' && t.cancelReason ? html`<p class="banner rejected">${this.t({ ja: '取消の理由', en: 'Cancelled because' })}: ${t.cancelReason}</p>` : nothing}
      <kiosk-ticket-actions .ticket=${t} ?busy=${this.ticketBusy}></kiosk-ticket-actions>
      ${this.items(t.items, t.id, t.status === 'cancelled')}
      ${t.status === 'waiting' || t.status === 'called' || t.status === 'no-show' ? this.reprintButton(t.id) : nothing}`;
  }

  private renderScan(w: Extract<Work, { kind: 'scan' }>): TemplateResult {
    const v = w.verdict;
    const ticketId = w.items?.id ?? w.ticket?.id ?? '';
    const items = w.items?.items ?? v.applications;
    const reason = v.reason ? reasonWords(v.reason) : undefined;
    return html`<div class="banner ${v.outcome}" data-outcome=${v.outcome}>
        <strong>${this.t(OUTCOME_WORDS[v.outcome])}${reason ? ` ・ ${this.t(reason)}` : ''}</strong>
        ${v.codeType ? html`<span class="sub"> ・ ${this.t(CODE_TYPE_WORDS[v.codeType])}</span>` : nothing}
        <div data-message>${this.t(v.message)}</div>
        ${v.receiver ? html`<div>${this.t({ ja: '受取者', en: 'Receiver' })} ${v.receiver.name}</div>` : nothing}
      </div>
      ${w.ticket || w.items ? html`<h2>${this.t({ ja: '番号', en: 'Ticket' })} <span class="num">${w.items?.number ?? w.ticket?.number}</span></h2>` : nothing}
      ${v.outcome === 'accepted' && (v.codeType === 'APP' || v.codeType === 'AUTH') ? this.items(items, ticketId) : nothing}
      ${v.excluded.length
        ? html`<div class="banner refer" data-excluded>
            <strong>${this.t({ ja: `このコードでは渡せない申請 ${v.excluded.length} 件（個別コードが発行済み）`, en: `${v.excluded.length} application(s) need their own code` })}</strong>
            <div>${v.excluded.map((x) => x.receiptNumber).join(', ')}</div>
          </div>`
        : nothing}
      ${v.outcome === 'accepted' && (v.codeType === 'REG' || v.codeType === 'PWD') ? this.docsAction(w.text, v.codeType) : nothing}`;
  }

  private renderLookup(w: Extract<Work, { kind: 'lookup' }>): TemplateResult {
    const a = w.application;
    if (!a) return html`<p class="banner rejected" data-lookup="none">${this.t({ ja: `受付番号 ${w.receiptNumber} は見つかりません。`, en: `No application ${w.receiptNumber}.` })}</p>`;
    const here = this.office?.code === a.office;
    const office = here ? (this.office?.name ? this.t(this.office.name) : this.t({ ja: 'この事務所', en: 'this office' })) : this.t({ ja: `他の事務所（${a.office}）`, en: `another office (${a.office})` });
    return html`<p class="banner refer" data-lookup=${a.status}>${this.t({ ja: '手動照会', en: 'Manual lookup' })} ・ <strong>${this.t(applicationStatusWords(a.status))}</strong> ・ ${office}</p>
      ${this.items([{ ...a, handedOver: a.status === 'collected' }], '', a.status !== 'ready' || !here)}`;
  }

  private items(items: HandoverItem[], ticketId: string, readOnly = false): TemplateResult {
    const progress: Record<string, HandoverProgress> = { ...this.progress };
    for (const i of items) {
      const left = this.handovers.secondsLeft(i.receiptNumber);
      if (left !== null) progress[i.receiptNumber] = { undoIn: left };
    }
    return html`<kiosk-handover-panel .items=${items} ticketId=${ticketId} .progress=${progress} .procedureTypes=${this.procedureTypes} ?readOnly=${readOnly}></kiosk-handover-panel>`;
  }

  private docsAction(text: string, type: 'REG' | 'PWD'): TemplateResult {
    const label = type === 'REG' ? { ja: '受取者を登録する', en: 'Register the receiver' } : { ja: 'パスワード変更を反映する', en: 'Apply the password change' };
    return html`<div class="docs">
      <label><input type="checkbox" .checked=${this.docsChecked} @change=${(e: Event) => (this.docsChecked = (e.target as HTMLInputElement).checked)} />
        ${this.t({ ja: '提出書類を確認しました', en: 'Documents checked' })}</label>
      <button data-docs-action=${type} ?disabled=${!this.docsChecked} @click=${() => void this.applyDocs(text, type)}>${this.t(label)}</button>
    </div>`;
  }

  private reprintButton(ticketId: string): TemplateResult {
    return html`<button class="secondary" data-reprint @click=${() => void this.reprint(ticketId)}>${this.t({ ja: '番号札を再印刷', en: 'Reprint ticket' })}</button>`;
  }

  private failed(action: StaffAction, error: ActionError, ticket?: TicketView): Result {
    return { ok: false, text: actionFailure(action, error, ticket) };
  }

  private currentTicket(id: string): TicketView | undefined {
    const w = this.work;
    return w?.kind === 'ticket' && w.ticket.id === id ? w.ticket : w?.kind === 'scan' && w.items?.id === id ? w.items : undefined;
  }

  private async handover(receiptNumber: string, ticketId?: string): Promise<void> {
    if (!this.connection) return;
    this.progress = { ...this.progress, [receiptNumber]: 'pending' };
    const r = await this.connection.act('handover', `handover:${receiptNumber}`, ticketId ? { receiptNumber, ticketId } : { receiptNumber });
    const err = 'error' in r && r.error ? r.error : null;
    this.progress = { ...this.progress, [receiptNumber]: err ? { error: actionFailure('handover', err) } : 'done' };
    // The last item handed over settles the ticket (it leaves the queue): show it done, with no more actions.
    const t = ticketId ? this.currentTicket(ticketId) : undefined;
    if (!err && t) {
      const items = t.items.map((i) => (i.receiptNumber === receiptNumber ? { ...i, handedOver: true } : i));
      const settled = items.every((i) => i.handedOver || i.closed);
      fireEvent(this, 'work-ticket', { ticket: { ...t, items, status: settled ? 'done' : t.status } });
    }
  }

  private async ticketAction(action: TicketAction, ticketId: string, reason?: string): Promise<void> {
    if (!this.connection || this.ticketBusy) return;
    const before = this.currentTicket(ticketId);
    this.ticketBusy = true;
    const key = `${action}:${ticketId}`;
    const r =
      action === 'recall'
        ? await this.connection.act('recall', key, { ticketId, counter: this.counter })
        : action === 'cancel'
          ? await this.connection.act('cancel', key, { ticketId, reason: reason ?? '' })
          : await this.connection.act(action, key, { ticketId });
    this.ticketBusy = false;
    if ('error' in r && r.error) {
      this.result = this.failed(action, r.error, before);
      return;
    }
    const t = 'ticket' in r ? r.ticket : undefined;
    if (t) fireEvent(this, 'work-ticket', { ticket: t });
    const n = t?.number ?? before?.number ?? '';
    const said: Record<TicketAction, LocalizedText> = {
      recall: t?.status === 'no-show'
        ? { ja: `${n} は呼出回数の上限に達したため、不在にしました。`, en: `${n} reached the call limit and was set aside as a no-show.` }
        : { ja: `${n} をもう一度 ${this.counter}番窓口に呼び出しました。`, en: `Called ${n} again to counter ${this.counter}.` },
      'no-show': { ja: `${n} を不在にしました。来られたら「列に戻す」か、番号札を読み取ってください。`, en: `${n} set aside. If they come, put it back or scan their ticket.` },
      requeue: { ja: `${n} を列の最後に戻しました。`, en: `${n} is back at the end of the queue.` },
      cancel: { ja: `${n} を取り消しました。`, en: `${n} was cancelled.` },
    };
    this.result = { ok: true, text: said[action] };
  }

  private async applyDocs(text: string, type: 'REG' | 'PWD'): Promise<void> {
    if (!this.connection) return;
    const event = type === 'REG' ? 'register-receiver' : 'apply-password-change';
    const r = await this.connection.act(event, `${type}:${text}`, { text });
    if ('error' in r && r.error) return void (this.result = this.failed(event, r.error));
    const name = 'receiver' in r ? r.receiver.name : '';
    this.result = { ok: true, text: type === 'REG' ? { ja: `登録しました: ${name}`, en: `Registered: ${name}` } : { ja: `パスワード変更を反映しました: ${name}`, en: `Password change applied: ${name}` } };
  }

  private async reprint(ticketId: string): Promise<void> {
    if (!this.connection) return;
    const r = await this.connection.act('reprint', `reprint:${ticketId}`, { ticketId });
    this.result = 'error' in r && r.error ? this.failed('reprint', r.error, this.currentTicket(ticketId)) : { ok: true, text: { ja: '再印刷しました', en: 'Printed again' } };
  }

  static override styles = [theme, workPanelStyles];
}

function workKey(w: Work | undefined): string {
  if (!w) return '';
  return w.kind === 'ticket' ? `t:${w.ticket.id}` : w.kind === 'scan' ? `s:${w.text}` : `l:${w.receiptNumber}`;
}

declare global {
  interface HTMLElementTagNameMap {
    'kiosk-work-panel': KioskWorkPanel;
  }
}
