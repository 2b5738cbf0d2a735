// Keyboard-wedge fallback (hardware.md): a USB scanner in keyboard mode "types" the code into the
// page. Listen on the window without a visible field, buffer printable keys, and end a scan at
// Enter or after a gap with no key (scanners type far faster than people).

export interface WedgeOptions {
  /** Called with each complete scan (trimmed, non-empty, at least minLength). */
  onScan: (text: string) => void;
  /** A pause longer than this ends the scan. */
  gapMs?: number;
  /** Shorter bursts are stray key presses, not scans. */
  minLength?: number;
  /** Bound the buffer: a stuck key must not grow memory. */
  maxLength?: number;
}

export class WedgeCapture {
  private buffer = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly gapMs: number;
  private readonly minLength: number;
  private readonly maxLength: number;
  private target: EventTarget | undefined;
  private readonly listener = (e: Event) => {
    const k = e as KeyboardEvent;
    // Keys typed inside a shadow root reach the window retargeted to the host; use the real origin.
    const origin = k.composedPath()[0] ?? k.target;
    this.onKey({ key: k.key, ctrlKey: k.ctrlKey, altKey: k.altKey, metaKey: k.metaKey, isComposing: k.isComposing, target: origin, preventDefault: () => k.preventDefault() });
  };

  constructor(private readonly options: WedgeOptions) {
    this.gapMs = options.gapMs ?? 50;
    this.minLength = options.minLength ?? 4;
    this.maxLength = options.maxLength ?? 4096 + 16;
  }

  start(target: EventTarget = window): void {
    this.stop();
    this.target = target;
    target.addEventListener('keydown', this.listener);
  }

  stop(): void {
    this.target?.removeEventListener('keydown', this.listener);
    this.target = undefined;
    clearTimeout(this.timer);
    this.buffer = '';
  }

  /** Feed one key (exposed for tests and for callers with their own listener). */
  onKey(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'metaKey' | 'isComposing'> & { target?: EventTarget | null; preventDefault?: () => void }): void {
    if (e.isComposing || e.ctrlKey || e.altKey || e.metaKey) return;
    if (isEditable(e.target ?? null)) return; // a visible field owns its own keys
    if (e.key === 'Enter' || e.key === 'Tab') {
      if (this.buffer) e.preventDefault?.();
      this.flush();
      return;
    }
    if (e.key.length !== 1) return;
    e.preventDefault?.();
    if (this.buffer.length < this.maxLength) this.buffer += e.key;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.gapMs);
  }

  private flush(): void {
    clearTimeout(this.timer);
    const text = this.buffer.trim();
    this.buffer = '';
    if (text.length >= this.minLength) this.options.onScan(text);
  }
}

function isEditable(t: EventTarget | null): boolean {
  const el = t as (Element & { isContentEditable?: boolean }) | null;
  if (!el || typeof el.tagName !== 'string') return false;
  const tag = el.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable === true;
}
