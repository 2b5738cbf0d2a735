// @lit/context keys the root element provides to every screen and component below it.
import { createContext } from '@lit/context';
import type { KioskState } from '../../../protocol/events.js';
import type { KioskConnection } from '../data/kiosk-connection.js';

/** The daemon's latest KioskState (office, upstream, cache age, devices, printer, queue, hours), or undefined before the first one arrives. */
export const kioskStateContext = createContext<KioskState | undefined>(Symbol('kiosk-state'));

/** Whether the page is connected to the daemon right now; while false every state shown may be old. */
export const daemonLinkContext = createContext<boolean>(Symbol('daemon-link'));

/** The /kiosk namespace connection, for sending camera and typed scans. */
export const kioskConnectionContext = createContext<KioskConnection | undefined>(Symbol('kiosk-connection'));
