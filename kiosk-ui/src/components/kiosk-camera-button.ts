// Camera scanning: a button that opens the camera; camera/camera-scanner.ts decodes the frames in a
// worker with zxing-wasm and the first code read goes up as a `kiosk-scan` like any scanner's.
// Hidden when the device has no camera (headless tests, most kiosks); the decoder is loaded only
// when the camera opens, so the idle screen does not pay for it.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import type { CameraScanner, CameraScanStats } from '../camera/camera-scanner.js';
import { fireEvent } from '../common/fire-event.js';
import { theme } from '../styles/theme.js';

export async function hasCamera(): Promise<boolean> {
  try {
    const md = navigator.mediaDevices;
    if (!md?.enumerateDevices || !md.getUserMedia) return false;
    return (await md.enumerateDevices()).some((d) => d.kind === 'videoinput');
  } catch {
    return false;
  }
}

@customElement('kiosk-camera-button')
export class KioskCameraButton extends LitElement {
  @state() private available = false;
  @state() private open = false;
  @state() private error = '';
  @query('video') private video?: HTMLVideoElement;
  private scanner: CameraScanner | undefined;
  private closeTimer: ReturnType<typeof setTimeout> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void hasCamera().then((ok) => (this.available = ok));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stop();
  }

  protected override render(): TemplateResult | typeof nothing {
    if (!this.available) return nothing;
    if (!this.open)
      return html`<button class="secondary" data-camera @click=${this.start}>カメラで読み取る <span lang="en" class="en">Use camera</span></button>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}`;
    return html`<div class="viewer">
      <video muted playsinline></video>
      <p>コードをカメラに向けてください <span lang="en" class="en">Hold the code to the camera</span></p>
      <button @click=${this.stop}>やめる <span lang="en">Stop</span></button>
    </div>`;
  }

  /** Frames decoded and the worker's time per frame, for measurement (bench/camera-browser). */
  get stats(): CameraScanStats | undefined {
    return this.scanner?.stats;
  }

  private async start(): Promise<void> {
    this.error = '';
    this.open = true;
    await this.updateComplete;
    if (!this.video) return;
    let scanner: CameraScanner | undefined;
    try {
      const { CameraScanner } = await import('../camera/camera-scanner.js');
      scanner = new CameraScanner({
        video: this.video,
        onCode: (text) => {
          this.stop();
          fireEvent(this, 'kiosk-scan', { text, source: 'camera' });
        },
        onError: (e) => this.failed(e),
      });
      this.scanner = scanner;
      // Do not leave a camera running on an unattended screen.
      this.closeTimer = setTimeout(() => this.stop(), 60_000);
      await scanner.start();
    } catch (e) {
      // Not when the person pressed Stop while the camera was starting: that is no failure.
      if (this.scanner === scanner) this.failed(e);
    }
  }

  private failed(e: unknown): void {
    this.stop();
    const name = e instanceof DOMException ? e.name : '';
    this.error = name === 'NotAllowedError' ? 'カメラの使用が許可されていません / Camera not allowed' : 'カメラを使用できません / Camera not available';
  }

  private stop(): void {
    clearTimeout(this.closeTimer);
    this.scanner?.stop();
    this.scanner = undefined;
    this.open = false;
  }

  static override styles = [
    theme,
    css`
      .viewer {
        display: flex;
        flex-direction: column;
        align-items: center;
        gap: 8px;
      }
      video {
        width: min(480px, 80vw);
        border-radius: 12px;
        background: #000;
      }
      .error {
        color: var(--k-bad);
        font-weight: 700;
      }
    `,
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    'kiosk-camera-button': KioskCameraButton;
  }
}
