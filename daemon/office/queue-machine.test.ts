// The office queue's state machine on real SQLite files: numbers drawn at apply time, one ticket
// per holder whichever kiosk asked first, a command applied twice acting once, and a snapshot that
// makes another station's copy the same.
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../tests/support/fixtures.js';
import { DAEMON_MIGRATIONS } from '../controller.js';
import { OfficeClock } from '../counter/office-clock.js';
import { QueueRules } from '../counter/queue-rules.js';
import { TicketStore } from '../counter/tickets.js';
import { Cache } from '../store/cache.js';
import type { Applied, OfficeCommand } from './commands.js';
import { OfficeQueueMachine } from './queue-machine.js';
import { officeQueueMigrations, raftMigrations } from './office-station.js';

const OFFICE = '4301';
const AT = '2026-12-03T01:00:00.000Z';

function station() {
  const tmp = tempDir('office-machine-');
  const cache = Cache.open(tmp.dir, [...DAEMON_MIGRATIONS, raftMigrations, officeQueueMigrations]);
  const clock = new OfficeClock();
  const tickets = new TicketStore(cache.db, clock);
  const applied: { applied: Applied; fresh: boolean }[] = [];
  const machine = new OfficeQueueMachine({ db: cache.db, tickets, rules: new QueueRules(tickets, clock, OFFICE, 3), office: OFFICE, onApplied: (a, _at, fresh) => applied.push({ applied: a, fresh }) });
  const apply = (command: OfficeCommand, at = AT) => machine.apply({ index: machine.lastApplied() + 1, term: 1, kind: 'command', at, command });
  return { cache, tickets, machine, applied, apply, close: () => (cache.close(), tmp.cleanup()) };
}

