// Call display (/display): the numbers staff called, newest first and highlighted, spoken in Japanese.
import { css, html, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { CalledTicket } from '../../../protocol/events.js';
import { formatTime } from '../common/format.js';
import { announce, speechAvailable } from '../common/speech.js';
import type { KioskConnection } from '../data/kiosk-connection.js';
import { screenHost } from '../styles/layout.js';
import { theme } from '../styles/theme.js';
import { KioskScreen } from './kiosk-screen.js';
import '../components/kiosk-status-strip.js';

const SHOWN = 8;

@customElement('kiosk-call-display')
export class KioskCallDisplay extends KioskScreen {
  /** Calls heard live, newest first; merged with the state's recentlyCalled. */
  @state() private live: CalledTicket[] = [];
  @state() private voice = false;

  protected override listen(connection: KioskConnection): () => void {
    return connection.on('called', (c) => {
      this.live = [c, ...this.live].slice(0, 50);
      if (this.voice) announce(c.number, c.counter);
    });
  }

  /** Newest first, one row per call (a recall of the same number shows once, newest). */
  calls(): CalledTicket[] {
    const all = [...this.live, ...(this.kioskState?.queue.recentlyCalled ?? [])].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
    const seen = new Set<string>();
    return all.filter((c) => !seen.has(c.number) && (seen.add(c.number), true)).slice(0, SHOWN);
  }

  protected override render(): TemplateResult {
    const calls = this.calls();
    const [newest, ...rest] = calls;
    return html`<kiosk-status-strip audience="public"></kiosk-status-strip>
      <header>
        <h1>お呼び出し番号 <span lang="en" class="en">Now serving</span></h1>
        ${speechAvailable()
          ? html`<button class="secondary" aria-pressed=${this.voice} @click=${() => (this.voice = !this.voice)}>
              ${this.voice ? '音声あり' : '音声なし'} <span lang="en">${this.voice ? 'Voice on' : 'Voice off'}</span>
            </button>`
          : nothing}
      </header>
      <main aria-live="polite">
        ${newest
          ? html`<div class="newest" data-called=${newest.number}>
              <span class="num">${newest.number}</span>
              <span class="counter">${newest.counter}番窓口 <span lang="en" class="en">Counter ${newest.counter}</span></span>
            </div>`
          : html`<p class="empty">お呼び出しをお待ちください <span lang="en" class="en">Please wait to be called</span></p>`}
        <ol>
          ${rest.map(
            (c) => html`<li data-called=${c.number}>
              <span class="num">${c.number}</span><span>${c.counter}番窓口</span><span class="time">${formatTime(c.at)}</span>
            </li>`,
          )}
        </ol>
      </main>`;
  }

  static override styles = [
    theme,
    screenHost,
    css`
      header {
        display: flex;
        align-items: center;
        justify-content: space-between;
        padding: 16px 32px 0;
      }
      h1 {
        margin: 0;
        font-size: 48px;
      }
      main {
        padding: 16px 32px;
      }
      .newest {
        display: flex;
        align-items: baseline;
        gap: 48px;
        padding: 16px 40px;
        border-radius: 20px;
        background: #ffe14d;
        border: 6px solid #000;
        animation: flash 1s ease-in-out 3;
      }
      .num,
      .counter {
        white-space: nowrap;
      }
      .newest .num {
        font-size: clamp(120px, 18vw, 240px);
        font-weight: 800;
        line-height: 1.05;
      }
      .newest {
        flex-wrap: wrap;
      }
      .newest .counter {
        display: flex;
        flex-direction: column;
        font-size: 56px;
        font-weight: 700;
      }
      ol {
        list-style: none;
        padding: 0;
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(460px, 1fr));
        gap: 12px;
      }
      li {
        display: flex;
        gap: 24px;
        align-items: baseline;
        font-size: 36px;
        padding: 8px 24px;
        border: 3px solid var(--k-line);
        border-radius: 12px;
      }
      li .num {
        font-size: 64px;
        font-weight: 800;
      }
      .time {
        margin-left: auto;
        color: var(--k-muted);
        font-size: 24px;
      }
      .empty {
        font-size: 48px;
        text-align: center;
        margin-top: 20vh;
      }
      @keyframes flash {
        50% {
          background: #fff;
        }
      }
      @media (prefers-reduced-motion: reduce) {
        .newest {
          animation: none;
        }
      }
    `,
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    'kiosk-call-display': KioskCallDisplay;
  }
}
