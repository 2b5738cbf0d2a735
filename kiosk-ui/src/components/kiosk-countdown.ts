// "Closes in 12 s — touch the screen for more time", with a bar that empties (auto-close.ts).
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
    const pct = this.total > 0 ? Math.round((100 * n) / this.total) : 0;
    return html`<div class="row" data-countdown=${n}>
      <span class="text">${bi(this.language, { ja: `あと ${n} 秒で最初の画面に戻ります。画面に触れると延長します。`, en: `Closes in ${n} s. Touch the screen for more time.` })}</span>
      <span class="bar" role="progressbar" aria-label="残り時間 / Time left" aria-valuemin="0" aria-valuemax=${this.total} aria-valuenow=${n}><span style="width:${pct}%"></span></span>
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
      .bar {
        display: block;
        height: 10px;
        border-radius: 5px;
        background: #d8d8d8;
        overflow: hidden;
      }
      .bar span {
        display: block;
        height: 100%;
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
