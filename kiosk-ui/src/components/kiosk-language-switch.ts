// The language switch every screen has: 日本語 / English. Fires kiosk-language; the root keeps it.
import { LitElement, css, html, type TemplateResult } from 'lit';
import { customElement } from 'lit/decorators.js';
import { fireEvent } from '../common/fire-event.js';
import { LANGS, type Lang } from '../common/i18n.js';
import { consumeProperty } from '../context/consume-property.js';
import { languageContext } from '../context/kiosk-context.js';
import { theme } from '../styles/theme.js';

const LABEL: Record<Lang, string> = { ja: '日本語', en: 'English' };

@customElement('kiosk-language-switch')
export class KioskLanguageSwitch extends LitElement {
  @consumeProperty(languageContext)
  language: Lang = 'ja';

  protected override render(): TemplateResult {
    return html`<div role="group" aria-label="言語 / Language">
      ${LANGS.map(
        (l) => html`<button class="secondary" lang=${l} data-lang=${l} aria-pressed=${this.language === l ? 'true' : 'false'}
          @click=${(e: Event) => (e.stopPropagation(), fireEvent(this, 'kiosk-language', { lang: l }))}>${LABEL[l]}</button>`,
      )}
    </div>`;
  }

  static override styles = [
    theme,
    css`
      div {
        display: flex;
        gap: 4px;
      }
      button {
        min-height: 48px;
        padding: 4px 14px;
        font-size: 20px;
      }
    `,
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    'kiosk-language-switch': KioskLanguageSwitch;
  }
}
