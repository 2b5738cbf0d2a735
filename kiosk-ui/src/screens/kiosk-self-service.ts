// Self-service screen (/): idle "hold your code" → result → back to idle after a visible
// countdown (a touch gives more time) or Close. Out of service, said plainly, while the daemon
// cannot be reached; back to idle the moment it answers again.
// Input: hardware scanners through the daemon, keyboard-wedge keys typed into the page, the camera
// and (demo only) sample codes.
import { css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { KioskState, VerdictEvent } from '../../../protocol/events.js';
import { fireEvent } from '../common/fire-event.js';
import { formatOpensAt } from '../common/format.js';
import { bi } from '../common/i18n.js';
import { WedgeCapture } from '../common/wedge-capture.js';
import { AutoCloseController } from '../controllers/auto-close.js';
import type { KioskConnection } from '../data/kiosk-connection.js';
import { outOfServicePanel, screenHost } from '../styles/layout.js';
import { theme } from '../styles/theme.js';
import { KioskScreen } from './kiosk-screen.js';
import '../components/kiosk-status-strip.js';
import '../components/kiosk-language-switch.js';
import '../components/kiosk-verdict-view.js';
import '../components/kiosk-countdown.js';
import '../components/kiosk-demo-panel.js';
import '../components/kiosk-camera-button.js';

export const VERDICT_SECONDS = 15;

@customElement('kiosk-self-service')
export class KioskSelfService extends KioskScreen {
  @state() private shown: VerdictEvent | undefined;
  @state() private busy = false;
  /** A scan the daemon did not answer while the link was up. */
  @state() private failure = false;
  @state() private reprint: 'sent' | 'failed' | null = null;

  private readonly autoClose = new AutoCloseController(this, VERDICT_SECONDS, () => this.idle());
  private readonly wedge = new WedgeCapture({ onScan: (text) => void this.send(text, 'typed') });

  override connectedCallback(): void {
    super.connectedCallback();
    this.wedge.start(window);
    this.addEventListener('kiosk-scan', (e) => void this.send(e.detail.text, e.detail.source));
    this.addEventListener('kiosk-dismiss', () => this.idle());
    // Any touch on a result gives the person the full time again (WCAG 2.2.1).
    this.addEventListener('pointerdown', () => this.autoClose.extend());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.wedge.stop();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    // Daemon back: whatever the outage left on screen goes; the idle screen is right again at once.
    if (changed.has('link') && this.link === 'up' && changed.get('link') === 'down') {
      this.failure = false;
      this.busy = false;
    }
    // Going out of service ends the result on screen: it is not shown again, stale, when the daemon is back.
    if (changed.has('link') && this.link === 'down' && this.shown) this.idle();
  }

  protected override listen(connection: KioskConnection): () => void {
    return connection.on('verdict', (e) => this.onVerdict(e));
  }

  private onVerdict(e: VerdictEvent): void {
    // Counter scans made through a staff session are not for the public screen (the daemon
    // keeps them off /kiosk; this guards a screen connected through /staff).
    if (e.staffId) return;
    // The ack of our own scan already showed it; a broadcast of the same scan only refreshes the timer.
    this.show(e);
  }

  private async requestReprint(ev: CustomEvent<{ scanId: string }>): Promise<void> {
    const r = await this.connection?.reprint(ev.detail.scanId);
    this.reprint = r?.ok ? 'sent' : 'failed';
  }

  private show(e: VerdictEvent): void {
    this.failure = false;
    this.reprint = this.shown?.scanId === e.scanId ? this.reprint : null;
    this.shown = e;
    this.autoClose.start();
  }

  private idle(): void {
    this.autoClose.stop();
    this.shown = undefined;
    this.failure = false;
    // The next person starts in Japanese.
    if (this.language !== 'ja') fireEvent(this, 'kiosk-language', { lang: 'ja' });
  }

  private async send(text: string, source: 'camera' | 'typed'): Promise<void> {
    // Out of service: nothing is sent, and the screen already says where to go.
    if (!this.connection || this.link !== 'up') return;
    this.busy = true;
    const r = await this.connection.scan(text, source);
    this.busy = false;
    if (r.ok) this.show(r.event);
    else if (this.link === 'up' && r.error.code !== 'OFFLINE') {
      this.shown = undefined;
      this.failure = true;
      this.autoClose.start();
    }
  }

  protected override render(): TemplateResult {
    const s = this.kioskState;
    const p = s?.printer;
    const printerOk = !p || !p.configured || (p.online && !p.paperEnd && !p.coverOpen);
    const down = this.link === 'down';
    return html`<header><kiosk-status-strip audience="public"><kiosk-language-switch></kiosk-language-switch></kiosk-status-strip></header>
      <main>
        <div class="live" aria-live="assertive" aria-atomic="true">
          ${down
            ? this.renderOutOfService()
            : this.shown
              ? html`<kiosk-verdict-view .event=${this.shown} .printerOk=${printerOk} .reprint=${this.reprint} .remaining=${this.autoClose.remaining}
                  .total=${VERDICT_SECONDS} .procedureTypes=${s?.procedureTypes} @kiosk-reprint=${this.requestReprint}></kiosk-verdict-view>`
              : this.failure
                ? this.renderFailure()
                : nothing}
        </div>
        ${down || this.shown || this.failure ? nothing : this.renderIdle(s)}
      </main>`;
  }

  private renderOutOfService(): TemplateResult {
    return html`<section class="out" data-fit data-out-of-service>
      <h1>${bi(this.language, { ja: 'ただいまご利用いただけません', en: 'Out of service' }, true)}</h1>
      <p>${bi(this.language, { ja: '番号札は窓口でお渡しします。窓口へお越しください。', en: 'Please go to the counter; staff will give you a ticket.' }, true)}</p>
    </section>`;
  }

  private renderFailure(): TemplateResult {
    return html`<section class="out failure" role="alert" data-fit data-failure>
      <h1 class="msg">${bi(this.language, { ja: '読み取りを処理できませんでした。もう一度かざしてください。', en: 'The scan could not be processed. Please scan again.' }, true)}</h1>
      <footer>
        <kiosk-countdown .remaining=${this.autoClose.remaining} .total=${VERDICT_SECONDS}></kiosk-countdown>
        <button class="secondary" data-close @click=${this.idle}>${bi(this.language, { ja: '閉じる', en: 'Close' })}</button>
      </footer>
    </section>`;
  }

  private renderIdle(s: KioskState | undefined): TemplateResult {
    const closed = s && !s.hours.open;
    const opens = closed ? formatOpensAt(s.hours.opensAt) : null;
    return html`<section class="idle">
      <h1>${this.language === 'ja' ? html`受取用の二次元コードを<br />読み取り機にかざしてください` : 'Hold your pickup QR code to the scanner'}</h1>
      <p class="sub alt" lang=${this.language === 'ja' ? 'en' : 'ja'}>${this.language === 'ja' ? 'Hold your pickup QR code to the scanner' : '受取用の二次元コードを読み取り機にかざしてください'}</p>
      <div class="arrow" aria-hidden="true">▼</div>
      ${closed
        ? html`<p class="closed" data-closed>
            ${bi(this.language, {
              ja: `ただいま窓口は受付時間外です。${opens?.ja ? `${opens.ja} から受け付けます。` : ''}コードの確認はできます。`,
              en: `The counter is closed${opens?.en ? ` (opens ${opens.en})` : ''}. You can still check your code.`,
            }, true)}
          </p>`
        : nothing}
      ${this.busy ? html`<p class="busy" data-busy>${bi(this.language, { ja: '確認しています…', en: 'Checking…' })}</p>` : nothing}
      <kiosk-camera-button></kiosk-camera-button>
      ${s?.demo ? html`<kiosk-demo-panel></kiosk-demo-panel>` : nothing}
    </section>`;
  }

  static override styles = [
    theme,
    screenHost,
    outOfServicePanel,
    css`
      :host {
        background: var(--k-bg);
      }
      main {
        flex: 1;
        min-height: 0;
        display: flex;
        flex-direction: column;
        padding: min(2.5vh, 24px);
      }
      .live {
        display: contents;
      }
      kiosk-verdict-view {
        flex: 1;
      }
      .idle {
        flex: 1;
        min-height: 0;
        display: flex;
        flex-direction: column;
        align-items: center;
        justify-content: center;
        gap: min(16px, 1.6vh);
        text-align: center;
      }
      h1 {
        font-size: clamp(36px, min(5vw, 6.5vh), 64px);
        line-height: 1.3;
        margin: 0;
      }
      .sub {
        font-size: clamp(24px, 3.6vh, 32px);
        margin: 0;
      }
      .arrow {
        font-size: min(80px, 8vh);
        color: var(--k-primary);
        line-height: 1;
      }
      .closed {
        font-size: clamp(22px, 3vh, 28px);
        font-weight: 700;
        background: var(--k-warn-bg);
        border: 3px solid var(--k-warn);
        border-radius: 12px;
        padding: 12px 20px;
        max-width: 30em;
        margin: 0;
      }
      .busy {
        font-size: 32px;
        font-weight: 700;
        margin: 0;
      }
      /* A failed scan is shown in the out-of-service panel (.out), with its own message size. */
      .failure .msg {
        font-size: clamp(32px, 3.6vw, 44px);
        font-weight: 700;
        margin: 0;
      }
      .failure footer {
        align-self: stretch;
        display: flex;
        gap: 24px;
        align-items: center;
        text-align: left;
      }
      .failure kiosk-countdown {
        flex: 1;
      }
      kiosk-demo-panel {
        align-self: stretch;
        margin-top: 8px;
      }
    `,
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    'kiosk-self-service': KioskSelfService;
  }
}
