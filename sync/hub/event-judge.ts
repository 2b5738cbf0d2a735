// Judging a batch of events against the hub's master data, written once for both engines. The
// engine loads the facts a batch needs (factKeys), this module decides each event's status in
// order (later events see the effects of earlier ones), and the engine writes the outcome in the
// same transaction. Pure: no I/O.
import { z } from 'zod';
import type { ChangeRecord, entityData } from '../../protocol/feed-records.js';
import type { EventResult, EventsRequest, SyncEvent } from '../../protocol/sync.js';
import { rowKey, type PasswordVersionChange } from './feed-plan.js';
import type { DeviceAuth } from './types.js';

export type ApplicationData = z.infer<(typeof entityData)['application']>;
export type ReceiverData = z.infer<(typeof entityData)['receiver']>;

export interface KnownEvent {
  deviceId: string;
  status: 'applied' | 'conflict';
  detail: unknown;
}

export interface BatchFacts {
  /** Events of this batch the hub already holds, by id. */
  existing: Map<string, KnownEvent>;
  /** Current (not deleted) applications by receipt number. */
  applications: Map<string, ApplicationData>;
  /** Current (not deleted) receivers by id. */
  receivers: Map<string, ReceiverData>;
  /** The applied pickup of an application, by receipt number. */
  collectedBy: Map<string, { deviceId: string; at: string }>;
  /** Every password version a receiver was raised to, with when. */
  passwordChanges: Map<string, PasswordVersionChange[]>;
}

export interface FactKeys {
  eventIds: string[];
  receipts: string[];
  receivers: string[];
}

export interface NewEvent {
  event: SyncEvent;
  /** `at` in UTC (ISO), so times compare as text. */
  at: string;
  status: 'applied' | 'conflict';
  detail: ConflictDetail | null;
  /** What the event is about (receipt number, receiver id), for finding who collected what. */
  subject: string | null;
}

export interface BatchOutcome {
  results: EventResult[];
  inserts: NewEvent[];
  /** Master data changes to publish to the feed, final state per record. */
  publish: ChangeRecord[];
  passwordVersions: PasswordVersionChange[];
}

export interface ConflictDetail {
  code: string;
  message: string;
  [more: string]: unknown;
}

const id = z.string().min(1);
const pickupData = z.object({
  receiptNumber: id,
  codeType: z.string().nullish(),
  receiverId: id.nullish(),
  passwordVersion: z.number().int().min(0).nullish(),
});
const registrationData = z.object({ receiverId: id, name: z.string().min(1).nullish(), batchUserId: z.string().nullish() });
const passwordChangeData = z.object({ receiverId: id, passwordVersion: z.number().int().min(0) });

/** Which rows a group of batches needs to be judged. */
export function factKeys(requests: readonly EventsRequest[]): FactKeys {
  const ids = new Set<string>();
  const receipts = new Set<string>();
  const receivers = new Set<string>();
  for (const event of requests.flatMap((r) => r.events)) {
    ids.add(event.id);
    const data = event.data;
    if (event.type === 'pickup' && typeof data['receiptNumber'] === 'string') receipts.add(data['receiptNumber']);
    if (['pickup', 'registration', 'password-change'].includes(event.type) && typeof data['receiverId'] === 'string') receivers.add(data['receiverId']);
  }
  return { eventIds: [...ids], receipts: [...receipts], receivers: [...receivers] };
}

export interface DeviceExchange {
  deviceId: string;
  /** The device clock at its latest batch, and deviceTime − hubTime in ms. */
  deviceTime: string | null;
  skewMs: number | null;
  /** The highest audit head among its batches (the store keeps it only if higher than its own). */
  auditHead: { seq: number; hash: string } | null;
}

/** What a group of batches tells about each device: one entry per device. */
export function deviceExchanges(batches: ReadonlyArray<{ device: DeviceAuth; request: EventsRequest }>, hubTime: Date): DeviceExchange[] {
  const byDevice = new Map<string, DeviceExchange>();
  for (const { device, request } of batches) {
    const entry = byDevice.get(device.deviceId) ?? { deviceId: device.deviceId, deviceTime: null, skewMs: null, auditHead: null };
    const deviceTime = request.events.at(-1)?.deviceTime;
    if (deviceTime) Object.assign(entry, { deviceTime, skewMs: Date.parse(deviceTime) - hubTime.getTime() });
    if (request.auditHead && (!entry.auditHead || request.auditHead.seq > entry.auditHead.seq)) entry.auditHead = request.auditHead;
    byDevice.set(device.deviceId, entry);
  }
  return [...byDevice.values()];
}

const conflict = (code: string, message: string, more: Record<string, unknown> = {}): ConflictDetail => ({ code, message, ...more });

export interface GroupOutcome {
  /** The answers, batch by batch. */
  results: EventResult[][];
  inserts: Array<NewEvent & { deviceId: string; office: string }>;
  publish: ChangeRecord[];
  passwordVersions: PasswordVersionChange[];
  devices: DeviceExchange[];
}

