// The daemon's typed event bus (Zigbee2MQTT eventBus.ts style): events are declared once,
// listeners are keyed by owner so stop() can drop them, and one failing listener cannot break the rest.
import type { CalledTicket, DeviceHealth, PrinterHealth, VerdictEvent } from '../protocol/events.js';

export interface KioskEvents {
  verdict: [VerdictEvent];
  called: [CalledTicket];
  /** Something a screen shows changed (queue, devices, printer, cache, upstream). */
  stateChanged: [];
  device: [DeviceHealth];
  /** A staff session ended (sign-out): its sockets must go. */
  sessionEnded: [token: string];
  printer: [PrinterHealth];
}

type Listener<A extends unknown[]> = (...args: A) => void;

export class EventBus {
  private readonly listeners = new Map<keyof KioskEvents, Map<object, Listener<never[]>[]>>();

  constructor(private readonly onListenerError: (event: string, error: unknown) => void = () => {}) {}

  on<E extends keyof KioskEvents>(event: E, owner: object, listener: Listener<KioskEvents[E]>): void {
    let byOwner = this.listeners.get(event);
    if (!byOwner) this.listeners.set(event, (byOwner = new Map()));
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), listener as Listener<never[]>]);
  }

  /** Drop every listener the owner registered. */
  removeListeners(owner: object): void {
    for (const byOwner of this.listeners.values()) byOwner.delete(owner);
  }

  emit<E extends keyof KioskEvents>(event: E, ...args: KioskEvents[E]): void {
    for (const listeners of this.listeners.get(event)?.values() ?? []) {
      for (const listener of listeners) {
        try {
          (listener as Listener<KioskEvents[E]>)(...args);
        } catch (error) {
          this.onListenerError(event, error);
        }
      }
    }
  }
}
