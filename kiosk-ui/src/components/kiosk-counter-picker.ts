// The counter number of this station: one of the office's counters (KioskState.counters), chosen
// with a tap, never typed, so a scan cannot become a counter name.
import { LitElement, css, html, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { fireEvent } from '../common/fire-event.js';
import { tr, type Lang } from '../common/i18n.js';
import { consumeProperty } from '../context/consume-property.js';
import { languageContext } from '../context/kiosk-context.js';
import { theme } from '../styles/theme.js';

@customElement('kiosk-counter-picker')
export class KioskCounterPicker extends LitElement {
  @property({ attribute: false }) counters: string[] = [];
  @property() selected = '';

  @consumeProperty(languageContext)
  language: Lang = 'ja';

  protected override render(): TemplateResult {
    const l = this.language;
    return html`<section aria-labelledby="pick">
      <h2 id="pick">${tr(l, { ja: 'この端末の窓口番号を選んでください', en: 'Which counter is this station?' })}</h2>
      <div class="grid" role="radiogroup" aria-labelledby="pick">
        ${this.counters.map(
          (c) => html`<button role="radio" class="secondary" data-counter=${c} aria-checked=${c === this.selected ? 'true' : 'false'}
            @click=${() => fireEvent(this, 'counter-choose', { counter: c })}>${tr(l, { ja: `${c}番窓口`, en: `Counter ${c}` })}</button>`,
        )}
      </div>
    </section>`;
  }

  static override styles = [
    theme,
    css`
      h2 {
        margin: 0 0 12px;
        font-size: 26px;
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(140px, 1fr));
        gap: 12px;
      }
      button {
        min-height: 72px;
        font-size: 26px;
      }
    `,
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    'kiosk-counter-picker': KioskCounterPicker;
  }
}