/** Judge batches in order against shared facts: a later batch sees what an earlier one did. */
export function judgeGroup(batches: ReadonlyArray<{ device: DeviceAuth; request: EventsRequest }>, facts: BatchFacts, hubTime: Date): GroupOutcome {
  const out: GroupOutcome = { results: [], inserts: [], publish: [], passwordVersions: [], devices: deviceExchanges(batches, hubTime) };
  for (const { device, request } of batches) {
    const outcome = judgeBatch(request, device, facts);
    out.results.push(outcome.results);
    out.inserts.push(...outcome.inserts.map((e) => ({ ...e, deviceId: device.deviceId, office: request.office })));
    out.publish.push(...outcome.publish);
    out.passwordVersions.push(...outcome.passwordVersions);
  }
  return out;
}

export function judgeBatch(request: EventsRequest, device: DeviceAuth, facts: BatchFacts): BatchOutcome {
  const results: EventResult[] = [];
  const inserts: NewEvent[] = [];
  const changed = new Map<string, ChangeRecord>();
  const passwordVersions: PasswordVersionChange[] = [];
  const judge = new Judge(request, device, facts, changed, passwordVersions);
  for (const event of request.events) {
    const known = facts.existing.get(event.id);
    if (known) {
      if (known.deviceId !== device.deviceId) {
        results.push({ id: event.id, status: 'conflict', detail: conflict('ID_IN_USE', `event id ${event.id} was already used by another device`) });
      } else {
        // A retried conflict stays a conflict, so a lost answer can never hide one.
        results.push(known.status === 'conflict' ? { id: event.id, status: 'conflict', detail: known.detail } : { id: event.id, status: 'duplicate' });
      }
      continue;
    }
    const at = new Date(event.at).toISOString();
    const { detail, subject } = judge.apply(event, at);
    const status = detail ? 'conflict' : 'applied';
    inserts.push({ event, at, status, detail, subject });
    facts.existing.set(event.id, { deviceId: device.deviceId, status, detail });
    results.push(detail ? { id: event.id, status, detail } : { id: event.id, status });
  }
  return { results, inserts, publish: [...changed.values()], passwordVersions };
}

class Judge {
  constructor(
    private readonly request: EventsRequest,
    private readonly device: DeviceAuth,
    private readonly facts: BatchFacts,
    private readonly changed: Map<string, ChangeRecord>,
    private readonly passwordVersions: PasswordVersionChange[],
  ) {}

  apply(event: SyncEvent, at: string): { detail: ConflictDetail | null; subject: string | null } {
    switch (event.type) {
      case 'pickup':
        return this.pickup(event, at);
      case 'registration':
        return this.registration(event);
      case 'password-change':
        return this.passwordChange(event, at);
      default:
        return { detail: null, subject: null };
    }
  }

  private pickup(event: SyncEvent, at: string) {
    const parsed = pickupData.safeParse(event.data);
    if (!parsed.success) return malformed(parsed.error);
    const data = parsed.data;
    const receipt = data.receiptNumber;
    const result = (detail: ConflictDetail | null) => ({ detail, subject: receipt });
    const app = this.facts.applications.get(receipt);
    if (!app) return result(conflict('UNKNOWN_APPLICATION', `the hub has no application ${receipt}`, { receiptNumber: receipt }));
    if (app.office !== this.request.office) {
      return result(conflict('WRONG_OFFICE', `application ${receipt} is for office ${app.office}, not ${this.request.office}`, { office: app.office }));
    }
    if (app.status === 'collected') {
      const by = this.facts.collectedBy.get(receipt);
      return result(
        by
          ? conflict('ALREADY_COLLECTED', `application ${receipt} was collected at device ${by.deviceId} at ${by.at}`, { deviceId: by.deviceId, at: by.at })
          : conflict('ALREADY_COLLECTED', `application ${receipt} is recorded as collected by the office system`, { deviceId: null, at: null }),
      );
    }
    if (app.status !== 'ready') {
      const code = app.status === 'rejected' || app.status === 'withdrawn' ? 'APPLICATION_CLOSED' : 'NOT_READY';
      return result(conflict(code, `application ${receipt} is ${app.status} at the hub`, { status: app.status }));
    }
    if (!app.feesPaid) return result(conflict('FEES_UNPAID', `the fees of application ${receipt} are not paid at the hub`));
    if (data.codeType === 'AUTH') {
      const problem = this.authProblem(app, data.receiverId ?? null, data.passwordVersion ?? null, at);
      if (problem) return result(problem);
    }
    this.facts.applications.set(receipt, { ...app, status: 'collected' });
    this.facts.collectedBy.set(receipt, { deviceId: this.device.deviceId, at });
    this.publish({ seq: 0, entity: 'application', id: receipt, op: 'upsert', data: { ...app, status: 'collected' } });
    return result(null);
  }

