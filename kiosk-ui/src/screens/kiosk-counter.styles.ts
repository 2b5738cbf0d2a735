// The counter screen's look: a page as tall as the window, whose two columns scroll on their own
// (the page itself never does).
import { css } from 'lit';

export const counterStyles = css`
  :host {
    font-size: 20px;
  }
  header {
    flex: none;
  }
  .signin-head {
    display: flex;
    justify-content: flex-end;
    padding: 8px 16px 0;
  }
  .bar {
    display: flex;
    flex-wrap: wrap;
    gap: 8px 16px;
    align-items: center;
    padding: 6px 16px;
    border-bottom: 2px solid var(--k-line);
  }
  h1 {
    margin: 0;
    font-size: 30px;
  }
  h2 {
    margin: 20px 0 8px;
    font-size: 22px;
  }
  .sign-out {
    margin-left: auto;
  }
  .down {
    margin: 8px 16px;
    padding: 10px 16px;
    background: var(--k-bad);
    color: #fff;
    font-weight: 700;
    border-radius: 8px;
  }
  main {
    flex: 1;
    min-height: 0;
  }
  .pick {
    padding: 24px;
  }
  .cols {
    display: grid;
    grid-template-columns: minmax(300px, 1fr) 2fr;
    gap: 16px;
    padding: 12px 16px;
  }
  @media (orientation: portrait) {
    .cols {
      grid-template-columns: 1fr;
      grid-template-rows: minmax(0, 2fr) minmax(0, 3fr);
    }
  }
  .queue,
  .work {
    min-height: 0;
    overflow: auto;
  }
  .call {
    width: 100%;
    min-height: 72px;
    font-size: 28px;
    margin-bottom: 12px;
  }
`;
