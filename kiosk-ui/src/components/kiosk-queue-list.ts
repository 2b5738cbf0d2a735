// The counter's queue: called tickets first, then waiting ones in order, then those set aside as
// no-shows (to put back or cancel). Tapping one opens it.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { TicketView } from '../../../protocol/events.js';
import { fireEvent } from '../common/fire-event.js';
import { formatTime } from '../common/format.js';
import { tr, type Lang } from '../common/i18n.js';
import { TICKET_STATUS_WORDS } from '../common/words.js';
import { consumeProperty } from '../context/consume-property.js';
import { languageContext } from '../context/kiosk-context.js';
import { plainList } from '../styles/layout.js';
import { theme } from '../styles/theme.js';

@customElement('kiosk-queue-list')
export class KioskQueueList extends LitElement {
  @property({ attribute: false }) tickets: TicketView[] = [];
  @property() selected = '';

  @consumeProperty(languageContext)
  language: Lang = 'ja';

  protected override render(): TemplateResult {
    const l = this.language;
    const by = (s: TicketView['status']) => this.tickets.filter((t) => t.status === s);
    const open = [...by('called'), ...by('waiting')];
    const aside = by('no-show');
    return html`${open.length === 0 ? html`<p class="empty">${tr(l, { ja: '待っている方はいません', en: 'Nobody waiting' })}</p>` : this.list(open, l)}
      ${aside.length ? html`<h2>${tr(l, { ja: '不在（保留中）', en: 'Set aside (no-show)' })}</h2>${this.list(aside, l)}` : nothing}`;
  }

  private list(tickets: TicketView[], l: Lang): TemplateResult {
    return html`<ul>
      ${tickets.map(
        (t) => html`<li>
          <button class="secondary ${t.status} ${t.id === this.selected ? 'selected' : ''}" data-ticket=${t.number} @click=${() => fireEvent(this, 'ticket-select', { ticketId: t.id })}>
            <span class="num">${t.number}</span>
            <span class="st">${tr(l, TICKET_STATUS_WORDS[t.status])}${t.status === 'called' && t.counter ? tr(l, { ja: ` ・${t.counter}番`, en: ` · ${t.counter}` }) : ''}</span>
            <span>${tr(l, { ja: `${t.items.length}件`, en: `${t.items.length} item(s)` })}</span>
            <span class="time">${formatTime(t.issuedAt)}</span>
          </button>
        </li>`,
      )}
    </ul>`;
  }

  static override styles = [
    theme,
    plainList,
    css`
      ul {
        display: flex;
        flex-direction: column;
        gap: 6px;
      }
      h2 {
        margin: 16px 0 6px;
        font-size: 20px;
      }
      button.secondary {
        width: 100%;
        display: grid;
        grid-template-columns: 4.5em 1fr auto auto;
        white-space: nowrap;
        align-items: center;
        text-align: left;
        gap: 8px;
        font-weight: 400;
        color: var(--k-fg);
        border-color: var(--k-line);
        padding: 4px 12px;
      }
      .called {
        background: #fff8d0;
      }
      .no-show {
        background: var(--k-bad-bg);
      }
      .selected {
        border-color: var(--k-primary);
        border-width: 4px;
      }
      .num {
        font-size: 28px;
        font-weight: 800;
      }
      .time {
        color: var(--k-muted);
      }
      .empty {
        color: var(--k-muted);
      }
    `,
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    'kiosk-queue-list': KioskQueueList;
  }
}
