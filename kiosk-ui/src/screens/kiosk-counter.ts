// Counter screen (/counter): staff sign in, choose this station's counter once, then work the
// queue — call next, scan codes and tickets (a scanner never types into a field), recall, set
// aside, put back, cancel, hand items over, register receivers, look up by receipt number,
// resolve conflicts. Everything in the staff member's language.
import { ContextProvider } from '@lit/context';
import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { ActionError, CounterState, KioskState, TicketView } from '../../../protocol/events.js';
import type { LocalizedText } from '../../../protocol/verdict.js';
import { actionFailure } from '../common/action-words.js';
import { tr, type Lang } from '../common/i18n.js';
import { WedgeCapture } from '../common/wedge-capture.js';
import { consumeProperty } from '../context/consume-property.js';
import { daemonLinkContext, kioskStateContext, languageContext, type LinkState } from '../context/kiosk-context.js';
import { isUnanswered } from '../data/action-ids.js';
import { StaffConnection } from '../data/staff-connection.js';
import { loadSession, signOut, type StaffSession } from '../data/staff-session.js';
import { resultLine, screenHost } from '../styles/layout.js';
import { theme } from '../styles/theme.js';
import type { Work } from '../components/kiosk-work-panel.js';
import { counterStyles } from './kiosk-counter.styles.js';
import '../components/kiosk-status-strip.js';
import '../components/kiosk-language-switch.js';
import '../components/kiosk-staff-sign-in.js';
import '../components/kiosk-counter-picker.js';
import '../components/kiosk-alert-list.js';
import '../components/kiosk-queue-list.js';
import '../components/kiosk-work-panel.js';
import '../components/kiosk-conflict-list.js';
import '../components/kiosk-lookup-form.js';

/** This counter PC's counter, kept in its browser and checked against the office's list on every load. */
const COUNTER_KEY = 'kiosk.counterNumber';
/** What a scan at the counter begins with: a KQ1 code or a ticket's QR. */
const SCAN_PREFIXES = ['KQ1', 'KT-'];

type Message = { text: LocalizedText; ok: boolean; /** About the link: cleared when it is back. */ transient?: boolean };

@customElement('kiosk-counter')
export class KioskCounter extends LitElement {
  @state() private session: StaffSession | null = loadSession();
  @state() private notice: LocalizedText | null = null;
  @state() private counterState: CounterState = { queue: [], conflicts: [], outboxDepth: 0 };
  @state() private kioskState: KioskState | undefined;
  @state() private link: LinkState = 'connecting';
  @state() private counterNo = readCounter();
  @state() private picking = false;
  @state() private work: Work | undefined;
  @state() private message: Message | null = null;

  @consumeProperty(languageContext)
  language: Lang = 'ja';

  private connection: StaffConnection | undefined;
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;
  // The /staff namespace is the source of truth for this subtree (the /kiosk namespace only admits
  // loopback screens, and a counter PC is usually not the daemon's host).
  private readonly stateProvider = new ContextProvider(this, { context: kioskStateContext, initialValue: undefined });
  private readonly linkProvider = new ContextProvider(this, { context: daemonLinkContext, initialValue: 'connecting' as LinkState });
  /** A scanner typing while no field has focus — or into a field, at scanner speed — is a scan. */
  private readonly wedge = new WedgeCapture({ onScan: (text) => void this.scan(text), scanPrefixes: SCAN_PREFIXES });

  override connectedCallback(): void {
    super.connectedCallback();
    this.wedge.start(window);
    if (this.session) this.open(this.session);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.wedge.stop();
    this.close();
  }

  private t(text: LocalizedText): string {
    return tr(this.language, text);
  }

  private open(s: StaffSession): void {
    this.close();
    this.session = s;
    this.connection = new StaffConnection(s.token, {
      counterState: (cs) => (this.counterState = cs),
      state: (ks) => this.onState(ks),
      link: (up) => this.onLink(up ? 'up' : 'down'),
      sessionEnded: () => this.end({ ja: 'セッションが終了しました。もう一度サインインしてください', en: 'Your session ended. Please sign in again' }),
    });
    this.expiryTimer = setTimeout(() => this.end({ ja: 'セッションの有効期限が切れました', en: 'Your session expired' }), Math.max(0, Date.parse(s.expiresAt) - Date.now()));
  }

  private onState(ks: KioskState): void {
    this.kioskState = ks;
    this.stateProvider.setValue(ks);
    // The office's list is the authority: a stored counter it no longer has must be chosen again.
    if (this.counterNo && !ks.counters.includes(this.counterNo)) this.chooseCounter('');
  }

