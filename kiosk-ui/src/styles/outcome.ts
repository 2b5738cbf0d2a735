// The colours of a verdict outcome (protocol/verdict.ts Outcome), on the element with that class:
// accepted green, rejected red, refer amber. List this sheet after the component's own: it only
// sets border-color and background, over the border a card or banner draws.
import { css } from 'lit';

export const outcomeColors = css`
  .accepted {
    border-color: var(--k-ok);
    background: var(--k-ok-bg);
  }
  .rejected {
    border-color: var(--k-bad);
    background: var(--k-bad-bg);
  }
  .refer {
    border-color: var(--k-warn);
    background: var(--k-warn-bg);
  }
`;
