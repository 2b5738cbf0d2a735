// Staff sign-in: staff id, then the PIN on a keypad. Wrong PIN and lockout are said plainly.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { fireEvent } from '../common/fire-event.js';
import { signIn } from '../data/staff-session.js';
import { theme } from '../styles/theme.js';
import './kiosk-pin-pad.js';

@customElement('kiosk-staff-sign-in')
export class KioskStaffSignIn extends LitElement {
  /** Why the last session ended, shown above the form. */
  @property() notice = '';
  @state() private staffId = '';
  @state() private pin = '';
  @state() private busy = false;
  @state() private error = '';

  protected override render(): TemplateResult {
    return html`<form @submit=${(e: Event) => (e.preventDefault(), void this.submit())}>
      <h1>窓口サインイン <span lang="en" class="en">Staff sign-in</span></h1>
      ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : nothing}
      <label>職員ID <span lang="en" class="en">Staff ID</span>
        <input name="staffId" autocomplete="username" .value=${this.staffId} @input=${(e: Event) => (this.staffId = (e.target as HTMLInputElement).value.trim())} />
      </label>
      ${this.error ? html`<p class="error" role="alert" data-error>${this.error}</p>` : nothing}
      <kiosk-pin-pad .pin=${this.pin} ?disabled=${this.busy} @pin-change=${(e: CustomEvent<{ pin: string; submit: boolean }>) => this.onPin(e.detail)}></kiosk-pin-pad>
    </form>`;
  }

  private onPin(d: { pin: string; submit: boolean }): void {
    this.pin = d.pin;
    this.error = '';
    if (d.submit) void this.submit();
  }

  private async submit(): Promise<void> {
    if (!this.staffId || !this.pin || this.busy) {
      if (!this.staffId) this.error = '職員IDを入力してください / Enter your staff ID';
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
    this.error =
      r.kind === 'wrong'
        ? '職員IDまたはPINが違います / Wrong staff ID or PIN'
        : r.kind === 'locked'
          ? `失敗が続いたためロックされています。${r.retryAfterSeconds ? `約${Math.ceil(r.retryAfterSeconds / 60)}分後に` : 'しばらくしてから'}お試しください / Locked after repeated failures; try again later`
          : r.kind === 'network'
            ? 'サーバーに接続できません / Cannot reach the kiosk daemon'
            : `サインインできません (HTTP ${r.status ?? '?'}) / Sign-in failed`;
  }

  static override styles = [
    theme,
    css`
      form {
        display: flex;
        flex-direction: column;
        align-items: center;
        gap: 16px;
        padding: 32px;
      }
      h1 {
        margin: 0;
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