  /** An AUTH code is dead once the receiver's password was raised past its version before the scan. */
  private authProblem(app: ApplicationData, receiverId: string | null, codeVersion: number | null, at: string): ConflictDetail | null {
    if (receiverId === null || codeVersion === null) return conflict('MALFORMED', 'an AUTH pickup needs receiverId and passwordVersion');
    const receiver = this.facts.receivers.get(receiverId);
    if (!receiver) return conflict('UNKNOWN_RECEIVER', `the hub has no receiver ${receiverId}`, { receiverId });
    if ((app.receiverId ?? null) !== receiverId) return conflict('RECEIVER_MISMATCH', `the application names receiver ${app.receiverId ?? 'none'}, not ${receiverId}`);
    const history = this.facts.passwordChanges.get(receiverId) ?? [];
    const higher = history.filter((h) => h.version > codeVersion);
    const before = higher.filter((h) => h.changedAt === null || h.changedAt < at);
    // A current version above the code's that no history explains counts as changed before too.
    if (before.length > 0 || (higher.length === 0 && receiver.passwordVersion > codeVersion)) {
      const first = before.sort((a, b) => a.version - b.version)[0];
      const when = first?.changedAt ? ` at ${first.changedAt}` : '';
      return conflict('PASSWORD_CHANGED', `receiver ${receiverId}'s password changed to version ${first?.version ?? receiver.passwordVersion}${when}, before the scan at ${at} (code version ${codeVersion})`, {
        codeVersion,
        passwordVersion: first?.version ?? receiver.passwordVersion,
        changedAt: first?.changedAt ?? null,
      });
    }
    if (receiver.status === 'suspended' || receiver.status === 'deleted') return conflict('RECEIVER_NOT_ACTIVE', `receiver ${receiverId} is ${receiver.status} at the hub`, { status: receiver.status });
    return null;
  }

  private registration(event: SyncEvent) {
    const parsed = registrationData.safeParse(event.data);
    if (!parsed.success) return malformed(parsed.error);
    const data = parsed.data;
    const result = (detail: ConflictDetail | null) => ({ detail, subject: data.receiverId });
    const receiver = this.facts.receivers.get(data.receiverId);
    if (!receiver) return result(conflict('UNKNOWN_RECEIVER', `the hub has no receiver ${data.receiverId}`, { receiverId: data.receiverId }));
    if (receiver.status === 'suspended' || receiver.status === 'deleted') {
      return result(conflict('RECEIVER_NOT_ACTIVE', `receiver ${data.receiverId} is ${receiver.status} at the hub`, { status: receiver.status }));
    }
    const next: ReceiverData = { ...receiver, status: 'active', name: data.name ?? receiver.name, batchUserId: data.batchUserId ?? receiver.batchUserId ?? null };
    this.facts.receivers.set(data.receiverId, next);
    this.publish({ seq: 0, entity: 'receiver', id: data.receiverId, op: 'upsert', data: next });
    return result(null);
  }

  private passwordChange(event: SyncEvent, at: string) {
    const parsed = passwordChangeData.safeParse(event.data);
    if (!parsed.success) return malformed(parsed.error);
    const data = parsed.data;
    const result = (detail: ConflictDetail | null) => ({ detail, subject: data.receiverId });
    const receiver = this.facts.receivers.get(data.receiverId);
    if (!receiver) return result(conflict('UNKNOWN_RECEIVER', `the hub has no receiver ${data.receiverId}`, { receiverId: data.receiverId }));
    if (receiver.passwordVersion >= data.passwordVersion) {
      return result(
        conflict('PASSWORD_CHANGED', `receiver ${data.receiverId}'s password is already at version ${receiver.passwordVersion} at the hub (changed meanwhile)`, {
          passwordVersion: receiver.passwordVersion,
        }),
      );
    }
    if (receiver.status !== 'active') return result(conflict('RECEIVER_NOT_ACTIVE', `receiver ${data.receiverId} is ${receiver.status} at the hub`, { status: receiver.status }));
    const next: ReceiverData = { ...receiver, passwordVersion: data.passwordVersion };
    this.facts.receivers.set(data.receiverId, next);
    const change = { receiverId: data.receiverId, version: data.passwordVersion, changedAt: at };
    this.facts.passwordChanges.set(data.receiverId, [...(this.facts.passwordChanges.get(data.receiverId) ?? []), change]);
    this.passwordVersions.push(change);
    this.publish({ seq: 0, entity: 'receiver', id: data.receiverId, op: 'upsert', data: next });
    return result(null);
  }

  private publish(record: ChangeRecord): void {
    this.changed.set(rowKey(record.entity, record.id), record);
  }
}

function malformed(error: z.ZodError): { detail: ConflictDetail; subject: null } {
  const issue = error.issues[0];
  return { detail: conflict('MALFORMED', `data.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`), subject: null };
}
