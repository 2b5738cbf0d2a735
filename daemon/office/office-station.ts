// A station of an office (KIOSK_QUEUE=found or a URL): the office queue, its routes, and what the
// kiosk, the counters and the screens use instead of this station's own queue. Built by the
// composition root (controller.ts) only when the queue is not local; started once the HTTP server
// listens, since the other stations reach this one there.
import type { Router } from 'express';
import type { DaemonContext } from '../context.js';
import type { StaffActions } from '../counter/staff-actions.js';
import type { TicketRow } from '../counter/tickets.js';
import { KioskError } from '../errors.js';
import type { SelfServiceTickets } from '../scan/self-service.js';
import { OfficeQueueActions } from './office-actions.js';
import { OfficeQueue, type OfficeQueueState } from './office-queue.js';
import { officeRoutes } from './office-routes.js';
import { OfficeSettler } from './office-settler.js';
import { OfficeTickets } from './office-tickets.js';
import { ownTicketsBeforeOffice } from './queue-machine.js';
import { PendingCommands } from './pending-commands.js';
import { stationAuthenticator } from './station-auth.js';

export { officeQueueMigrations } from './schema.js';
export { raftMigrations } from '../../sync/raft/sqlite-storage.js';

export class OfficeStation {
  readonly queue: OfficeQueue;
  readonly actions: OfficeQueueActions;
  readonly routes: Router;
  private readonly pending: PendingCommands;
  private readonly settler: OfficeSettler;

  constructor(
    private readonly ctx: DaemonContext,
    private readonly staffActions: StaffActions,
  ) {
    const token = ctx.config.upstreamToken;
    if (!token) throw new KioskError('bad configuration: KIOSK_QUEUE: a station of an office needs its KIOSK_UPSTREAM_TOKEN', 'CONFIG_INVALID');
    this.queue = new OfficeQueue({ ctx, rules: staffActions.queue.rules, token });
    this.actions = new OfficeQueueActions(ctx, staffActions, this.queue);
    this.pending = new PendingCommands(ctx, this.queue);
    this.settler = new OfficeSettler(ctx, this.queue);
    this.routes = officeRoutes(ctx, this.queue, stationAuthenticator(() => ctx.cache.view, ctx.config.office));
  }

  /** Refuse to start when today's own numbers would collide with the office's: a station joins with today's queue empty. */
  checkOwnQueue(): void {
    const own = ownTicketsBeforeOffice(this.ctx.cache.db, this.ctx.config.office, this.ctx.clock.day(this.ctx.now()));
    if (own === 0) return;
    throw new KioskError(
      `bad configuration: KIOSK_QUEUE: this station issued ${own} ticket(s) of its own today; it joins the office queue from tomorrow (or keep KIOSK_QUEUE=local until then)`,
      'CONFIG_INVALID',
    );
  }

  /** The kiosk's tickets through the office log. */
  tickets(selfService: SelfServiceTickets): OfficeTickets {
    return new OfficeTickets(this.ctx, selfService, this.queue, this.pending);
  }

  state(): OfficeQueueState {
    return this.queue.state();
  }

  /** Take part in the office, reachable at `listenUrl` unless KIOSK_QUEUE_URL says otherwise. */
  start(listenUrl: string): void {
    // A handover on a ticket is owed to the office log, in the handover's transaction.
    this.staffActions.officeHandovers = {
      handedOver: (ticket: TicketRow, receiptNumber: string, actionId: string, now: Date) => {
        const finished = this.ctx.tickets.finishedItems(ticket.id);
        this.pending.add({ type: 'handover', id: `${this.ctx.config.deviceId}:${actionId}`, ticketId: ticket.id, receiptNumber, finished }, now);
        setImmediate(() => this.pending.kick());
      },
    };
    this.queue.start(this.ctx.config.queueUrl ?? listenUrl);
    this.pending.start();
    this.settler.start();
  }

  async stop(): Promise<void> {
    this.settler.stop();
    await this.pending.stop();
    this.queue.stop();
  }
}
