// The verdict card's look. Sizes follow the viewport's smaller side, so the whole card (Close
// included) fits 1080×1920 portrait, 1280×800 and 1920×1080 without scrolling; in landscape the
// number and the vehicles sit side by side.
import { css } from 'lit';

export const verdictStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 0;
  }
  .card {
    flex: 1;
    min-height: 0;
    box-sizing: border-box;
    padding: min(3vh, 32px) min(3vw, 40px);
    border-radius: 24px;
    border: 6px solid var(--k-line);
    display: flex;
    flex-direction: column;
    gap: min(1.5vh, 16px);
    text-align: center;
  }
  .body {
    flex: 1;
    min-height: 0;
    display: flex;
    flex-direction: column;
    justify-content: center;
    gap: min(2vh, 24px);
  }
  .main,
  .side {
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: min(1.2vh, 12px);
  }
  p {
    margin: 0;
  }
  .alt.block {
    margin-top: 4px;
  }
  .lead {
    margin: 0;
    font-size: clamp(28px, min(4vw, 4.5vh), 44px);
    font-weight: 700;
  }
  .label {
    font-size: clamp(22px, 2.6vh, 28px);
  }
  .number {
    font-size: clamp(110px, min(22vw, 24vh), 260px);
    line-height: 1;
    font-weight: 800;
    letter-spacing: 0.04em;
    font-variant-numeric: tabular-nums;
    color: #000;
  }
  .number.small {
    font-size: clamp(80px, min(12vw, 13vh), 160px);
  }
  .called-to {
    font-size: clamp(44px, min(6.4vw, 7vh), 110px);
    line-height: 1.15;
    font-weight: 800;
    color: #000;
    background: #ffe14d;
    border: 4px solid #000;
    border-radius: 16px;
    padding: 8px 24px;
  }
  .called-to .alt {
    color: #222;
    font-size: 0.5em;
  }
  .facts {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    gap: 8px 32px;
    font-size: clamp(26px, 3.4vh, 36px);
    font-weight: 700;
  }
  .facts .alt {
    font-size: 0.7em;
  }
  .items,
  .excluded {
    font-size: clamp(20px, 2.4vh, 26px);
    text-align: left;
  }
  .items-title,
  .excluded > p:first-child {
    font-weight: 700;
  }
  .items-title .alt,
  .excluded .alt {
    font-size: 0.8em;
  }
  ul {
    list-style: none;
    margin: 4px 0 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: 4px;
  }
  li {
    display: flex;
    flex-wrap: wrap;
    gap: 0 12px;
    align-items: baseline;
  }
  .reg {
    font-weight: 700;
  }
  .excluded {
    border: 3px solid var(--k-warn);
    background: var(--k-warn-bg);
    border-radius: 12px;
    padding: 8px 16px;
  }
  .message {
    font-size: clamp(26px, min(3.2vw, 3.6vh), 36px);
    font-weight: 700;
    max-width: 30em;
    align-self: center;
  }
  .message .alt,
  .step .alt,
  .take .alt,
  .warn .alt {
    font-size: 0.72em;
  }
  .step {
    font-size: clamp(24px, 3vh, 32px);
    max-width: 30em;
  }
  .take {
    font-size: clamp(28px, 3.6vh, 38px);
    font-weight: 700;
    color: var(--k-primary);
  }
  .take .alt {
    color: var(--k-primary);
  }
  .warn {
    font-size: clamp(24px, 3vh, 30px);
    font-weight: 700;
    color: #fff;
    background: var(--k-bad);
    padding: 8px 16px;
    border-radius: 10px;
  }
  .warn .alt {
    color: #fff;
  }
  footer {
    display: flex;
    align-items: center;
    gap: 24px;
    text-align: left;
  }
  kiosk-countdown {
    flex: 1;
  }
  .close {
    min-width: 200px;
    min-height: 64px;
  }
  @media (orientation: landscape) {
    .body.ticket {
      flex-direction: row;
      align-items: center;
    }
    .called-to {
      font-size: clamp(40px, min(4.2vw, 7vh), 90px);
    }
    .body.ticket .main {
      flex: 3;
    }
    .body.ticket .side {
      flex: 2;
    }
  }
`;
