// The self-service result: a ticket number people can read from two metres and where that ticket
// stands now (waiting with N ahead, called to a counter, done), or the reason in plain words with
// the next step. It closes by itself with a visible countdown; a touch anywhere gives more time.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { TicketPosition, VerdictEvent } from '../../../protocol/events.js';
import type { LocalizedText, VerdictApplication } from '../../../protocol/verdict.js';
import { fireEvent } from '../common/fire-event.js';
import { bi, type Lang } from '../common/i18n.js';
import { NEXT_STEP, procedureWords } from '../common/words.js';
import { consumeProperty } from '../context/consume-property.js';
import { languageContext } from '../context/kiosk-context.js';
import { outcomeColors } from '../styles/outcome.js';
import { theme } from '../styles/theme.js';
import { verdictStyles } from './kiosk-verdict-view.styles.js';
import './kiosk-countdown.js';

/** More vehicles than this are summed up as "and N more", so the card still fits the screen. */
const VEHICLES_SHOWN = 4;

@customElement('kiosk-verdict-view')
export class KioskVerdictView extends LitElement {
  @property({ attribute: false }) event?: VerdictEvent;
  /** False when the printer cannot print: tell the person to say the number at the counter. */
  @property({ type: Boolean }) printerOk = true;
  /** What became of a reprint request: null before one. */
  @property({ attribute: false }) reprint: 'sent' | 'failed' | null = null;
  /** Seconds until the screen closes by itself, and the full count. */
  @property({ type: Number }) remaining = 0;
  @property({ type: Number }) total = 15;
  @property({ attribute: false }) procedureTypes: Record<string, LocalizedText> | undefined;

  @consumeProperty(languageContext)
  language: Lang = 'ja';

  private b(t: LocalizedText, block = false): TemplateResult {
    return bi(this.language, t, block);
  }

  protected override render(): TemplateResult | typeof nothing {
    const e = this.event;
    if (!e) return nothing;
    const v = e.verdict;
    const kind = v.outcome === 'accepted' ? (e.ticket ? 'ticket' : 'no-ticket') : 'problem';
    return html`<section class="card ${v.outcome}" data-fit data-scan=${e.scanId} data-outcome=${v.outcome} data-reason=${v.reason ?? ''} data-position=${e.position?.status ?? ''}>
      <div class="body ${kind}">${kind === 'ticket' ? this.renderTicket(e) : kind === 'no-ticket' ? this.renderNoTicket(e) : this.renderProblem(e)}</div>
      <footer>
        <kiosk-countdown .remaining=${this.remaining} .total=${this.total}></kiosk-countdown>
        <button class="secondary close" data-close @click=${this.dismiss}>${this.b({ ja: '閉じる', en: 'Close' })}</button>
      </footer>
    </section>`;
  }

  private renderTicket(e: VerdictEvent): TemplateResult {
    const pos = e.position ?? (e.queue ? { status: 'waiting' as const, ahead: e.queue.waiting, estimatedWaitMinutes: e.queue.estimatedWaitMinutes } : undefined);
    return html`<div class="main">
        ${this.lead(e, pos)}
        ${pos?.status === 'called' ? html`<p class="called-to" data-called-to=${pos.counter}>${this.b({ ja: `${pos.counter}番窓口へお越しください`, en: `Please go to counter ${pos.counter}` }, true)}</p>` : nothing}
        <p class="label">${this.b({ ja: '番号', en: 'Your number' })}</p>
        <p class="number ${pos?.status === 'called' ? 'small' : ''}" data-ticket-number>${e.ticket?.number}</p>
        ${pos?.status === 'waiting' ? this.waiting(pos) : nothing}
      </div>
      <div class="side">${this.items(e.verdict.applications)} ${this.excluded(e)} ${this.ticketStep(e, pos)}</div>`;
  }

