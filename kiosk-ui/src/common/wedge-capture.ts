// Keyboard-wedge fallback (drivers/README.md): a USB scanner in keyboard mode "types" the code into the
// page. Listen on the window without a visible field, buffer printable keys, and end a scan at
// Enter or after a gap with no key (scanners type far faster than people).
//
// With `scanPrefixes`, a scan never lands in a field either: keys typed into a focused field at
// scanner speed that spell one of the prefixes (KQ1, KT-) are taken back out of the field and read
// as a scan (people do not type "KQ1" within a few milliseconds).

export interface WedgeOptions {
  /** Called with each complete scan (trimmed, non-empty, at least minLength). */
  onScan: (text: string) => void;
  /** A pause longer than this ends the scan. */
  gapMs?: number;
  /** Shorter bursts are stray key presses, not scans. */
  minLength?: number;
  /** Bound the buffer: a stuck key must not grow memory. */
  maxLength?: number;
  /** How scans begin; when set, a scan typed into a focused field is taken out of it. */
  scanPrefixes?: string[];
  /** Keys in a field closer together than this count as one burst (a scanner's speed). */
  fieldBurstMs?: number;
}

type Key = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'metaKey' | 'isComposing'> & { target?: EventTarget | null; preventDefault?: () => void; timeStamp?: number };

/** A focused input, textarea or editable element, as far as taking a scan back out of it goes. */
interface EditableField {
  value?: string;
  dispatchEvent?(e: Event): boolean;
}

interface FieldBurst {
  field: EditableField;
  /** The field's value before the burst's first key landed. */
  before: string;
  text: string;
  lastAt: number;
}

export class WedgeCapture {
  private buffer = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly gapMs: number;
  private readonly minLength: number;
  private readonly maxLength: number;
  private readonly prefixes: string[];
  private readonly fieldBurstMs: number;
  private burst: FieldBurst | undefined;
  /** A scan that began in a field: its keys keep coming there until it ends. */
  private capturingInField = false;
  private target: EventTarget | undefined;
  private readonly listener = (e: Event) => {
    const k = e as KeyboardEvent;
    // Keys typed inside a shadow root reach the window retargeted to the host; use the real origin.
    const origin = k.composedPath()[0] ?? k.target;
    this.onKey({ key: k.key, ctrlKey: k.ctrlKey, altKey: k.altKey, metaKey: k.metaKey, isComposing: k.isComposing, target: origin, preventDefault: () => k.preventDefault(), timeStamp: k.timeStamp });
  };

  constructor(private readonly options: WedgeOptions) {
    this.gapMs = options.gapMs ?? 50;
    this.minLength = options.minLength ?? 4;
    this.maxLength = options.maxLength ?? 4096 + 16;
    this.prefixes = (options.scanPrefixes ?? []).map((p) => p.toUpperCase());
    this.fieldBurstMs = options.fieldBurstMs ?? 35;
  }

  start(target: EventTarget = window): void {
    this.stop();
    this.target = target;
    // Capture phase: see the key before a field's own handlers do.
    target.addEventListener('keydown', this.listener, true);
  }

  stop(): void {
    this.target?.removeEventListener('keydown', this.listener, true);
    this.target = undefined;
    clearTimeout(this.timer);
    this.buffer = '';
    this.burst = undefined;
    this.capturingInField = false;
  }

  /** Feed one key (exposed for tests and for callers with their own listener). */
  onKey(e: Key): void {
    if (e.isComposing || e.ctrlKey || e.altKey || e.metaKey) return;
    const field = editableField(e.target ?? null);
    if (field && !this.capturingInField && !this.fieldKey(field, e)) return; // a person typing: the field's key
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

  /**
   * A key typed into a field: true when it belongs to a scan (the burst just spelled a prefix: its
   * earlier keys are taken back out of the field and go to the buffer), false to leave it to the field.
   */
  private fieldKey(field: EditableField, e: Key): boolean {
    if (this.prefixes.length === 0 || e.key.length !== 1) {
      this.burst = undefined;
      return false;
    }
    const now = e.timeStamp ?? performance.now();
    const b = this.burst;
    if (b && b.field === field && now - b.lastAt <= this.fieldBurstMs) {
      b.text += e.key;
      b.lastAt = now;
    } else {
      this.burst = { field, before: field.value ?? '', text: e.key, lastAt: now };
    }
    const text = this.burst!.text.toUpperCase();
    if (!this.prefixes.some((p) => p.startsWith(text) || text.startsWith(p))) {
      this.burst = undefined;
      return false;
    }
    if (!this.prefixes.some((p) => text.startsWith(p))) return false; // maybe a prefix: let it land for now
    // A scan: put the field back as it was and read the burst's earlier keys as the scan's start.
    const burst = this.burst!;
    this.burst = undefined;
    if (typeof burst.field.value === 'string') {
      burst.field.value = burst.before;
      burst.field.dispatchEvent?.(new Event('input', { bubbles: true, composed: true }));
    }
    this.buffer = burst.text.slice(0, -1);
    this.capturingInField = true;
    return true;
  }

  private flush(): void {
    clearTimeout(this.timer);
    const text = this.buffer.trim();
    this.buffer = '';
    this.capturingInField = false;
    if (text.length >= this.minLength) this.options.onScan(text);
  }
}

function editableField(t: EventTarget | null): EditableField | null {
  const el = t as ({ tagName?: unknown; isContentEditable?: boolean } & EditableField) | null;
  if (!el || typeof el.tagName !== 'string') return null;
  const tag = el.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable === true ? el : null;
}
