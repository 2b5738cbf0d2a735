// Floors: the same work done by the bare primitive (crypto.verify, a prepared INSERT, a pty and a
// Socket.IO echo, an idle Node process), measured in the same process and the same minute as the
// kiosk's own path, so the ratio says how good the code is whatever the machine's load.
import { fmt } from './measure.js';

/** Run `floor` and `result` in alternating rounds so both see the same load; returns total ms of each. */
export function interleaved(rounds: number, floor: (round: number) => void, result: (round: number) => void): { floorMs: number; resultMs: number } {
  let floorMs = 0;
  let resultMs = 0;
  for (let r = 0; r < rounds; r++) {
    let t = performance.now();
    floor(r);
    floorMs += performance.now() - t;
    t = performance.now();
    result(r);
    resultMs += performance.now() - t;
  }
  return { floorMs, resultMs };
}

/** One line: the floor, the result and result/floor for a rate (higher is better). */
export function rateLine(label: string, unit: string, floorPerSecond: number, resultPerSecond: number, target: string): string {
  const ratio = resultPerSecond / floorPerSecond;
  return `${label.padEnd(12)} floor ${fmt(floorPerSecond, 0).padStart(7)} ${unit}   result ${fmt(resultPerSecond, 0).padStart(7)} ${unit}   ratio ${fmt(ratio * 100, 1)} % of floor (target ${target})`;
}