  private lead(e: VerdictEvent, pos: TicketPosition | undefined): TemplateResult {
    if (!e.repeat) return html`<h1 class="lead">${this.b({ ja: '受付しました', en: 'Accepted' })}</h1>`;
    switch (pos?.status) {
      case 'called':
        return html`<h1 class="lead">${this.b({ ja: 'お呼びしています', en: 'You have been called' })}</h1>`;
      case 'done':
        return html`<h1 class="lead">${this.b({ ja: 'お受け取りは完了しています', en: 'Your items have been handed over' })}</h1>`;
      case 'cancelled':
        return html`<h1 class="lead">${this.b({ ja: 'この番号札は取り消されています', en: 'This ticket was cancelled' })}</h1>`;
      case 'no-show':
        return html`<h1 class="lead">${this.b({ ja: 'お呼びしましたが、お見えにならなかったため保留にしています', en: 'You were called but were not there; your ticket is on hold' })}</h1>`;
      default:
        return html`<h1 class="lead">${this.b({ ja: 'この番号でお待ちください', en: 'Please wait with this number' })}</h1>`;
    }
  }

  private waiting(p: Extract<TicketPosition, { status: 'waiting' }>): TemplateResult {
    const m = p.estimatedWaitMinutes;
    return html`<p class="facts" data-ahead=${p.ahead}>
      ${p.ahead === 0
        ? html`<span>${this.b({ ja: '次にお呼びします', en: 'You are next' })}</span>`
        : html`<span>${this.b({ ja: `あなたの前に ${p.ahead} 人`, en: `${p.ahead} ahead of you` })}</span>`}
      ${m == null || p.ahead === 0 ? nothing : m < 1 ? html`<span>${this.b({ ja: 'まもなくお呼びします', en: 'Soon' })}</span>` : html`<span>${this.b({ ja: `目安 約 ${m} 分`, en: `About ${m} min` })}</span>`}
    </p>`;
  }

  private ticketStep(e: VerdictEvent, pos: TicketPosition | undefined): TemplateResult | typeof nothing {
    const status = pos?.status;
    if (status === 'done') return html`<p class="step">${this.b({ ja: 'お心当たりがない場合は、窓口へお越しください。', en: 'If you did not collect them, please come to the counter.' }, true)}</p>`;
    if (status === 'cancelled' || status === 'no-show') return html`<p class="take">${this.b({ ja: '窓口へお越しください', en: 'Please go to the counter' }, true)}</p>`;
    if (status === 'called') return nothing;
    if (!this.printerOk) return html`<p class="warn">${this.b({ ja: '番号札を印刷できません。この番号を窓口でお伝えください。', en: 'The ticket cannot be printed. Tell this number at the counter.' }, true)}</p>`;
    if (e.repeat) return this.renderReprint(e);
    return html`<p class="take">${this.b({ ja: '番号札をお取りください', en: 'Please take your ticket' }, true)}</p>`;
  }

  /** The vehicles this ticket is for: registration and the chassis number's last four digits. */
  private items(apps: VerdictApplication[]): TemplateResult | typeof nothing {
    if (apps.length === 0) return nothing;
    const shown = apps.slice(0, apps.length > VEHICLES_SHOWN + 1 ? VEHICLES_SHOWN : apps.length);
    const more = apps.length - shown.length;
    return html`<div class="items">
      <p class="items-title">${this.b({ ja: `交付物 ${apps.length} 件`, en: `${apps.length} item(s)` })} ・ ${this.b(this.procedures(apps))}</p>
      <ul>
        ${shown.map(
          (a) => html`<li data-vehicle=${a.receiptNumber}>
            <span class="reg">${a.vehicle.registration ?? '—'}</span>
            ${a.vehicle.chassisLast4 ? html`<span class="chassis">${this.language === 'ja' ? '車台番号下4桁' : 'chassis …'}${a.vehicle.chassisLast4}</span>` : nothing}
          </li>`,
        )}
        ${more > 0 ? html`<li class="more">${this.b({ ja: `ほか ${more} 件`, en: `and ${more} more` })}</li>` : nothing}
      </ul>
    </div>`;
  }

