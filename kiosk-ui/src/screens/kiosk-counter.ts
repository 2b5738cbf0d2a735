// placeholder, replaced below
import { LitElement, html } from 'lit';
import { customElement } from 'lit/decorators.js';
@customElement('kiosk-counter')
export class KioskCounter extends LitElement {
  protected override render() { return html`counter`; }
}
declare global { interface HTMLElementTagNameMap { 'kiosk-counter': KioskCounter } }
