// What the public screens (self-service, call display) share: the daemon's state, the link to it,
// the language and the /kiosk connection from kiosk-app's contexts, and one listener on that
// connection, moved along when the connection changes and removed when the screen leaves the page.
import { LitElement, type PropertyValues } from 'lit';
import type { KioskState } from '../../../protocol/events.js';
import type { Lang } from '../common/i18n.js';
import { consumeProperty } from '../context/consume-property.js';
import { daemonLinkContext, kioskConnectionContext, kioskStateContext, languageContext, type LinkState } from '../context/kiosk-context.js';
import type { KioskConnection } from '../data/kiosk-connection.js';

export abstract class KioskScreen extends LitElement {
  @consumeProperty(kioskStateContext)
  kioskState?: KioskState;

  @consumeProperty(kioskConnectionContext)
  connection?: KioskConnection;

  @consumeProperty(daemonLinkContext)
  link: LinkState = 'connecting';

  @consumeProperty(languageContext)
  language: Lang = 'ja';

  private unsubscribe: (() => void) | undefined;

  /** Subscribe to the connection's events (`connection.on(...)`); return the unsubscribe function. */
  protected abstract listen(connection: KioskConnection): () => void;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('connection')) {
      this.unsubscribe?.();
      this.unsubscribe = this.connection ? this.listen(this.connection) : undefined;
    }
  }
}