  /** The procedures these items are for, each named once. */
  private procedures(apps: VerdictApplication[]): LocalizedText {
    const names = [...new Set(apps.map((a) => a.procedureType))].map((p) => procedureWords(p, this.procedureTypes));
    return { ja: names.map((n) => n.ja).join('・'), en: names.map((n) => n.en).join(', ') };
  }

  /** Applications the code covers that it cannot collect, and why. */
  private excluded(e: VerdictEvent): TemplateResult | typeof nothing {
    const x = e.verdict.excluded;
    if (x.length === 0) return nothing;
    return html`<div class="excluded" data-excluded=${x.length}>
      <p>${this.b({ ja: `このコードでは受け取れない申請 ${x.length} 件`, en: `${x.length} not with this code` })}:
        ${x.map((r) => (this.language === 'ja' ? `受付番号…${r.receiptNumber.slice(-4)}` : `receipt …${r.receiptNumber.slice(-4)}`)).join(', ')}</p>
      <p class="why">${this.b({ ja: '申請ごとのコードが発行されています。その申請のコードをかざしてください。', en: 'Each has its own code: scan that code.' }, true)}</p>
    </div>`;
  }

  private renderReprint(e: VerdictEvent): TemplateResult {
    if (this.reprint === 'sent') return html`<p class="take" data-reprint="sent">${this.b({ ja: '番号札を再印刷しました', en: 'Your ticket was printed again' }, true)}</p>`;
    if (this.reprint === 'failed') return html`<p class="warn" data-reprint="failed">${this.b({ ja: '再印刷できませんでした。窓口でお伝えください。', en: 'Could not reprint. Please tell the counter.' }, true)}</p>`;
    return html`<button class="primary" data-reprint-button @click=${(ev: Event) => {
        ev.stopPropagation();
        fireEvent(this, 'kiosk-reprint', { scanId: e.scanId });
      }}>${this.b({ ja: '番号札を再印刷', en: 'Print my ticket again' })}</button>`;
  }

  private renderNoTicket(e: VerdictEvent): TemplateResult {
    const n = e.noTicket;
    const m = n?.message ?? e.verdict.message;
    // The daemon's message already ends with the step (go to the counter, opening time): never repeat it.
    return html`<div class="main">
      <h1 class="lead">${this.b({ ja: 'コードは有効です', en: 'Your code is valid' })}</h1>
      <p class="message" data-no-ticket=${n?.reason ?? ''}>${this.b(m, true)}</p>
    </div>
    <div class="side">${this.items(e.verdict.applications)}</div>`;
  }

  private renderProblem(e: VerdictEvent): TemplateResult {
    const v = e.verdict;
    const m = v.message;
    const step = v.reason ? NEXT_STEP[v.reason] : undefined;
    const toCounter = v.outcome === 'refer' && !m.ja.includes('窓口') && !step;
    return html`<div class="main">
      <h1 class="lead">${v.outcome === 'refer' ? this.b({ ja: '確認が必要です', en: 'Please check with staff' }) : this.b({ ja: 'お受け取りできません', en: 'Cannot collect' })}</h1>
      <p class="message" data-message>${this.b(m, true)}</p>
      ${step ? html`<p class="step" data-next-step>${this.b(step, true)}</p>` : nothing}
      ${toCounter ? html`<p class="take">${this.b({ ja: '窓口へお越しください', en: 'Please go to the counter' }, true)}</p>` : nothing}
    </div>`;
  }

  private dismiss(ev: Event): void {
    ev.stopPropagation();
    fireEvent(this, 'kiosk-dismiss', undefined);
  }

  static override styles = [theme, verdictStyles, outcomeColors];
}

declare global {
  interface HTMLElementTagNameMap {
    'kiosk-verdict-view': KioskVerdictView;
  }
}
