// The office log's commands: every change to the office queue, as the station that asks for it
// words it. Whatever a station's own cache decides (is the code valid, is the item finished) is
// decided before proposing and travels in the command; what the queue decides (the number, the
// next ticket, one holder one ticket) is decided when the command is applied, on every station alike.
import { z } from 'zod';
import type { ActionError } from '../../protocol/events.js';
import type { QueueEffect } from '../counter/queue-rules.js';

const id = z.string().min(1).max(200);
const ticketId = z.string().min(1).max(64);
const counter = z.string().min(1).max(32);

export const officeCommand = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('issue'),
    /** The new ticket's id: a repeat of this command finds it again. */
    id: z.uuid(),
    prefix: z.string().regex(/^[A-Z]{1,2}$/),
    codeKey: z.string().min(1).max(200),
    codeType: z.enum(['APP', 'AUTH']),
    codeKid: z.string().min(1).max(200),
    codePasswordVersion: z.number().int().nullable(),
    receiverId: z.string().max(200).nullable(),
    receiverNameMasked: z.string().max(200).nullable(),
    receipts: z.array(z.string().min(1).max(64)).min(1).max(100),
    deviceId: z.string().min(1).max(200),
  }),
  z.object({ type: z.literal('call-next'), id, counter }),
  z.object({ type: z.literal('call'), id, ticketId, counter }),
  z.object({ type: z.literal('recall'), id, ticketId, counter }),
  z.object({ type: z.literal('no-show'), id, ticketId }),
  z.object({ type: z.literal('requeue'), id, ticketId }),
  z.object({ type: z.literal('cancel'), id, ticketId, reason: z.string().min(1).max(500) }),
  z.object({
    type: z.literal('handover'),
    id,
    ticketId,
    receiptNumber: z.string().min(1).max(64),
    /** Items of the ticket the handing station saw as finished (collected, withdrawn, rejected). */
    finished: z.array(z.string().min(1).max(64)).max(100),
  }),
  /**
   * A kiosk gave up waiting for an `issue` and printed a go-to-the-counter slip instead: should that
   * issue still reach the log (it was appended but not yet committed when the kiosk gave up), the
   * ticket it made is cancelled while it waits, or it makes none if it comes later.
   */
  z.object({ type: z.literal('withdraw'), id, issueId: z.uuid() }),
  /** Tickets with nothing left to hand over, as the queue holder's cache sees them (ticket-settler.ts). */
  z.object({ type: z.literal('settle'), id, closes: z.array(z.object({ ticketId, done: z.boolean() })).min(1).max(1000) }),
]);
export type OfficeCommand = z.infer<typeof officeCommand>;

/** What applying a command answered; kept with its id, so a command proposed twice acts once. */
export type CommandResult =
  | { type: 'issue'; ticketId: string; repeat: boolean }
  | { type: 'move'; refused: ActionError | null; ticketId: string | null; effects: QueueEffect[] }
  | { type: 'handover' }
  | { type: 'settle'; closed: string[] }
  | { type: 'withdraw'; cancelled: string | null }
  | { type: 'invalid'; message: string };

/** The result with the log index it was applied at: the proposer waits for its own copy to get there. */
export type Applied = CommandResult & { index: number };
