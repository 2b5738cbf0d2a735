// Manual lookup by receipt number (code lost or unreadable). A reason is required: it goes to the audit log.
import { LitElement, css, html, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { fireEvent } from '../common/fire-event.js';
import { tr, type Lang } from '../common/i18n.js';
import { consumeProperty } from '../context/consume-property.js';
import { languageContext } from '../context/kiosk-context.js';
import { theme } from '../styles/theme.js';

@customElement('kiosk-lookup-form')
export class KioskLookupForm extends LitElement {
  @property({ type: Boolean }) busy = false;
  @state() private receipt = '';
  @state() private reason = '';

  @consumeProperty(languageContext)
  language: Lang = 'ja';

  protected override render(): TemplateResult {
    const l = this.language;
    const ok = /^\d{17}$/.test(this.receipt) && this.reason.trim().length >= 3;
    return html`<form @submit=${this.submit}>
      <input name="receipt" inputmode="numeric" placeholder=${tr(l, { ja: '受付番号（17桁）', en: 'Receipt number (17 digits)' })} aria-label=${tr(l, { ja: '受付番号', en: 'Receipt number' })} .value=${this.receipt}
        @input=${(e: Event) => (this.receipt = (e.target as HTMLInputElement).value.replace(/\D/g, ''))} />
      <input name="reason" placeholder=${tr(l, { ja: '理由（必須・監査記録に残ります）', en: 'Reason (required, kept in the audit log)' })} aria-label=${tr(l, { ja: '照会の理由', en: 'Reason for the lookup' })} .value=${this.reason}
        @input=${(e: Event) => (this.reason = (e.target as HTMLInputElement).value)} />
      <button ?disabled=${!ok || this.busy}>${tr(l, { ja: '照会', en: 'Look up' })}</button>
    </form>`;
  }

  private submit(e: Event): void {
    e.preventDefault();
    fireEvent(this, 'lookup-request', { receiptNumber: this.receipt, reason: this.reason.trim() });
  }

  static override styles = [
    theme,
    css`
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
      }
      input[name='receipt'] {
        width: 14em;
      }
      input[name='reason'] {
        flex: 1;
        min-width: 12em;
      }
    `,
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    'kiosk-lookup-form': KioskLookupForm;
  }
}
