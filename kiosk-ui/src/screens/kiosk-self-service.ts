// Self-service screen (/): idle "hold your code" → verdict → back to idle after 15 s or a touch.
// Input: hardware scanners through the daemon, keyboard-wedge keys typed into the page, the camera
// and (demo only) sample codes.
import { css, html, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { KioskState, VerdictEvent } from '../../../protocol/events.js';
import { formatOpensAt } from '../common/format.js';
import { WedgeCapture } from '../common/wedge-capture.js';
import type { KioskConnection } from '../data/kiosk-connection.js';
import { screenHost } from '../styles/layout.js';
import { theme } from '../styles/theme.js';
import { KioskScreen } from './kiosk-screen.js';
import '../components/kiosk-status-strip.js';
import '../components/kiosk-verdict-view.js';
import '../components/kiosk-demo-panel.js';
import '../components/kiosk-camera-button.js';

export const VERDICT_SECONDS = 15;

@customElement('kiosk-self-service')
export class KioskSelfService extends KioskScreen {
  @state() private shown: VerdictEvent | undefined;
  @state() private busy = false;
  @state() private failure = '';
  @state() private reprint: 'sent' | 'failed' | null = null;

  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly wedge = new WedgeCapture({ onScan: (text) => void this.send(text, 'typed') });

  override connectedCallback(): void {
    super.connectedCallback();
    this.wedge.start(window);
    this.addEventListener('kiosk-scan', (e) => void this.send(e.detail.text, e.detail.source));
    this.addEventListener('kiosk-dismiss', () => this.idle());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.wedge.stop();
    clearTimeout(this.timer);
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
    this.failure = '';
    this.reprint = null;
    this.shown = e;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.idle(), VERDICT_SECONDS * 1000);
  }

  private idle(): void {
    clearTimeout(this.timer);
    this.shown = undefined;
    this.failure = '';
  }

  private async send(text: string, source: 'camera' | 'typed'): Promise<void> {
    if (!this.connection) return;
    this.busy = true;
    const r = await this.connection.scan(text, source);
    this.busy = false;
    if (r.ok) this.show(r.event);
    else {
      this.shown = undefined;
      this.failure = r.error.message;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.idle(), VERDICT_SECONDS * 1000);
    }
  }

  protected override render(): TemplateResult {
    const s = this.kioskState;
    const p = s?.printer;
    const printerOk = !p || !p.configured || (p.online && !p.paperEnd && !p.coverOpen);
    return html`<kiosk-status-strip audience="public"></kiosk-status-strip>
      <main>
        <div class="live" aria-live="assertive" aria-atomic="true">
          ${this.shown
            ? html`<kiosk-verdict-view .event=${this.shown} .printerOk=${printerOk} .reprint=${this.reprint} @kiosk-reprint=${this.requestReprint}></kiosk-verdict-view>`
            : this.failure
              ? html`<section class="failure" role="alert" @click=${this.idle}>
                  <p>読み取りを処理できませんでした。もう一度お試しください。</p>
                  <p lang="en" class="en">The scan could not be processed. Please try again.</p>
                </section>`
              : nothing}
        </div>
        ${this.shown || this.failure ? nothing : this.renderIdle(s)}
      </main>`;
  }

  private renderIdle(s: KioskState | undefined): TemplateResult {
    const closed = s && !s.hours.open;
    const opens = closed ? formatOpensAt(s.hours.opensAt) : null;
    return html`<section class="idle">
      <h1>受取用の二次元コードを<br />読み取り機にかざしてください</h1>
      <p lang="en" class="en sub">Hold your pickup QR code to the scanner</p>
      <div class="arrow" aria-hidden="true">▼</div>
      ${closed
        ? html`<p class="closed" data-closed>
            ただいま窓口は受付時間外です。${opens?.ja ? `${opens.ja} から受け付けます。` : ''}コードの確認はできます。
            <span lang="en" class="en">The counter is closed${opens?.en ? ` (opens ${opens.en})` : ''}. You can still check your code.</span>
          </p>`
        : nothing}
      ${this.busy ? html`<p class="busy">確認しています… <span lang="en" class="en">Checking…</span></p>` : nothing}
      <kiosk-camera-button></kiosk-camera-button>
      ${s?.demo ? html`<kiosk-demo-panel></kiosk-demo-panel>` : nothing}
    </section>`;
  }

  static override styles = [
    theme,
    screenHost,
    css`
      :host {
        background: var(--k-bg);
      }
      main {
        flex: 1;
        display: flex;
        flex-direction: column;
        padding: 24px;
      }
      .live {
        display: contents;
      }
      kiosk-verdict-view {
        flex: 1;
      }
      .idle {
        flex: 1;
        display: flex;
        flex-direction: column;
        align-items: center;
        justify-content: center;
        gap: 16px;
        text-align: center;
      }
      h1 {
        font-size: clamp(40px, 5vw, 64px);
        line-height: 1.3;
        margin: 0;
      }
      .sub {
        font-size: 32px;
        margin: 0;
      }
      .arrow {
        font-size: 80px;
        color: var(--k-primary);
        line-height: 1;
      }
      .closed {
        font-size: 28px;
        font-weight: 700;
        background: var(--k-warn-bg);
        border: 3px solid var(--k-warn);
        border-radius: 12px;
        padding: 12px 20px;
        max-width: 30em;
      }
      .closed .en {
        display: block;
        font-weight: 400;
      }
      .busy {
        font-size: 28px;
      }
      .failure {
        flex: 1;
        display: flex;
        flex-direction: column;
        justify-content: center;
        align-items: center;
        font-size: 34px;
        font-weight: 700;
        border: 6px solid var(--k-bad);
        background: var(--k-bad-bg);
        border-radius: 24px;
      }
      kiosk-demo-panel {
        align-self: stretch;
        margin-top: 24px;
      }
    `,
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    'kiosk-self-service': KioskSelfService;
  }
}
