// The counter's queue: called tickets first, then waiting ones in order. Tapping one opens it.
import { LitElement, css, html, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { TicketView } from '../../../protocol/events.js';
import { fireEvent } from '../common/fire-event.js';
import { formatTime } from '../common/format.js';
import { plainList } from '../styles/layout.js';
import { theme } from '../styles/theme.js';

const STATUS_JA: Record<string, string> = { waiting: '待ち', called: '呼出済', done: '完了', cancelled: '取消' };

@customElement('kiosk-queue-list')
export class KioskQueueList extends LitElement {
  @property({ attribute: false }) tickets: TicketView[] = [];
  @property() selected = '';

  protected override render(): TemplateResult {
    const open = this.tickets.filter((t) => t.status === 'waiting' || t.status === 'called');
    const ordered = [...open.filter((t) => t.status === 'called'), ...open.filter((t) => t.status === 'waiting')];
    if (ordered.length === 0) return html`<p class="empty">待っている方はいません <span lang="en" class="en">Nobody waiting</span></p>`;
    return html`<ul>
      ${ordered.map(
        (t) => html`<li>
          <button class="secondary ${t.status} ${t.id === this.selected ? 'selected' : ''}" data-ticket=${t.number} @click=${() => fireEvent(this, 'ticket-select', { ticketId: t.id })}>
            <span class="num">${t.number}</span>
            <span class="st">${STATUS_JA[t.status] ?? t.status}${t.counter ? ` ・${t.counter}番` : ''}</span>
            <span>${t.codeType} ${t.items.length}件</span>
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
      button.secondary {
        width: 100%;
        display: grid;
        grid-template-columns: 5em 1fr auto auto;
        white-space: nowrap;
        align-items: center;
        text-align: left;
        gap: 8px;
        font-weight: 400;
        color: var(--k-fg);
        border-color: var(--k-line);
      }
      .called {
        background: #fff8d0;
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
