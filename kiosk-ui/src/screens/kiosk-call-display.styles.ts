// The call display's look: readable across a waiting room, fitting 1920×1080, 1280×800 and
// 1080×1920 without scrolling (the queue beside the calls in landscape, below them in portrait).
import { css } from 'lit';

export const callDisplayStyles = css`
  h1 {
    margin: 0;
    padding: 8px 32px 0;
    font-size: clamp(36px, 4vh, 48px);
  }
  h1 .alt {
    font-size: 0.6em;
  }
  main {
    flex: 1;
    min-height: 0;
    display: grid;
    grid-template-columns: 1fr minmax(240px, 22vw);
    gap: 24px;
    padding: 16px 32px;
    overflow: hidden;
  }
  @media (orientation: portrait) {
    main {
      grid-template-columns: 1fr;
      grid-template-rows: 1fr auto;
    }
    .queue {
      flex-direction: row;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 8px 24px;
    }
  }
  .calls {
    min-height: 0;
    display: flex;
    flex-direction: column;
    gap: 12px;
    overflow: hidden;
  }
  .newest {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px 48px;
    padding: 8px 40px;
    border-radius: 20px;
    background: #ffe14d;
    border: 6px solid #000;
  }
  .flash {
    animation: flash 0.8s ease-in-out 4;
  }
  .num,
  .counter {
    white-space: nowrap;
  }
  .newest .num {
    font-size: clamp(100px, min(16vw, 20vh), 240px);
    font-weight: 800;
    line-height: 1.05;
  }
  .newest .counter {
    font-size: clamp(40px, min(5vw, 7vh), 72px);
    font-weight: 700;
    line-height: 1.2;
  }
  .newest .alt {
    color: #222;
    font-size: 0.6em;
  }
  ol {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(420px, 1fr));
    gap: 12px;
    overflow: hidden;
  }
  li {
    display: flex;
    gap: 24px;
    align-items: baseline;
    font-size: 32px;
    padding: 4px 24px;
    border: 3px solid var(--k-line);
    border-radius: 12px;
  }
  li .num {
    font-size: clamp(44px, 6vh, 64px);
    font-weight: 800;
  }
  li .alt {
    font-size: 22px;
  }
  .time {
    margin-left: auto;
    color: var(--k-muted);
    font-size: 24px;
  }
  .queue {
    display: flex;
    flex-direction: column;
    gap: 4px;
    padding: 16px 24px;
    border: 3px solid var(--k-line);
    border-radius: 16px;
    background: #f5f7fb;
    align-self: start;
  }
  .queue p {
    margin: 0;
  }
  .q-label {
    font-size: 28px;
    font-weight: 700;
  }
  .q-label .alt {
    font-size: 22px;
  }
  .q-num {
    font-size: 32px;
  }
  .q-num strong {
    font-size: clamp(56px, 8vh, 96px);
  }
  .muted {
    font-size: 20px;
    color: var(--k-muted);
  }
  .empty {
    font-size: 48px;
    text-align: center;
    margin-top: 15vh;
  }
  .out {
    grid-column: 1 / -1;
  }
  @keyframes flash {
    50% {
      background: #fff;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .flash {
      animation: none;
    }
  }
`;
