// Sync conflicts the upstream reported (collected elsewhere, password changed meanwhile). Never
// dropped: each stays until a person resolves it with a note.
import { LitElement, css, html, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ConflictView } from '../../../protocol/events.js';
import { fireEvent } from '../common/fire-event.js';
import { formatDateTime } from '../common/format.js';
import { plainList } from '../styles/layout.js';
import { theme } from '../styles/theme.js';

@customElement('kiosk-conflict-list')
export class KioskConflictList extends LitElement {
  @property({ attribute: false }) conflicts: ConflictView[] = [];
  @state() private notes: Record<string, string> = {};

  protected override render(): TemplateResult {
    if (this.conflicts.length === 0) return html`<p class="none">未解決の競合はありません</p>`;
    return html`<ul>
      ${this.conflicts.map((c) => {
        const note = this.notes[c.id] ?? '';
        return html`<li data-conflict=${c.id}>
          <div><strong>${c.type}</strong> ・ ${formatDateTime(c.at)}</div>
          <pre>${JSON.stringify(c.detail, null, 1)}</pre>
          <div class="row">
            <input placeholder="対応メモ（必須）" aria-label="対応メモ" .value=${note} @input=${(e: Event) => (this.notes = { ...this.notes, [c.id]: (e.target as HTMLInputElement).value })} />
            <button ?disabled=${note.trim() === ''} @click=${() => fireEvent(this, 'conflict-resolve', { conflictId: c.id, note: note.trim() })}>解決済みにする</button>
          </div>
        </li>`;
      })}
    </ul>`;
  }

  static override styles = [
    theme,
    plainList,
    css`
      li {
        border: 3px solid var(--k-bad);
        border-radius: 10px;
        padding: 8px 12px;
        margin-bottom: 8px;
        background: var(--k-bad-bg);
      }
      pre {
        white-space: pre-wrap;
        font-size: 16px;
        margin: 4px 0;
      }
      .row {
        display: flex;
        gap: 8px;
      }
      input {
        flex: 1;
      }
      .none {
        color: var(--k-muted);
      }
    `,
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    'kiosk-conflict-list': KioskConflictList;
  }
}
