// Layout blocks several components repeat. Put them after `theme` in `static styles`; a component's
// own sheet then adds to them (gap, width, background) or overrides them.
import { css } from 'lit';

/** A full-screen screen (self-service, call display): a column exactly as tall as the viewport (never scrolls). */
export const screenHost = css`
  :host {
    display: flex;
    flex-direction: column;
    height: 100%;
  }
`;

/** A panel whose parts stack with the usual 12 px between them (work panel, PIN pad). */
export const stackHost = css`
  :host {
    display: flex;
    flex-direction: column;
    gap: 12px;
  }
`;

/** A `ul` without bullets, indent or outer margin (the counter's lists). */
export const plainList = css`
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
  }
`;

/** The red panel a public screen shows while out of service (.out): a big line (.big or h1) and its step. */
export const outOfServicePanel = css`
  .out {
    flex: 1;
    display: flex;
    flex-direction: column;
    justify-content: center;
    align-items: center;
    gap: 32px;
    padding: 32px;
    text-align: center;
    border: 6px solid var(--k-bad);
    background: var(--k-bad-bg);
    border-radius: 24px;
  }
  .out p {
    margin: 0;
    font-size: clamp(32px, 3.6vw, 48px);
    font-weight: 700;
  }
  .out h1,
  .out .big {
    font-size: clamp(48px, 6vw, 80px);
  }
  .out .alt {
    font-size: 0.6em;
  }
`;

/** The line that says how a staff action went (.result-line.good / .bad). */
export const resultLine = css`
  .result-line {
    font-weight: 700;
    margin: 0 0 8px;
    padding: 8px 12px;
    border-radius: 8px;
  }
  .result-line.good {
    background: var(--k-ok-bg);
    color: var(--k-ok);
  }
  .result-line.bad {
    background: var(--k-bad-bg);
    color: var(--k-bad);
  }
`;
