// "Closes in 12 s — touch the screen for more time", with a bar that empties (auto-close.ts).
// A native <progress> (the daemon's CSP refuses style attributes, so no inline width).
import { LitElement, css, html, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { bi, type Lang } from '../common/i18n.js';
import { consumeProperty } from '../context/consume-property.js';
import { languageContext } from '../context/kiosk-context.js';
import { theme } from '../styles/theme.js';

@customElement('kiosk-countdown')
export class KioskCountdown extends LitElement {
  @property({ type: Number }) remaining = 0;
  @property({ type: Number }) total = 15;

  @consumeProperty(languageContext)
  language: Lang = 'ja';

  protected override render(): TemplateResult {
    const n = this.remaining;
    return html`<div class="row" data-countdown=${n}>
      <span class="text">${bi(this.language, { ja: `あと ${n} 秒で最初の画面に戻ります。画面に触れると延長します。`, en: `Closes in ${n} s. Touch the screen for more time.` })}</span>
      <progress max=${this.total} .value=${n} aria-label="残り時間 / Time left"></progress>
    </div>`;
  }

  static override styles = [
    theme,
    css`
      .row {
        display: flex;
        flex-direction: column;
        gap: 4px;
        font-size: 22px;
      }
      .alt {
        font-size: 20px;
      }
      progress {
        appearance: none;
        width: 100%;
        height: 10px;
        border: none;
        border-radius: 5px;
        background: #d8d8d8;
        overflow: hidden;
      }
      progress::-webkit-progress-bar {
        background: #d8d8d8;
      }
      progress::-webkit-progress-value {
        background: var(--k-primary);
        transition: width 0.25s linear;
      }
    `,
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    'kiosk-countdown': KioskCountdown;
  }
}
