// Station-to-station routes (/office/v1/…) take only a token of one of this office's stations: a
// laptop on the LAN, a made-up token and a station of another office are refused (401) on every
// route, and a station that claims to be another is refused (403).
import { describe, expect, it } from 'vitest';
import { useHubEngine } from './support/hub-harness.js';
import { officeHub, startStation, untilOffice, type Station, useStops } from './support/office.js';
import { officeRecords } from './support/sync-office.js';

const ROUTES: { method: 'GET' | 'POST'; path: string; body?: (claimed: string) => object }[] = [
  { method: 'POST', path: '/office/v1/raft/vote', body: (c) => ({ term: 99, candidateId: c, lastLogIndex: 99, lastLogTerm: 99, preVote: false }) },
  { method: 'POST', path: '/office/v1/raft/append', body: (c) => ({ term: 99, leaderId: c, prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0 }) },
  { method: 'POST', path: '/office/v1/raft/snapshot', body: (c) => ({ term: 99, leaderId: c, lastIncludedIndex: 1, lastIncludedTerm: 1, members: [{ id: c, url: 'http://127.0.0.1:1' }], state: {} }) },
  { method: 'POST', path: '/office/v1/propose', body: (c) => ({ from: c, command: { type: 'call-next', id: 'x:1', counter: '1' } }) },
  { method: 'POST', path: '/office/v1/join', body: (c) => ({ member: { id: c, url: 'http://127.0.0.1:1' } }) },
  { method: 'GET', path: '/office/v1/status' },
  { method: 'GET', path: '/office/v1/no-such-route' },
];

describe('station-to-station routes', () => {
  const h = useHubEngine('sqlite');
  const onStop = useStops();

  it('refuse a foreign client on every route, and a station that claims to be another', async () => {
    const { store, hub } = await officeHub(h, [...officeRecords(3), ...officeRecords(1, '4302')]);
    const stations: Station[] = [];
    for (const [id, queue] of [['counter-1', 'found'], ['counter-2', ''], ['counter-3', '']] as const) {
      const s = await startStation(store, hub, id, 'counter', queue || stations[0]!.daemon.url, 3);
      onStop(() => s.stop());
      stations.push(s);
    }
    await untilOffice(stations);
    const [target, other] = stations as [Station, Station];
    const otherOffice = await store.enroll('kiosk-of-4302', '4302');

    const send = async (route: (typeof ROUTES)[number], token: string | null, claimed: string) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (token) headers['authorization'] = `Bearer ${token}`;
      const res = await fetch(target.daemon.url + route.path, { method: route.method, headers, ...(route.body ? { body: JSON.stringify(route.body(claimed)) } : {}) });
      return { status: res.status, body: (await res.json()) as { error?: { code: string } } };
    };
    for (const route of ROUTES) {
      for (const token of [null, 'not-a-token', otherOffice, `${other.token}x`]) {
        const answer = await send(route, token, other.deviceId);
        expect(answer.status, `${route.method} ${route.path} with ${token === null ? 'no token' : token === otherOffice ? 'a token of another office' : 'a made-up token'}`).toBe(401);
        expect(answer.body.error?.code).toBe('UNAUTHORIZED');
      }
      // A station of the office naming another station than its own token's.
      if (route.body) {
        const answer = await send(route, other.token, 'counter-3');
        expect(answer.status, `${route.method} ${route.path} claiming another station`).toBe(403);
      }
    }
    // The same routes answer a station of the office (the refusals above are not the only answer).
    expect((await send(ROUTES[5]!, other.token, other.deviceId)).status).toBe(200);
    expect((await target.status()).queue).toEqual([]);
    // The office was not disturbed: the same holder, every station current.
    await untilOffice(stations);
  }, 180_000);
});
