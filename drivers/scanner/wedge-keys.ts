// Key events from a keyboard-wedge scanner → the characters it typed (Enter/Tab become CR, which
// the framer treats as end of frame). Tracks Shift and Caps Lock; ignores releases and unknown keys.
import { EV_KEY, KEY_PRESS, KEY_RELEASE, KEY_REPEAT, type InputEvent } from './evdev.js';
import { KEY_CAPSLOCK, KEY_ENTER, KEY_KPENTER, KEY_LEFTSHIFT, KEY_RIGHTSHIFT, KEY_TAB, charFor, type KeyLayout } from './keymap.js';

export class WedgeKeys {
  private shiftDown = new Set<number>();
  private capsLock = false;

  constructor(private readonly layout: KeyLayout) {}

  /** The typed text for these events ('' when none). */
  feed(events: readonly InputEvent[]): string {
    let out = '';
    for (const ev of events) {
      if (ev.type !== EV_KEY) continue;
      if (ev.code === KEY_LEFTSHIFT || ev.code === KEY_RIGHTSHIFT) {
        if (ev.value === KEY_RELEASE) this.shiftDown.delete(ev.code);
        else this.shiftDown.add(ev.code);
        continue;
      }
      if (ev.value !== KEY_PRESS && ev.value !== KEY_REPEAT) continue;
      if (ev.code === KEY_CAPSLOCK) {
        if (ev.value === KEY_PRESS) this.capsLock = !this.capsLock;
        continue;
      }
      if (ev.code === KEY_ENTER || ev.code === KEY_KPENTER || ev.code === KEY_TAB) {
        out += '\r';
        continue;
      }
      out += charFor(ev.code, this.shiftDown.size > 0, this.capsLock, this.layout) ?? '';
    }
    return out;
  }
}