const issue = (id: string, receipt: string, deviceId = 'kiosk-1'): OfficeCommand => ({
  type: 'issue', id, prefix: 'A', codeKey: `APP:${receipt}`, codeType: 'APP', codeKid: 'k1', codePasswordVersion: null, receiverId: null, receiverNameMasked: null, receipts: [receipt], deviceId,
});
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('the office queue state machine', () => {
  const open: { close(): void }[] = [];
  afterEach(() => {
    for (const s of open.splice(0)) s.close();
  });

  it('refuses a snapshot it could not restore before anything is dropped: wrong shape, or columns the tables do not have', () => {
    const s = station();
    open.push(s);
    s.apply(issue(uuid(1), 'R1'));
    expect(() => s.machine.checkSnapshot({ tickets: 'none' })).toThrow(/not an office queue snapshot/);
    expect(() => s.machine.checkSnapshot({ tickets: [{ id: 'x', evil_column: 1 }], items: [], commands: [] })).toThrow(/no column evil_column/);
    expect(() => s.machine.checkSnapshot({ tickets: [{ 'id) VALUES (1); DROP TABLE tickets; --': 1 }], items: [], commands: [] })).toThrow();
    expect(() => s.machine.checkSnapshot(s.machine.takeSnapshot())).not.toThrow();
    expect(s.tickets.get(uuid(1))!.status).toBe('waiting');
  });

  it('a withdrawn issue (the kiosk printed a slip) leaves no number behind, whether it reaches the log before or after', () => {
    const s = station();
    open.push(s);
    // Committed after the kiosk gave up: its ticket goes while it waits.
    s.apply(issue(uuid(1), 'R1'));
    expect(s.apply({ type: 'withdraw', id: `withdraw:${uuid(1)}`, issueId: uuid(1) })).toMatchObject({ type: 'withdraw', cancelled: uuid(1) });
    expect(s.tickets.get(uuid(1))!.status).toBe('cancelled');
    // Withdrawn first, committed later: it makes no ticket.
    expect(s.apply({ type: 'withdraw', id: `withdraw:${uuid(2)}`, issueId: uuid(2) })).toMatchObject({ type: 'withdraw', cancelled: null });
    expect(s.apply(issue(uuid(2), 'R2'))).toMatchObject({ type: 'invalid' });
    // An issue that found another scan's ticket: withdrawing it leaves that holder's ticket alone.
    s.apply(issue(uuid(3), 'R3'));
    s.apply(issue(uuid(4), 'R3', 'kiosk-2'));
    expect(s.apply({ type: 'withdraw', id: `withdraw:${uuid(4)}`, issueId: uuid(4) })).toMatchObject({ cancelled: null });
    expect(s.tickets.open(OFFICE, new Date(AT)).map((t) => [t.id, t.status])).toEqual([[uuid(3), 'waiting']]);
  });

  it('numbers at apply time, gives one ticket per application whichever kiosk asked first, and acts once per command id', () => {
    const s = station();
    open.push(s);
    expect(s.apply(issue(uuid(1), 'R1'))).toMatchObject({ type: 'issue', ticketId: uuid(1), repeat: false, index: 1 });
    // The same application from the other kiosk, a moment later: the first one's ticket.
    expect(s.apply(issue(uuid(2), 'R1', 'kiosk-2'))).toMatchObject({ type: 'issue', ticketId: uuid(1), repeat: true });
    expect(s.apply(issue(uuid(3), 'R2', 'kiosk-2'))).toMatchObject({ ticketId: uuid(3), repeat: false });
    // The first command again (a retry after a lost answer): the same answer, no new ticket.
    expect(s.apply(issue(uuid(1), 'R1'))).toMatchObject({ ticketId: uuid(1), repeat: false, index: 4 });
    expect(s.tickets.open(OFFICE, new Date(AT)).map((t) => t.number)).toEqual(['A-001', 'A-002']);
    expect(s.machine.lastApplied()).toBe(4);
    // The screens hear of each; only what acted now is fresh (a display announces a call once).
    expect(s.applied.map((a) => a.fresh)).toEqual([true, true, true, false]);

    const call = s.apply({ type: 'call-next', id: 'counter-1:a', counter: '1' });
    expect(call).toMatchObject({ type: 'move', refused: null, ticketId: uuid(1), effects: [{ type: 'call', number: 'A-001', counter: '1', recall: false }] });
    expect(s.apply({ type: 'call-next', id: 'counter-1:a', counter: '1' })).toMatchObject({ ticketId: uuid(1) });
    expect(s.tickets.get(uuid(3))!.status).toBe('waiting');
    expect(s.apply({ type: 'no-show', id: 'counter-1:b', ticketId: uuid(3) })).toMatchObject({ refused: { code: 'CONFLICT' } });
    // A handover of the only item closes the ticket, whatever this station's cache says of the application.
    s.apply({ type: 'handover', id: 'counter-1:c', ticketId: uuid(1), receiptNumber: 'R1', finished: [] });
    expect(s.tickets.get(uuid(1))!.status).toBe('done');
    // The queue holder's settle names the tickets: closed once, done or cancelled as it says.
    expect(s.apply({ type: 'settle', id: 'counter-1:s', closes: [{ ticketId: uuid(3), done: false }, { ticketId: uuid(1), done: true }] })).toMatchObject({ type: 'settle', closed: [uuid(3)] });
    expect(s.tickets.get(uuid(3))).toMatchObject({ status: 'cancelled', closed_by: 'settled' });
  });

  it('a snapshot makes another station hold the same queue and apply on from there alike', () => {
    const a = station();
    const b = station();
    open.push(a, b);
    for (let i = 1; i <= 5; i++) a.apply(issue(uuid(i), `R${i}`));
    a.apply({ type: 'call-next', id: 'counter-2:x', counter: '2' });
    b.machine.restore(JSON.parse(JSON.stringify(a.machine.takeSnapshot())), 6);
    expect(b.machine.lastApplied()).toBe(6);
    expect(b.machine.takeSnapshot()).toEqual(a.machine.takeSnapshot());
    const next: OfficeCommand = issue(uuid(9), 'R9');
    const [ra, rb] = [a.apply(next), b.apply(next)];
    expect(rb.index).toBe(ra.index);
    expect(rb.type === 'issue' && rb.ticketId).toBe(ra.type === 'issue' && ra.ticketId);
    expect(b.tickets.get(uuid(9))!.number).toBe('A-006');
    // The retry of a command applied before the snapshot still acts once on the restored station.
    expect(b.apply({ type: 'call-next', id: 'counter-2:x', counter: '2' })).toMatchObject({ ticketId: uuid(1) });
    expect(b.tickets.open(OFFICE, new Date(AT)).filter((t) => t.status === 'called')).toHaveLength(1);
  });
});
