// A PIN keypad with large keys; shows dots, never digits. Fires pin-change on every key.
import { LitElement, css, html, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { fireEvent } from '../common/fire-event.js';
import { tr, type Lang } from '../common/i18n.js';
import { consumeProperty } from '../context/consume-property.js';
import { languageContext } from '../context/kiosk-context.js';
import { stackHost } from '../styles/layout.js';
import { theme } from '../styles/theme.js';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'back'] as const;

@customElement('kiosk-pin-pad')
export class KioskPinPad extends LitElement {
  @property() pin = '';
  @property({ type: Number }) maxLength = 12;
  @property({ type: Boolean }) disabled = false;

  @consumeProperty(languageContext)
  language: Lang = 'ja';

  protected override render(): TemplateResult {
    const l = this.language;
    // The dots are for the eye; a screen reader hears the count from the live text beside them.
    return html`<div class="dots" aria-hidden="true">${'●'.repeat(this.pin.length) || '\u00a0'}</div>
      <span class="visually-hidden" aria-live="polite" data-pin-count>${tr(l, { ja: `PIN ${this.pin.length} 桁入力済み`, en: `${this.pin.length} PIN digits entered` })}</span>
      <div class="grid">
        ${KEYS.map((k) =>
          k === 'clear'
            ? html`<button class="secondary" ?disabled=${this.disabled} @click=${() => this.change('', false)}>${tr(l, { ja: '消去', en: 'Clear' })}</button>`
            : k === 'back'
              ? html`<button class="secondary" ?disabled=${this.disabled} aria-label=${tr(l, { ja: '1文字消す', en: 'Delete one digit' })} @click=${() => this.change(this.pin.slice(0, -1), false)}>⌫</button>`
              : html`<button data-key=${k} ?disabled=${this.disabled} @click=${() => this.change((this.pin + k).slice(0, this.maxLength), false)}>${k}</button>`,
        )}
      </div>
      <button class="ok" data-key="ok" ?disabled=${this.disabled || this.pin.length === 0} @click=${() => this.change(this.pin, true)}>${tr(l, { ja: 'サインイン', en: 'Sign in' })}</button>`;
  }

  private change(pin: string, submit: boolean): void {
    fireEvent(this, 'pin-change', { pin, submit });
  }

  static override styles = [
    theme,
    stackHost,
    css`
      :host {
        width: 320px;
      }
      .dots {
        font-size: 32px;
        letter-spacing: 0.3em;
        text-align: center;
        border-bottom: 2px solid var(--k-line);
        min-height: 48px;
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(3, 1fr);
        gap: 8px;
      }
      .grid button {
        padding: 0;
        white-space: nowrap;
        min-height: 72px;
        font-size: 32px;
      }
      .ok {
        min-height: 64px;
      }
    `,
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    'kiosk-pin-pad': KioskPinPad;
  }
}
