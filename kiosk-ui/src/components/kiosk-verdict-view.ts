// The self-service verdict: a ticket number people can read from two metres, or the reason in
// plain words. Touching anywhere dismisses it (the screen also returns to idle on a timer).
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { VerdictEvent } from '../../../protocol/events.js';
import { fireEvent } from '../common/fire-event.js';
import { formatOpensAt } from '../common/format.js';
import { outcomeColors } from '../styles/outcome.js';
import { theme } from '../styles/theme.js';

@customElement('kiosk-verdict-view')
export class KioskVerdictView extends LitElement {
  @property({ attribute: false }) event?: VerdictEvent;
  /** False when the printer cannot print: tell the person to say the number at the counter. */
  @property({ type: Boolean }) printerOk = true;
  /** What became of a reprint request: null before one. */
  @property({ attribute: false }) reprint: 'sent' | 'failed' | null = null;

  protected override render(): TemplateResult | typeof nothing {
    const e = this.event;
    if (!e) return nothing;
    const v = e.verdict;
    const kind = v.outcome === 'accepted' ? (e.ticket ? 'ticket' : 'no-ticket') : v.outcome;
    return html`<section class="card ${v.outcome}" data-outcome=${v.outcome} data-reason=${v.reason ?? ''} @click=${this.dismiss}>
      ${kind === 'ticket' ? this.renderTicket(e) : kind === 'no-ticket' ? this.renderNoTicket(e) : this.renderProblem(e)}
      <button class="secondary close" @click=${this.dismiss}>閉じる <span lang="en">Close</span></button>
    </section>`;
  }

  private renderTicket(e: VerdictEvent): TemplateResult {
    const items = e.verdict.applications.length;
    const q = e.queue;
    return html`
      ${e.repeat
        ? html`<p class="lead">この番号札はすでに発行されています <span lang="en" class="en">Your ticket was already issued</span></p>`
        : html`<p class="lead">受付しました <span lang="en" class="en">Accepted</span></p>`}
      <p class="label">番号 <span lang="en" class="en">Your number</span></p>
      <p class="number" data-ticket-number>${e.ticket?.number}</p>
      <p class="facts">
        <span>交付物 <strong>${items}</strong> 件 <span lang="en" class="en">${items} item(s)</span></span>
        ${q ? html`<span>お待ちの方 <strong>${q.waiting}</strong> 人 <span lang="en" class="en">${q.waiting} waiting</span></span>` : nothing}
        ${q?.estimatedWaitMinutes == null
          ? nothing
          : q.estimatedWaitMinutes < 1
            ? html`<span>まもなくお呼びします <span lang="en" class="en">You will be called soon</span></span>`
            : html`<span>待ち時間の目安 約 <strong>${q.estimatedWaitMinutes}</strong> 分 <span lang="en" class="en">about ${q.estimatedWaitMinutes} min</span></span>`}
      </p>
      ${!this.printerOk
        ? html`<p class="warn">番号札を印刷できません。この番号を窓口でお伝えください。<span lang="en" class="en">The ticket cannot be printed. Tell this number at the counter.</span></p>`
        : e.repeat
          ? this.renderReprint(e)
          : html`<p class="take">番号札をお取りください <span lang="en" class="en">Please take your ticket</span></p>`}
    `;
  }

  private renderReprint(e: VerdictEvent): TemplateResult {
    if (this.reprint === 'sent') return html`<p class="take" data-reprint="sent">番号札を再印刷しました <span lang="en" class="en">Your ticket was printed again</span></p>`;
    if (this.reprint === 'failed') return html`<p class="warn" data-reprint="failed">再印刷できませんでした。窓口でお伝えください。<span lang="en" class="en">Could not reprint. Please tell the counter.</span></p>`;
    return html`<button class="primary" data-reprint-button @click=${(ev: Event) => {
        ev.stopPropagation();
        fireEvent(this, 'kiosk-reprint', { scanId: e.scanId });
      }}>番号札を再印刷 <span lang="en">Print my ticket again</span></button>`;
  }

  private renderNoTicket(e: VerdictEvent): TemplateResult {
    const n = e.noTicket;
    const opens = n?.opensAt ? formatOpensAt(n.opensAt) : null;
    return html`
      <p class="lead">コードは有効です <span lang="en" class="en">Your code is valid</span></p>
      ${n
        ? html`<p class="message" data-no-ticket=${n.reason}>${n.message.ja}<span lang="en" class="en block">${n.message.en}</span></p>`
        : html`<p class="message">${e.verdict.message.ja}<span lang="en" class="en block">${e.verdict.message.en}</span></p>`}
      ${opens?.ja ? html`<p class="facts"><span>受付開始 <strong>${opens.ja}</strong> <span lang="en" class="en">Opens ${opens.en}</span></span></p>` : nothing}
      ${n?.reason === 'QUEUE_FULL' ? html`<p class="take">窓口へお越しください <span lang="en" class="en">Please go to the counter</span></p>` : nothing}
    `;
  }

  private renderProblem(e: VerdictEvent): TemplateResult {
    const m = e.verdict.message;
    const toCounter = e.verdict.outcome === 'refer' && !m.ja.includes('窓口');
    return html`
      <p class="lead">${e.verdict.outcome === 'refer' ? html`確認が必要です <span lang="en" class="en">Please check with staff</span>` : html`お受け取りできません <span lang="en" class="en">Cannot collect</span>`}</p>
      <p class="message" data-message>${m.ja}<span lang="en" class="en block">${m.en}</span></p>
      ${toCounter ? html`<p class="take">窓口へお越しください <span lang="en" class="en">Please go to the counter</span></p>` : nothing}
    `;
  }

  private dismiss(ev: Event): void {
    ev.stopPropagation();
    fireEvent(this, 'kiosk-dismiss', undefined);
  }

  static override styles = [
    theme,
    css`
      .card {
        box-sizing: border-box;
        min-height: 100%;
        padding: 32px 40px;
        border-radius: 24px;
        border: 6px solid var(--k-line);
        display: flex;
        flex-direction: column;
        align-items: center;
        text-align: center;
        gap: 12px;
      }
      p {
        margin: 0;
      }
      .lead {
        font-size: 40px;
        font-weight: 700;
      }
      .label {
        font-size: 28px;
      }
      .number {
        font-size: clamp(120px, 22vw, 260px);
        line-height: 1;
        font-weight: 800;
        letter-spacing: 0.04em;
        font-variant-numeric: tabular-nums;
        color: #000;
      }
      .facts {
        display: flex;
        flex-wrap: wrap;
        justify-content: center;
        gap: 8px 32px;
        font-size: 28px;
      }
      .facts strong {
        font-size: 40px;
      }
      .message {
        font-size: 34px;
        font-weight: 700;
        max-width: 28em;
      }
      .block {
        display: block;
        font-weight: 400;
        font-size: 24px;
        margin-top: 8px;
      }
      .take {
        font-size: 36px;
        font-weight: 700;
        color: var(--k-primary);
      }
      .warn {
        font-size: 28px;
        font-weight: 700;
        color: #fff;
        background: var(--k-bad);
        padding: 8px 16px;
        border-radius: 10px;
      }
      .warn .en {
        color: #fff;
      }
      .close {
        margin-top: auto;
        min-width: 200px;
      }
    `,
    outcomeColors,
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    'kiosk-verdict-view': KioskVerdictView;
  }
}
