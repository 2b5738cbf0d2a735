// A PIN keypad with large keys; shows dots, never digits. Fires pin-change on every key.
import { LitElement, css, html, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { fireEvent } from '../common/fire-event.js';
import { stackHost } from '../styles/layout.js';
import { theme } from '../styles/theme.js';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'back'] as const;

@customElement('kiosk-pin-pad')
export class KioskPinPad extends LitElement {
  @property() pin = '';
  @property({ type: Number }) maxLength = 12;
  @property({ type: Boolean }) disabled = false;

  protected override render(): TemplateResult {
    return html`<div class="dots" aria-label="PIN ${this.pin.length} 桁">${'●'.repeat(this.pin.length) || '\u00a0'}</div>
      <div class="grid">
        ${KEYS.map((k) =>
          k === 'clear'
            ? html`<button class="secondary" ?disabled=${this.disabled} @click=${() => this.change('', false)}>消去</button>`
            : k === 'back'
              ? html`<button class="secondary" ?disabled=${this.disabled} aria-label="1文字消す" @click=${() => this.change(this.pin.slice(0, -1), false)}>⌫</button>`
              : html`<button data-key=${k} ?disabled=${this.disabled} @click=${() => this.change((this.pin + k).slice(0, this.maxLength), false)}>${k}</button>`,
        )}
      </div>
      <button class="ok" data-key="ok" ?disabled=${this.disabled || this.pin.length === 0} @click=${() => this.change(this.pin, true)}>サインイン <span lang="en">Sign in</span></button>`;
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