  private onLink(link: LinkState): void {
    this.link = link;
    this.linkProvider.setValue(link);
    if (link === 'up' && this.message?.transient) this.message = null;
  }

  private close(): void {
    clearTimeout(this.expiryTimer);
    this.connection?.close();
    this.connection = undefined;
  }

  private end(notice: LocalizedText): void {
    const s = this.session;
    this.close();
    this.session = null;
    this.work = undefined;
    this.message = null;
    this.notice = notice;
    this.onLink('connecting');
    if (s) void signOut(s);
  }

  private chooseCounter(counter: string): void {
    this.counterNo = counter;
    this.picking = false;
    try {
      if (counter) localStorage.setItem(COUNTER_KEY, counter);
      else localStorage.removeItem(COUNTER_KEY);
    } catch {
      /* storage disabled: chosen until reload */
    }
  }

  private get counterReady(): boolean {
    return !!this.counterNo && !!this.kioskState?.counters.includes(this.counterNo);
  }

  protected override render(): TemplateResult {
    if (!this.session) {
      return html`<header class="signin-head"><kiosk-language-switch></kiosk-language-switch></header>
        <main><kiosk-staff-sign-in .notice=${this.notice} @staff-signed-in=${(e: CustomEvent<StaffSession>) => ((this.notice = null), this.open(e.detail))}></kiosk-staff-sign-in></main>`;
    }
    const pick = this.kioskState && (!this.counterReady || this.picking);
    return html`<header>
        <kiosk-status-strip audience="staff"><kiosk-language-switch></kiosk-language-switch></kiosk-status-strip>
        <div class="bar">
          <h1 data-counter-title>${this.counterReady ? this.t({ ja: `${this.counterNo}番窓口`, en: `Counter ${this.counterNo}` }) : this.t({ ja: '窓口', en: 'Counter' })}</h1>
          ${this.counterReady ? html`<button class="secondary" data-change-counter @click=${() => (this.picking = !this.picking)}>${this.t({ ja: '窓口番号を変更', en: 'Change counter' })}</button>` : nothing}
          <span>${this.t({ ja: '職員', en: 'Staff' })} <strong data-staff>${this.session.staffId}</strong></span>
          <span>${this.t({ ja: `本部へ未送信 ${this.counterState.outboxDepth} 件`, en: `${this.counterState.outboxDepth} not yet sent to the hub` })}</span>
          <button class="secondary sign-out" data-sign-out @click=${() => this.end({ ja: 'サインアウトしました', en: 'Signed out' })}>${this.t({ ja: 'サインアウト', en: 'Sign out' })}</button>
        </div>
        ${this.link === 'down'
          ? html`<p class="down" role="alert" data-out-of-service>${this.t({ ja: 'キオスク本体に接続できません。再接続するまで操作は送られません（自動で再接続します）。', en: 'Cannot reach the kiosk server. Nothing is sent until it reconnects (it does so by itself).' })}</p>`
          : nothing}
        <kiosk-alert-list .alerts=${this.kioskState?.alerts ?? []}></kiosk-alert-list>
      </header>
      ${pick
        ? html`<main class="pick"><kiosk-counter-picker .counters=${this.kioskState?.counters ?? []} selected=${this.counterNo}
            @counter-choose=${(e: CustomEvent<{ counter: string }>) => this.chooseCounter(e.detail.counter)}></kiosk-counter-picker></main>`
        : this.renderWork()}`;
  }

  private renderWork(): TemplateResult {
    const cs = this.counterState;
    const off = this.link !== 'up';
    return html`<main class="cols">
      <section class="queue" aria-label=${this.t({ ja: '順番待ち', en: 'Queue' })}>
        <button class="call" data-call-next ?disabled=${off || !this.counterReady} @click=${this.callNext}>${this.t({ ja: '次の方を呼ぶ', en: 'Call next' })}</button>
        <kiosk-queue-list .tickets=${cs.queue} selected=${this.work?.kind === 'ticket' ? this.work.ticket.id : ''}
          @ticket-select=${(e: CustomEvent<{ ticketId: string }>) => this.selectTicket(e.detail.ticketId)}></kiosk-queue-list>
      </section>
      <section class="work" aria-label=${this.t({ ja: '対応中', en: 'Now serving' })}>
        ${this.message ? html`<p class="result-line ${this.message.ok ? 'good' : 'bad'}" role="status" data-message>${this.t(this.message.text)}</p>` : nothing}
        <kiosk-work-panel .work=${this.current()} .connection=${this.connection} counter=${this.counterNo} .procedureTypes=${this.kioskState?.procedureTypes}
          .office=${this.kioskState?.office} @work-ticket=${(e: CustomEvent<{ ticket: TicketView }>) => (this.work = { kind: 'ticket', ticket: e.detail.ticket })}></kiosk-work-panel>
        <h2>${this.t({ ja: '受付番号で照会', en: 'Look up by receipt number' })}</h2>
        <kiosk-lookup-form @lookup-request=${(e: CustomEvent<{ receiptNumber: string; reason: string }>) => void this.lookup(e.detail.receiptNumber, e.detail.reason)}></kiosk-lookup-form>
        <h2>${this.t({ ja: `同期の競合 (${cs.conflicts.length})`, en: `Sync conflicts (${cs.conflicts.length})` })}</h2>
        <kiosk-conflict-list .conflicts=${cs.conflicts} @conflict-resolve=${(e: CustomEvent<{ conflictId: string; note: string }>) => void this.resolve(e.detail.conflictId, e.detail.note)}></kiosk-conflict-list>
      </section>
    </main>`;
  }

