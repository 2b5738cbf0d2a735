// Root element: connects to the daemon's /kiosk namespace, provides state, link and language to
// everything below it, and shows the screen for the path (/ self-service, /counter staff,
// /display call display).
import { ContextProvider } from '@lit/context';
import { LitElement, css, html, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { KioskState } from '../../protocol/events.js';
import { isLang, type Lang } from './common/i18n.js';
import { daemonLinkContext, kioskConnectionContext, kioskStateContext, languageContext, type LinkState } from './context/kiosk-context.js';
import { KioskConnection } from './data/kiosk-connection.js';
import './screens/kiosk-self-service.js';
import './screens/kiosk-counter.js';
import './screens/kiosk-call-display.js';

export type Route = 'self-service' | 'counter' | 'display';

export function routeFor(path: string): Route {
  const p = path.replace(/\/+$/, '');
  if (p === '/counter') return 'counter';
  if (p === '/display') return 'display';
  return 'self-service';
}

/** Until the first connect, a page is "connecting" this long before it says the daemon is down. */
const FIRST_CONNECT_GRACE_MS = 3000;
/** The counter PC keeps its staff's language; public screens start in Japanese every time. */
const LANG_KEY = 'kiosk.counterLanguage';

@customElement('kiosk-app')
export class KioskApp extends LitElement {
  @state() private route: Route = routeFor(location.pathname);

  private readonly stateProvider = new ContextProvider(this, { context: kioskStateContext, initialValue: undefined });
  private readonly linkProvider = new ContextProvider(this, { context: daemonLinkContext, initialValue: 'connecting' as LinkState });
  private readonly connectionProvider = new ContextProvider(this, { context: kioskConnectionContext, initialValue: undefined });
  private readonly langProvider = new ContextProvider(this, { context: languageContext, initialValue: this.initialLang() });
  private connection: KioskConnection | undefined;
  private graceTimer: ReturnType<typeof setTimeout> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('kiosk-language', (e) => this.setLang(e.detail.lang));
    document.documentElement.lang = this.langProvider.value;
    // The counter talks to /staff only (its own contexts): /kiosk admits loopback screens, and a
    // counter PC is usually another machine.
    if (this.route === 'counter') return;
    this.graceTimer = setTimeout(() => {
      if (this.linkProvider.value === 'connecting') this.linkProvider.setValue('down');
    }, FIRST_CONNECT_GRACE_MS);
    this.connection = new KioskConnection({
      state: (s: KioskState) => this.stateProvider.setValue(s),
      link: (up) => this.linkProvider.setValue(up ? 'up' : 'down'),
    });
    this.connectionProvider.setValue(this.connection);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.graceTimer);
    this.connection?.close();
    this.connection = undefined;
  }

  private initialLang(): Lang {
    if (this.route !== 'counter') return 'ja';
    try {
      const v = localStorage.getItem(LANG_KEY);
      return isLang(v) ? v : 'ja';
    } catch {
      return 'ja';
    }
  }

  private setLang(lang: Lang): void {
    this.langProvider.setValue(lang);
    document.documentElement.lang = lang;
    if (this.route !== 'counter') return;
    try {
      localStorage.setItem(LANG_KEY, lang);
    } catch {
      /* storage disabled: the choice lasts until reload */
    }
  }

  protected override render(): TemplateResult {
    switch (this.route) {
      case 'counter':
        return html`<kiosk-counter></kiosk-counter>`;
      case 'display':
        return html`<kiosk-call-display></kiosk-call-display>`;
      default:
        return html`<kiosk-self-service></kiosk-self-service>`;
    }
  }

  static override styles = css`
    :host {
      display: block;
      height: 100%;
    }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'kiosk-app': KioskApp;
  }
}
