// HubHttp against a real HTTP server on loopback: the clock comparison of a long-poll.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HubHttp } from './hub-http.js';

describe('HubHttp', () => {
  let server: Server | null = null;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  it('a long-poll answered after its wait shows no skew between two clocks that agree', async () => {
    // Like the hub: wait for news, then stamp hubTime as it answers.
    server = createServer((_req, res) => {
      setTimeout(() => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ feedId: 'f', asOf: new Date().toISOString(), hubTime: new Date().toISOString(), head: 0, next: 0, more: false, changes: [] }));
      }, 2_000);
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const skews: number[] = [];
    const http = new HubHttp({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 't', onClock: (ms) => skews.push(ms) });
    await http.getChanges({ since: 0, limit: 10, wait: 2 });
    expect(skews).toHaveLength(1);
    // Half the wait (1 s) is what comparing with the middle of the exchange would report.
    expect(Math.abs(skews[0]!)).toBeLessThan(250);
  });
});
