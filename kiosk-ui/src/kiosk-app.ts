// Root element: connects to the daemon's /kiosk namespace, provides state to everything below it,
// and shows the screen for the path (/ self-service, /counter staff, /display call display).
import { ContextProvider } from '@lit/context';
import { LitElement, css, html, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { KioskState } from '../../protocol/events.js';
import { daemonLinkContext, kioskConnectionContext, kioskStateContext } from './context/kiosk-context.js';
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

@customElement('kiosk-app')
export class KioskApp extends LitElement {
  @state() private route: Route = routeFor(location.pathname);

  private readonly stateProvider = new ContextProvider(this, { context: kioskStateContext, initialValue: undefined });
  private readonly linkProvider = new ContextProvider(this, { context: daemonLinkContext, initialValue: false });
  private readonly connectionProvider = new ContextProvider(this, { context: kioskConnectionContext, initialValue: undefined });
  private connection: KioskConnection | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.connection = new KioskConnection({
      state: (s: KioskState) => this.stateProvider.setValue(s),
      link: (up) => this.linkProvider.setValue(up),
    });
    this.connectionProvider.setValue(this.connection);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.connection?.close();
    this.connection = undefined;
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
      min-height: 100vh;
    }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'kiosk-app': KioskApp;
  }
}