  /** The selected ticket as the latest counter-state has it (items get ticked off live). */
  private current(): Work | undefined {
    const w = this.work;
    if (w?.kind !== 'ticket') return w;
    const fresh = this.counterState.queue.find((t) => t.id === w.ticket.id);
    // An action's answer can arrive a moment before the counter-state that includes it.
    return fresh && fresh.calls >= w.ticket.calls ? { kind: 'ticket', ticket: fresh } : w;
  }

  private selectTicket(id: string): void {
    const t = this.counterState.queue.find((x) => x.id === id);
    if (t) this.work = { kind: 'ticket', ticket: t };
  }

  private fail(action: Parameters<typeof actionFailure>[0], error: ActionError): void {
    this.message = { ok: false, text: actionFailure(action, error), transient: isUnanswered(error.code) };
  }

  private async callNext(): Promise<void> {
    if (!this.connection || !this.counterReady) return;
    const r = await this.connection.act('call-next', `call-next:${this.counterNo}`, { counter: this.counterNo });
    if ('error' in r) return this.fail('call-next', r.error);
    if (!r.ticket) this.message = { ok: true, text: { ja: '待っている方はいません', en: 'Nobody is waiting' } };
    else {
      this.message = { ok: true, text: { ja: `${r.ticket.number} を ${this.counterNo}番窓口に呼び出しました`, en: `Called ${r.ticket.number} to counter ${this.counterNo}` } };
      this.work = { kind: 'ticket', ticket: r.ticket };
    }
  }

  private async scan(text: string): Promise<void> {
    if (!this.session) return;
    if (!this.counterReady) return void (this.message = { ok: false, text: { ja: '先にこの端末の窓口番号を選んでください', en: 'Choose this station’s counter first' } });
    if (!this.connection) return;
    const r = await this.connection.act('scan', `scan:${text}`, { text, counter: this.counterNo });
    if ('error' in r) return this.fail('scan', r.error);
    this.message = null;
    // A scanned ticket QR comes back as the ticket itself (verdict: null); a waiting one is called here.
    if (r.items) {
      this.work = { kind: 'ticket', ticket: r.items };
      if (r.items.status === 'called' && r.items.counter === this.counterNo) {
        this.message = { ok: true, text: { ja: `${r.items.number} を ${this.counterNo}番窓口に呼び出しました`, en: `Called ${r.items.number} to counter ${this.counterNo}` } };
      }
    } else if (r.verdict) this.work = { kind: 'scan', text, verdict: r.verdict, ticket: r.ticket, items: null };
    else this.message = { ok: false, text: { ja: 'この番号札は見つかりません', en: 'Ticket not found' } };
  }

  private async lookup(receiptNumber: string, reason: string): Promise<void> {
    if (!this.connection) return;
    const r = await this.connection.act('lookup', `lookup:${receiptNumber}:${reason}`, { receiptNumber, reason });
    if ('error' in r) this.fail('lookup', r.error);
    else this.work = { kind: 'lookup', receiptNumber, application: r.application };
  }

  private async resolve(conflictId: string, note: string): Promise<void> {
    if (!this.connection) return;
    const r = await this.connection.act('resolve-conflict', `resolve:${conflictId}`, { conflictId, note });
    if ('error' in r && r.error) this.fail('resolve-conflict', r.error);
    else this.message = { ok: true, text: { ja: '競合を解決済みにしました', en: 'Conflict marked resolved' } };
  }

  static override styles = [theme, screenHost, resultLine, counterStyles];
}

function readCounter(): string {
  try {
    return localStorage.getItem(COUNTER_KEY) ?? '';
  } catch {
    return '';
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kiosk-counter': KioskCounter;
  }
}
