// Call display (/display): the numbers staff called, newest first, flashing and announced (chime,
// then Japanese and English) as the daemon's settings say; beside them how many are waiting and
// for about how long. Nobody touches it: no buttons but the language switch. Out of service, with
// no old numbers, while the daemon cannot be reached. In an office (docs/office.md) it says so when
// its station cannot reach the office queue: the calls shown may not be current.
import { css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import type { CalledTicket } from '../../../protocol/events.js';
import { formatTime } from '../common/format.js';
import { bi } from '../common/i18n.js';
import { AnnouncerController } from '../controllers/announcer.js';
import type { KioskConnection } from '../data/kiosk-connection.js';
import { outOfServicePanel, screenHost } from '../styles/layout.js';
import { theme } from '../styles/theme.js';
import { callDisplayStyles } from './kiosk-call-display.styles.js';
import { KioskScreen } from './kiosk-screen.js';
import '../components/kiosk-status-strip.js';
import '../components/kiosk-language-switch.js';

const SHOWN = 7;

@customElement('kiosk-call-display')
export class KioskCallDisplay extends KioskScreen {
  /** Calls heard live, newest first; merged with the state's recentlyCalled. */
  @state() private live: CalledTicket[] = [];
  /** Bumped on every call heard live, so the newest row flashes again (a recall of the same number too). */
  @state() private flashes = 0;
  private readonly announcer = new AnnouncerController(this);

  protected override listen(connection: KioskConnection): () => void {
    return connection.on('called', (c) => {
      this.live = [c, ...this.live].slice(0, 50);
      this.flashes++;
      this.announcer.announce(c);
    });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('kioskState') && this.kioskState) this.announcer.settings = this.kioskState.display;
    // Back from an outage: the daemon's state is the truth again, not what was heard before.
    if (changed.has('link') && this.link === 'up' && changed.get('link') === 'down') this.live = [];
  }

  /** Newest first, one row per number (a recall shows once, at its newest). */
  calls(): CalledTicket[] {
    const all = [...this.live, ...(this.kioskState?.queue.recentlyCalled ?? [])].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
    const seen = new Set<string>();
    return all.filter((c) => !seen.has(c.number) && (seen.add(c.number), true)).slice(0, SHOWN);
  }

  protected override render(): TemplateResult {
    const up = this.link === 'up';
    return html`<header>
        <kiosk-status-strip audience="public"><kiosk-language-switch></kiosk-language-switch></kiosk-status-strip>
        <h1>${bi(this.language, { ja: 'お呼び出し番号', en: 'Now serving' })}</h1>
      </header>
      <main data-sound=${this.announcer.sound} data-announced=${this.announcer.announced} data-flashes=${this.flashes}>
        ${up ? this.renderCalls() : this.renderOutOfService()}
      </main>`;
  }

  private renderCalls(): TemplateResult {
    const [newest, ...rest] = this.calls();
    const q = this.kioskState?.queue;
    return html`<section class="calls" aria-live="polite" aria-label="お呼び出し / Calls">
        ${newest
          ? keyed(`${newest.number}@${newest.at}#${this.flashes}`, html`<div class="newest flash" data-called=${newest.number}>
              <span class="num">${newest.number}</span>
              <span class="counter">${bi(this.language, { ja: `${newest.counter}番窓口へ`, en: `Counter ${newest.counter}` }, true)}</span>
            </div>`)
          : html`<p class="empty">${bi(this.language, { ja: 'お呼び出しをお待ちください', en: 'Please wait to be called' }, true)}</p>`}
        <ol>
          ${rest.map(
            (c) => html`<li data-called=${c.number}>
              <span class="num">${c.number}</span><span>${bi(this.language, { ja: `${c.counter}番窓口`, en: `Counter ${c.counter}` })}</span><span class="time">${formatTime(c.at)}</span>
            </li>`,
          )}
        </ol>
      </section>
      <aside class="queue" data-waiting=${q?.waiting ?? ''}>
        <p class="q-label">${bi(this.language, { ja: 'お待ちの方', en: 'Waiting' }, true)}</p>
        <p class="q-num"><strong>${q?.waiting ?? '—'}</strong> ${bi(this.language, { ja: '人', en: 'people' })}</p>
        ${q?.estimatedWaitMinutes != null && q.waiting > 0
          ? html`<p class="q-label">${bi(this.language, { ja: '待ち時間の目安', en: 'Estimated wait' }, true)}</p>
              <p class="q-num" data-wait>${bi(this.language, { ja: `約 ${q.estimatedWaitMinutes} 分`, en: `about ${q.estimatedWaitMinutes} min` }, true)}</p>`
          : nothing}
        ${this.kioskState?.officeQueue?.state === 'unavailable'
          ? html`<p class="muted" data-queue-not-current>${bi(this.language, { ja: '呼び出し状況が最新でない可能性があります。窓口でご確認ください。', en: 'The calls shown may not be current: please ask at the counter.' }, true)}</p>`
          : nothing}
        ${this.announcer.sound === 'blocked' && (this.kioskState?.display.chime || this.kioskState?.display.voice)
          ? html`<p class="muted" data-sound-blocked>${bi(this.language, { ja: '音声を出せません（ブラウザの設定）', en: 'Sound blocked by the browser' }, true)}</p>`
          : nothing}
      </aside>`;
  }

  private renderOutOfService(): TemplateResult {
    return html`<section class="out" data-fit data-out-of-service>
      <p class="big">${bi(this.language, { ja: 'ただいま表示を停止しています', en: 'This display is paused' }, true)}</p>
      <p>${bi(this.language, { ja: 'お呼び出しは窓口でご確認ください。', en: 'Please ask at the counter whether you have been called.' }, true)}</p>
    </section>`;
  }

  static override styles = [theme, screenHost, outOfServicePanel, callDisplayStyles];
}

declare global {
  interface HTMLElementTagNameMap {
    'kiosk-call-display': KioskCallDisplay;
  }
}
