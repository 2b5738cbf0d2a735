// The counter's current piece of work: a scanned code, a called/selected ticket or a lookup.
// Performs the item actions itself (handover, register, password change, reprint) with ids that
// survive retries.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { TicketRef, TicketView } from '../../../protocol/events.js';
import type { Verdict, VerdictApplication } from '../../../protocol/verdict.js';
import { ActionIds, isUnanswered } from '../data/action-ids.js';
import type { StaffConnection } from '../data/staff-connection.js';
import { stackHost } from '../styles/layout.js';
import { outcomeColors } from '../styles/outcome.js';
import { theme } from '../styles/theme.js';
import type { HandoverProgress } from './kiosk-handover-panel.js';
import './kiosk-handover-panel.js';

export type Work =
  | { kind: 'ticket'; ticket: TicketView }
  | { kind: 'scan'; text: string; verdict: Verdict; ticket: TicketRef | null; items: TicketView | null }
  | { kind: 'lookup'; receiptNumber: string; application: (VerdictApplication & { status: string; office: string }) | null };

@customElement('kiosk-work-panel')
export class KioskWorkPanel extends LitElement {
  @property({ attribute: false }) work?: Work;
  @property({ attribute: false }) connection?: StaffConnection;
  @state() private progress: Record<string, HandoverProgress> = {};
  @state() private docsChecked = false;
  @state() private result = '';
  private readonly ids = new ActionIds();

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    const prev = changed.get('work') as Work | undefined;
    if (changed.has('work') && workKey(prev) !== workKey(this.work)) {
      this.docsChecked = false;
      this.result = '';
    }
  }

  protected override render(): TemplateResult | typeof nothing {
    const w = this.work;
    if (!w) return html`<p class="hint">チケットを呼び出すか、コードを読み取ってください <span lang="en" class="en">Call a ticket or scan a code</span></p>`;
    return html`${w.kind === 'ticket' ? this.renderTicket(w.ticket) : w.kind === 'scan' ? this.renderScan(w) : this.renderLookup(w)}
      ${this.result ? html`<p class="result" role="status" data-result>${this.result}</p>` : nothing}`;
  }

  private renderTicket(t: TicketView): TemplateResult {
    return html`<h2><span class="num" data-current-ticket>${t.number}</span> ${t.codeType} ${t.receiverNameMasked ?? ''}</h2>
      ${this.items(t.items, t.id)} ${this.reprintButton(t.id)}`;
  }

  private renderScan(w: Extract<Work, { kind: 'scan' }>): TemplateResult {
    const v = w.verdict;
    const ticketId = w.items?.id ?? w.ticket?.id ?? '';
    const items = w.items?.items ?? v.applications;
    return html`<div class="banner ${v.outcome}" data-outcome=${v.outcome}>
        <strong>${v.codeType ?? '?'} ・ ${v.outcome}${v.reason ? ` (${v.reason})` : ''}</strong>
        <div>${v.message.ja}</div><div class="en" lang="en">${v.message.en}</div>
        ${v.receiver ? html`<div>受取者 ${v.receiver.name}</div>` : nothing}
      </div>
      ${w.ticket || w.items ? html`<h2>番号 <span class="num">${w.items?.number ?? w.ticket?.number}</span></h2>` : nothing}
      ${v.outcome === 'accepted' && (v.codeType === 'APP' || v.codeType === 'AUTH') ? this.items(items, ticketId) : nothing}
      ${v.excluded.length ? html`<p>対象外: ${v.excluded.map((x) => x.receiptNumber).join(', ')}（個別コードが必要）</p>` : nothing}
      ${v.outcome === 'accepted' && (v.codeType === 'REG' || v.codeType === 'PWD') ? this.docsAction(w.text, v.codeType) : nothing}
      ${ticketId ? this.reprintButton(ticketId) : nothing}`;
  }

  private renderLookup(w: Extract<Work, { kind: 'lookup' }>): TemplateResult {
    const a = w.application;
    if (!a) return html`<p class="banner rejected">受付番号 ${w.receiptNumber} は見つかりません</p>`;
    return html`<p class="banner refer">手動照会 ・ 状態 <strong>${a.status}</strong> ・ 事務所 ${a.office}</p>
      ${this.items([{ ...a, handedOver: a.status === 'collected' }], '', a.status !== 'ready')}`;
  }

  private items(items: (VerdictApplication & { handedOver?: boolean })[], ticketId: string, readOnly = false): TemplateResult {
    if (readOnly) items = items.map((i) => ({ ...i, handedOver: true }));
    return html`<kiosk-handover-panel .items=${items} ticketId=${ticketId} .progress=${this.progress}
      @handover-confirm=${(e: CustomEvent<{ receiptNumber: string; ticketId?: string }>) => void this.handover(e.detail.receiptNumber, e.detail.ticketId)}></kiosk-handover-panel>`;
  }

  private docsAction(text: string, type: 'REG' | 'PWD'): TemplateResult {
    const label = type === 'REG' ? '受取者を登録する' : 'パスワード変更を反映する';
    return html`<div class="docs">
      <label><input type="checkbox" .checked=${this.docsChecked} @change=${(e: Event) => (this.docsChecked = (e.target as HTMLInputElement).checked)} />
        提出書類を確認しました <span lang="en" class="en">Documents checked</span></label>
      <button data-docs-action=${type} ?disabled=${!this.docsChecked} @click=${() => void this.applyDocs(text, type)}>${label}</button>
    </div>`;
  }

  private reprintButton(ticketId: string): TemplateResult {
    return html`<button class="secondary" data-reprint @click=${() => void this.reprint(ticketId)}>番号札を再印刷 <span lang="en">Reprint</span></button>`;
  }

  private async handover(receiptNumber: string, ticketId?: string): Promise<void> {
    if (!this.connection) return;
    const key = `handover:${receiptNumber}`;
    this.progress = { ...this.progress, [receiptNumber]: 'pending' };
    const payload = ticketId ? { id: this.ids.idFor(key), receiptNumber, ticketId } : { id: this.ids.idFor(key), receiptNumber };
    const r = await this.connection.send('handover', payload);
    const err = 'error' in r && r.error ? r.error : null;
    if (!err || !isUnanswered(err.code)) this.ids.settle(key);
    this.progress = { ...this.progress, [receiptNumber]: err ? { error: `${err.message} (${err.code})` } : 'done' };
  }

  private async applyDocs(text: string, type: 'REG' | 'PWD'): Promise<void> {
    if (!this.connection) return;
    const key = `${type}:${text}`;
    const event = type === 'REG' ? 'register-receiver' : 'apply-password-change';
    const r = await this.connection.send(event, { id: this.ids.idFor(key), text });
    const err = 'error' in r && r.error ? r.error : null;
    if (!err || !isUnanswered(err.code)) this.ids.settle(key);
    this.result = err ? `失敗: ${err.message} (${err.code})` : type === 'REG' ? `登録しました: ${'receiver' in r ? r.receiver.name : ''}` : `パスワード変更を反映しました: ${'receiver' in r ? r.receiver.name : ''}`;
  }

  private async reprint(ticketId: string): Promise<void> {
    if (!this.connection) return;
    const key = `reprint:${ticketId}`;
    const r = await this.connection.send('reprint', { id: this.ids.idFor(key), ticketId });
    const err = 'error' in r && r.error ? r.error : null;
    if (!err || !isUnanswered(err.code)) this.ids.settle(key);
    this.result = err ? `再印刷できません: ${err.message}` : '再印刷しました';
  }

  static override styles = [
    theme,
    stackHost,
    css`
      h2 {
        margin: 0;
      }
      button[data-reprint] {
        align-self: flex-start;
      }
      .num {
        font-size: 48px;
        font-weight: 800;
      }
      .banner {
        padding: 12px 16px;
        border-radius: 10px;
        border: 3px solid var(--k-line);
        margin: 0;
      }
      .docs {
        display: flex;
        gap: 16px;
        align-items: center;
      }
      .docs label {
        display: flex;
        align-items: center;
        gap: 8px;
        min-height: 48px;
      }
      input[type='checkbox'] {
        width: 32px;
        height: 32px;
      }
      .result {
        font-weight: 700;
      }
      .hint {
        color: var(--k-muted);
      }
    `,
    outcomeColors,
  ];
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
