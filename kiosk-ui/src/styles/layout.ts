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
