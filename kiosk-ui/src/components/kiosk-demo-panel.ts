// Demo panel (KioskState.demo): the daemon's sample codes; tapping one sends it as a typed scan.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { fireEvent } from '../common/fire-event.js';
import { bi, type Lang } from '../common/i18n.js';
import { consumeProperty } from '../context/consume-property.js';
import { languageContext } from '../context/kiosk-context.js';
import { fetchDemoCodes, type DemoCode } from '../data/demo-codes.js';
import { theme } from '../styles/theme.js';

@customElement('kiosk-demo-panel')
export class KioskDemoPanel extends LitElement {
  @state() private codes: DemoCode[] = [];
  @state() private error = '';
  private abort: AbortController | undefined;

  @consumeProperty(languageContext)
  language: Lang = 'ja';

  override connectedCallback(): void {
    super.connectedCallback();
    this.abort = new AbortController();
    fetchDemoCodes(this.abort.signal).then(
      (c) => (this.codes = c),
      (e: unknown) => {
        if (!this.abort?.signal.aborted) this.error = e instanceof Error ? e.message : String(e);
      },
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
  }

  protected override render(): TemplateResult {
    return html`<details>
      <summary>${bi(this.language, { ja: 'デモ用コード', en: 'Demo codes' })}</summary>
      ${this.error ? html`<p class="error">${bi(this.language, { ja: 'デモ用コードを読み込めません', en: 'Cannot load the demo codes' })}</p>` : nothing}
      <ul>
        ${this.codes.map(
          (c) => html`<li>
            <button class="secondary" data-demo-label=${c.label} @click=${() => fireEvent(this, 'kiosk-scan', { text: c.text, source: 'typed' })}>
              ${c.png ? html`<img src=${c.png} alt="" width="56" height="56" />` : nothing}<span>${c.label}</span>
            </button>
          </li>`,
        )}
      </ul>
    </details>`;
  }

  static override styles = [
    theme,
    css`
      details {
        border: 2px dashed var(--k-line);
        border-radius: 12px;
        padding: 4px 12px;
        background: #fafafa;
      }
      summary {
        min-height: 48px;
        display: flex;
        align-items: center;
        gap: 8px;
        cursor: pointer;
        font-weight: 700;
      }
      ul {
        list-style: none;
        margin: 8px 0;
        padding: 0;
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        max-height: 40vh;
        overflow: auto;
      }
      button {
        display: flex;
        align-items: center;
        gap: 8px;
        font-size: 18px;
        text-align: left;
        padding: 4px 12px 4px 4px;
      }
      img {
        image-rendering: pixelated;
        background: #fff;
      }
      .error {
        color: var(--k-bad);
      }
    `,
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    'kiosk-demo-panel': KioskDemoPanel;
  }
}
