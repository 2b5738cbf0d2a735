// Counter screen (/counter): staff sign in, then work the queue — call next, scan codes and
// tickets, hand items over, register receivers, look up by receipt number, resolve conflicts.
import { ContextProvider } from '@lit/context';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { CounterState, KioskState } from '../../../protocol/events.js';
import { newId } from '../common/uuid.js';
import { WedgeCapture } from '../common/wedge-capture.js';
import { consumeProperty } from '../context/consume-property.js';
import { daemonLinkContext, kioskStateContext } from '../context/kiosk-context.js';
import { StaffConnection } from '../data/staff-connection.js';
import { loadSession, signOut, type StaffSession } from '../data/staff-session.js';
import { theme } from '../styles/theme.js';
import type { Work } from '../components/kiosk-work-panel.js';
import '../components/kiosk-status-strip.js';
import '../components/kiosk-staff-sign-in.js';
import '../components/kiosk-queue-list.js';
import '../components/kiosk-work-panel.js';
import '../components/kiosk-conflict-list.js';
import '../components/kiosk-lookup-form.js';

const COUNTER_KEY = 'kiosk.counterNumber';

@customElement('kiosk-counter')
export class KioskCounter extends LitElement {
  @consumeProperty(kioskStateContext)
  kioskState?: KioskState;

  @state() private session: StaffSession | null = loadSession();
  @state() private notice = '';
  @state() private counterState: CounterState = { queue: [], conflicts: [], outboxDepth: 0 };
  @state() private linked = false;
  @state() private counterNo = localStorage.getItem(COUNTER_KEY) ?? '1';
  @state() private work: Work | undefined;
  @state() private message = '';
  @state() private scanText = '';
  private connection: StaffConnection | undefined;
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;
  private callId: string | undefined;
  // Signed in, the /staff namespace is the source of truth for this subtree (the /kiosk namespace
  // only admits loopback screens, and a counter PC is usually not the daemon's host).
  private staffState: ContextProvider<typeof kioskStateContext> | undefined;
  private staffLink: ContextProvider<typeof daemonLinkContext> | undefined;
  /** A wedge scanner typing while no field has focus fills the scan box and submits it. */
  private readonly wedge = new WedgeCapture({ onScan: (text) => ((this.scanText = text), void this.scan()) });

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

  private open(s: StaffSession): void {
    this.close();
    this.session = s;
    this.staffState ??= new ContextProvider(this, { context: kioskStateContext, initialValue: this.kioskState });
    this.staffLink ??= new ContextProvider(this, { context: daemonLinkContext, initialValue: false });
    this.connection = new StaffConnection(s.token, {
      counterState: (cs) => (this.counterState = cs),
      state: (ks) => this.staffState?.setValue(ks),
      link: (up) => {
        this.linked = up;
        this.staffLink?.setValue(up);
      },
      sessionEnded: () => this.end('セッションが終了しました。もう一度サインインしてください / Session ended, please sign in again'),
    });
    this.expiryTimer = setTimeout(() => this.end('セッションの有効期限が切れました / Session expired'), Math.max(0, Date.parse(s.expiresAt) - Date.now()));
  }

  private close(): void {
    clearTimeout(this.expiryTimer);
    this.connection?.close();
    this.connection = undefined;
  }

  private end(notice: string): void {
    const s = this.session;
    this.close();
    this.session = null;
    this.work = undefined;
    this.notice = notice;
    if (s) void signOut(s);
  }

  protected override render(): TemplateResult {
    if (!this.session)
      return html`<kiosk-status-strip audience="staff"></kiosk-status-strip>
        <kiosk-staff-sign-in .notice=${this.notice} @staff-signed-in=${(e: CustomEvent<StaffSession>) => ((this.notice = ''), this.open(e.detail))}></kiosk-staff-sign-in>`;
    const cs = this.counterState;
    const alerts = this.kioskState?.alerts ?? [];
    return html`<kiosk-status-strip audience="staff"></kiosk-status-strip>
      <header>
        <span>職員 <strong data-staff>${this.session.staffId}</strong></span>
        <label>窓口番号 <input class="counter-no" aria-label="窓口番号" .value=${this.counterNo} @change=${this.setCounter} /></label>
        <span class=${this.linked ? 'up' : 'down'}>${this.linked ? '接続中' : '未接続'}</span>
        <span>未送信 ${cs.outboxDepth} 件</span>
        <button class="secondary" data-sign-out @click=${() => this.end('サインアウトしました / Signed out')}>サインアウト</button>
      </header>
      ${alerts.map((a) => html`<p class="alert" role="alert">${a.deviceId}: ${a.message.ja}</p>`)}
      <div class="cols">
        <section class="queue">
          <button class="call" data-call-next @click=${this.callNext}>次の方を呼ぶ <span lang="en">Call next</span></button>
          <kiosk-queue-list .tickets=${cs.queue} selected=${this.work?.kind === 'ticket' ? this.work.ticket.id : ''}
            @ticket-select=${(e: CustomEvent<{ ticketId: string }>) => this.selectTicket(e.detail.ticketId)}></kiosk-queue-list>
        </section>
        <section class="work">
          <form class="scan" @submit=${this.scan}>
            <input name="scan" placeholder="コード・番号札を読み取り / Scan a code or ticket" aria-label="読み取り" autocomplete="off" .value=${this.scanText}
              @input=${(e: Event) => (this.scanText = (e.target as HTMLInputElement).value)} />
            <button>照会</button>
          </form>
          ${this.message ? html`<p class="message" role="status" data-message>${this.message}</p>` : nothing}
          <kiosk-work-panel .work=${this.current()} .connection=${this.connection}></kiosk-work-panel>
          <h3>受付番号で照会</h3>
          <kiosk-lookup-form @lookup-request=${(e: CustomEvent<{ receiptNumber: string; reason: string }>) => void this.lookup(e.detail.receiptNumber, e.detail.reason)}></kiosk-lookup-form>
          <h3>同期の競合 (${cs.conflicts.length})</h3>
          <kiosk-conflict-list .conflicts=${cs.conflicts} @conflict-resolve=${(e: CustomEvent<{ conflictId: string; note: string }>) => void this.resolve(e.detail.conflictId, e.detail.note)}></kiosk-conflict-list>
        </section>
      </div>`;
  }

