// Shared look: high contrast, large type, touch targets of at least 48 px (Home Assistant's haStyle idea).
import { css } from 'lit';

export const theme = css`
  :host {
    --k-fg: #111;
    --k-bg: #fff;
    --k-muted: #3c3c3c;
    --k-primary: #0b4f9c;
    --k-ok: #0a6b2b;
    --k-ok-bg: #e3f4e8;
    --k-bad: #a30d0d;
    --k-bad-bg: #fde8e8;
    --k-warn: #7a4a00;
    --k-warn-bg: #fff3d6;
    --k-line: #8a8a8a;
    --k-touch: 56px;
    /* The bundled face first (main.ts loads it), so every kiosk image renders the same; system
       fonts only while it loads. */
    font-family: 'Noto Sans JP Variable', 'Noto Sans CJK JP', 'Noto Sans JP', sans-serif;
    color: var(--k-fg);
    font-size: 20px;
    line-height: 1.45;
  }
  [lang='en'] {
    font-family: system-ui, 'Noto Sans', 'Noto Sans JP Variable', sans-serif;
  }
  .en,
  .alt {
    color: var(--k-muted);
    font-size: 0.85em;
    font-weight: 400;
  }
  button .alt {
    color: inherit;
  }
  .alt.block {
    display: block;
  }
  /* Read by screen readers, not shown. */
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  button {
    font: inherit;
    min-height: var(--k-touch);
    min-width: var(--k-touch);
    padding: 8px 20px;
    border-radius: 10px;
    border: 2px solid var(--k-primary);
    background: var(--k-primary);
    color: #fff;
    font-weight: 700;
    cursor: pointer;
    touch-action: manipulation;
  }
  button.secondary {
    background: var(--k-bg);
    color: var(--k-primary);
  }
  /* A choice that is on (language, counter, cancel reason): filled like a primary button. */
  button[aria-pressed='true'],
  button[aria-checked='true'] {
    background: var(--k-primary);
    color: #fff;
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  button:focus-visible,
  input:focus-visible {
    outline: 4px solid #f0b400;
    outline-offset: 2px;
  }
  input {
    font: inherit;
    min-height: var(--k-touch);
    box-sizing: border-box;
    padding: 6px 12px;
    border: 2px solid var(--k-line);
    border-radius: 8px;
  }
`;
