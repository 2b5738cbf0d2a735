// The work panel's look (kiosk-work-panel.ts).
import { css } from 'lit';
import { outcomeColors } from '../styles/outcome.js';
import { resultLine, stackHost } from '../styles/layout.js';

export const workPanelStyles = [
  stackHost,
  resultLine,
  css`
    h2 {
      margin: 0;
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 8px 16px;
    }
    p {
      margin: 0;
    }
    .sub {
      color: var(--k-muted);
    }
    button[data-reprint] {
      align-self: flex-start;
    }
    .num {
      font-size: 48px;
      font-weight: 800;
    }
    .status {
      font-size: 24px;
      padding: 2px 12px;
      border-radius: 8px;
      border: 2px solid var(--k-line);
    }
    .st-called {
      background: #fff3b0;
      border-color: #8a6d00;
    }
    .st-no-show,
    .st-cancelled {
      background: var(--k-bad-bg);
      border-color: var(--k-bad);
    }
    .st-done {
      background: var(--k-ok-bg);
      border-color: var(--k-ok);
    }
    .banner {
      padding: 10px 16px;
      border-radius: 10px;
      border: 3px solid var(--k-line);
      margin: 0;
    }
    .docs {
      display: flex;
      gap: 16px;
      align-items: center;
    }
    .docs label {
      display: flex;
      align-items: center;
      gap: 8px;
      min-height: 48px;
    }
    input[type='checkbox'] {
      width: 32px;
      height: 32px;
    }
    .hint {
      color: var(--k-muted);
      font-size: 22px;
    }
  `,
  outcomeColors,
];
