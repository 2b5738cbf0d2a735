// Sync conflicts the upstream reported (collected elsewhere, password changed meanwhile). Never
// dropped: each stays until a person resolves it with a note. The hub's own detail is kept behind
// "technical detail" for support; staff read what kind of record it was, in words.
import { LitElement, css, html, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ConflictView } from '../../../protocol/events.js';
import type { LocalizedText } from '../../../protocol/verdict.js';
import { fireEvent } from '../common/fire-event.js';
import { formatDateTime } from '../common/format.js';
import { tr, type Lang } from '../common/i18n.js';
import { consumeProperty } from '../context/consume-property.js';
import { languageContext } from '../context/kiosk-context.js';
import { plainList } from '../styles/layout.js';
import { theme } from '../styles/theme.js';

const CONFLICT_WORDS: Record<string, LocalizedText> = {
  pickup: { ja: '交付の記録が本部の記録と食い違っています（他の場所で交付済みなど）', en: 'A handover disagrees with the hub (collected elsewhere?)' },
  registration: { ja: '受取者の登録が本部の記録と食い違っています', en: 'A receiver registration disagrees with the hub' },
  'password-change': { ja: 'パスワード変更の反映が本部の記録と食い違っています', en: 'A password change disagrees with the hub' },
  ticket: { ja: '番号札の記録が本部に受け付けられませんでした', en: 'The hub refused a ticket record' },
  'rejected-scan': { ja: '読み取り拒否の記録が本部に受け付けられませんでした', en: 'The hub refused a rejected-scan record' },
  'staff-action': { ja: '窓口操作の記録が本部に受け付けられませんでした', en: 'The hub refused a counter action record' },
};

@customElement('kiosk-conflict-list')
export class KioskConflictList extends LitElement {
  @property({ attribute: false }) conflicts: ConflictView[] = [];
  @state() private notes: Record<string, string> = {};

  @consumeProperty(languageContext)
  language: Lang = 'ja';

  protected override render(): TemplateResult {
    const l = this.language;
    if (this.conflicts.length === 0) return html`<p class="none">${tr(l, { ja: '未解決の競合はありません', en: 'No open conflicts' })}</p>`;
    return html`<ul>
      ${this.conflicts.map((c) => {
        const note = this.notes[c.id] ?? '';
        return html`<li data-conflict=${c.id}>
          <div><strong>${tr(l, CONFLICT_WORDS[c.type] ?? { ja: '本部の記録との食い違い', en: 'A record disagrees with the hub' })}</strong> ・ ${formatDateTime(c.at)}${c.ownStation ? '' : html` ・ <span class="station">${tr(l, { ja: `${c.deviceId} の記録`, en: `recorded at ${c.deviceId}` })}</span>`}</div>
          <details><summary>${tr(l, { ja: '技術的な詳細（サポート用）', en: 'Technical detail (for support)' })}</summary><pre>${JSON.stringify(c.detail, null, 1)}</pre></details>
          <div class="row">
            <input aria-label=${tr(l, { ja: '対応メモ（必須）', en: 'What was done (required)' })} placeholder=${tr(l, { ja: '対応メモ（必須）', en: 'What was done (required)' })} .value=${note}
              @input=${(e: Event) => (this.notes = { ...this.notes, [c.id]: (e.target as HTMLInputElement).value })} />
            <button ?disabled=${note.trim() === ''} @click=${() => fireEvent(this, 'conflict-resolve', { conflictId: c.id, note: note.trim() })}>${tr(l, { ja: '解決済みにする', en: 'Mark resolved' })}</button>
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
      summary {
        min-height: 44px;
        display: flex;
        align-items: center;
        cursor: pointer;
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
