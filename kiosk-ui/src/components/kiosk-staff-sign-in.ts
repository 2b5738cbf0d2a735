// Staff sign-in: staff id, then the PIN on a keypad. Wrong PIN and lockout are said plainly.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { LocalizedText } from '../../../protocol/verdict.js';
import { fireEvent } from '../common/fire-event.js';
import { tr, type Lang } from '../common/i18n.js';
import { consumeProperty } from '../context/consume-property.js';
import { languageContext } from '../context/kiosk-context.js';
import { signIn } from '../data/staff-session.js';
import { theme } from '../styles/theme.js';
import './kiosk-pin-pad.js';

@customElement('kiosk-staff-sign-in')
export class KioskStaffSignIn extends LitElement {
  /** Why the last session ended, shown above the form. */
  @property({ attribute: false }) notice: LocalizedText | null = null;
  @state() private staffId = '';
  @state() private pin = '';
  @state() private busy = false;
  @state() private error: LocalizedText | null = null;

  @consumeProperty(languageContext)
  language: Lang = 'ja';

  protected override render(): TemplateResult {
    const l = this.language;
    return html`<form @submit=${(e: Event) => (e.preventDefault(), void this.submit())}>
      <h1>${tr(l, { ja: '窓口サインイン', en: 'Staff sign-in' })}</h1>
      ${this.notice ? html`<p class="notice" role="status">${tr(l, this.notice)}</p>` : nothing}
      <label>${tr(l, { ja: '職員ID', en: 'Staff ID' })}
        <input name="staffId" autocomplete="username" .value=${this.staffId} @input=${(e: Event) => (this.staffId = (e.target as HTMLInputElement).value.trim())} />
      </label>
      ${this.error ? html`<p class="error" role="alert" data-error>${tr(l, this.error)}</p>` : nothing}
      <kiosk-pin-pad .pin=${this.pin} ?disabled=${this.busy} @pin-change=${(e: CustomEvent<{ pin: string; submit: boolean }>) => this.onPin(e.detail)}></kiosk-pin-pad>
    </form>`;
  }

  private onPin(d: { pin: string; submit: boolean }): void {
    this.pin = d.pin;
    this.error = null;
    if (d.submit) void this.submit();
  }

  private async submit(): Promise<void> {
    if (!this.staffId || !this.pin || this.busy) {
      if (!this.staffId) this.error = { ja: '職員IDを入力してください', en: 'Enter your staff ID' };
      return;
    }
    this.busy = true;
    const r = await signIn(this.staffId, this.pin);
    this.busy = false;
    this.pin = '';
    if (r.ok) {
      fireEvent(this, 'staff-signed-in', r.session);
      return;
    }
    const minutes = r.retryAfterSeconds ? Math.ceil(r.retryAfterSeconds / 60) : null;
    this.error =
      r.kind === 'wrong'
        ? { ja: '職員IDまたはPINが違います', en: 'Wrong staff ID or PIN' }
        : r.kind === 'locked'
          ? { ja: `失敗が続いたためロックされています。${minutes ? `約${minutes}分後に` : 'しばらくしてから'}お試しください`, en: `Locked after repeated failures; try again ${minutes ? `in about ${minutes} min` : 'later'}` }
          : r.kind === 'network'
            ? { ja: 'キオスク本体に接続できません。ネットワークを確認してください', en: 'Cannot reach the kiosk server; check the network' }
            : { ja: 'サインインできませんでした。少し待ってからもう一度お試しください', en: 'Sign-in failed; wait a moment and try again' };
  }

  static override styles = [
    theme,
    css`
      form {
        display: flex;
        flex-direction: column;
        align-items: center;
        gap: 12px;
        padding: 16px 32px;
      }
      h1 {
        margin: 0;
        font-size: 32px;
      }
      label {
        display: flex;
        flex-direction: column;
        width: 320px;
        font-weight: 700;
      }
      .error,
      .notice {
        max-width: 28em;
        font-weight: 700;
        padding: 8px 16px;
        border-radius: 8px;
        margin: 0;
      }
      .error {
        color: #fff;
        background: var(--k-bad);
      }
      .notice {
        background: var(--k-warn-bg);
        color: var(--k-warn);
      }
    `,
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    'kiosk-staff-sign-in': KioskStaffSignIn;
  }
}