  /** The selected ticket as the latest counter-state has it (items get ticked off live). */
  private current(): Work | undefined {
    const w = this.work;
    if (w?.kind !== 'ticket') return w;
    const fresh = this.counterState.queue.find((t) => t.id === w.ticket.id);
    return fresh ? { kind: 'ticket', ticket: fresh } : w;
  }

  private setCounter(e: Event): void {
    const v = (e.target as HTMLInputElement).value.trim() || '1';
    this.counterNo = v;
    localStorage.setItem(COUNTER_KEY, v);
  }

  private selectTicket(id: string): void {
    const t = this.counterState.queue.find((x) => x.id === id);
    if (t) this.work = { kind: 'ticket', ticket: t };
  }

  private async callNext(): Promise<void> {
    if (!this.connection) return;
    this.callId ??= newId();
    const r = await this.connection.send('call-next', { id: this.callId, counter: this.counterNo });
    if ('error' in r) {
      if (r.error.code !== 'TIMEOUT' && r.error.code !== 'OFFLINE') this.callId = undefined;
      this.message = `呼び出せません: ${r.error.message}`;
      return;
    }
    this.callId = undefined;
    if (!r.ticket) this.message = '待っている方はいません / Queue is empty';
    else {
      this.message = `${r.ticket.number} を ${this.counterNo}番窓口に呼び出しました`;
      this.work = { kind: 'ticket', ticket: r.ticket };
    }
  }

  private async scan(e?: Event): Promise<void> {
    e?.preventDefault();
    const text = this.scanText.trim();
    if (!text || !this.connection) return;
    const r = await this.connection.send('scan', { id: newId(), text });
    if ('error' in r) {
      this.message = `照会できません: ${r.error.message}`;
      return;
    }
    this.scanText = '';
    this.message = '';
    // A scanned ticket QR comes back as the ticket itself (the daemon sends verdict: null then).
    if (r.items) this.work = { kind: 'ticket', ticket: r.items };
    else if (r.verdict) this.work = { kind: 'scan', text, verdict: r.verdict, ticket: r.ticket, items: null };
    else this.message = 'この番号札は見つかりません / Ticket not found';
  }

  private async lookup(receiptNumber: string, reason: string): Promise<void> {
    if (!this.connection) return;
    const r = await this.connection.send('lookup', { id: newId(), receiptNumber, reason });
    if ('error' in r) this.message = `照会できません: ${r.error.message}`;
    else this.work = { kind: 'lookup', receiptNumber, application: r.application };
  }

  private async resolve(conflictId: string, note: string): Promise<void> {
    if (!this.connection) return;
    const r = await this.connection.send('resolve-conflict', { id: newId(), conflictId, note });
    const err = 'error' in r ? r.error : null;
    this.message = err ? `解決できません: ${err.message}` : '競合を解決済みにしました';
  }

  static override styles = [
    theme,
    css`
      :host {
        display: block;
        min-height: 100vh;
        font-size: 18px;
      }
      header {
        display: flex;
        flex-wrap: wrap;
        gap: 16px;
        align-items: center;
        padding: 8px 16px;
        border-bottom: 2px solid var(--k-line);
      }
      header button {
        margin-left: auto;
      }
      .counter-no {
        width: 4em;
      }
      .up {
        color: var(--k-ok);
        font-weight: 700;
      }
      .down {
        color: #fff;
        background: var(--k-bad);
        padding: 2px 8px;
        border-radius: 6px;
      }
      .cols {
        display: grid;
        grid-template-columns: minmax(320px, 1fr) 2fr;
        gap: 16px;
        padding: 16px;
      }
      .call {
        width: 100%;
        min-height: 80px;
        font-size: 28px;
        margin-bottom: 12px;
      }
      .scan {
        display: flex;
        gap: 8px;
        margin-bottom: 8px;
      }
      .scan input {
        flex: 1;
      }
      .message {
        font-weight: 700;
      }
      .alert {
        margin: 8px 16px;
        padding: 8px 16px;
        background: var(--k-bad);
        color: #fff;
        font-weight: 700;
        border-radius: 8px;
      }
      h3 {
        margin: 24px 0 8px;
      }
    `,
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    'kiosk-counter': KioskCounter;
  }
}
