// @lit/context keys the root element provides to every screen and component below it.
import { createContext } from '@lit/context';
import type { KioskState } from '../../../protocol/events.js';
import type { Lang } from '../common/i18n.js';
import type { KioskConnection } from '../data/kiosk-connection.js';

/** The daemon's latest KioskState (office, upstream, cache age, devices, printer, queue, hours), or undefined before the first one arrives. */
export const kioskStateContext = createContext<KioskState | undefined>(Symbol('kiosk-state'));

/**
 * The page's link to the daemon: `connecting` only in the first seconds after the page loads,
 * `up` while connected, `down` when lost (every state shown may be old; screens go out of service).
 */
export type LinkState = 'connecting' | 'up' | 'down';
export const daemonLinkContext = createContext<LinkState>(Symbol('daemon-link'));

/** The /kiosk namespace connection, for sending camera and typed scans. */
export const kioskConnectionContext = createContext<KioskConnection | undefined>(Symbol('kiosk-connection'));

/** The language the screen shows first (staff screens: only); changed with `kiosk-language`. */
export const languageContext = createContext<Lang>(Symbol('language'));
