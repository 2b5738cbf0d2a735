// startHub(): the hub's HTTP server on a configured address, with the timeouts a hostile LAN needs,
// and a stop() that answers every long-poll at once and closes cleanly.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { KioskError } from '../../daemon/errors.js';
import { MAX_WAIT_SECONDS } from '../../protocol/sync.js';
import { FailedAuthThrottle, type ThrottleOptions } from './auth-throttle.js';
import { EventGroups } from './group-commit.js';
import { hubApp } from './hub-app.js';
import { FeedWaiters } from './long-poll.js';
import { SharedPageReads } from './shared-reads.js';
import type { HubStore } from './types.js';

export interface StartHubOptions {
  store: HubStore;
  /** Default 127.0.0.1: set 0.0.0.0 (or an address) to serve kiosks on the LAN. */
  host?: string;
  /** Default 8090; 0 picks a free port. */
  port?: number;
  logger?: Logger;
  throttle?: ThrottleOptions;
  maxBodyBytes?: number;
  /** Headers must arrive within `headersMs`, the whole request within `requestMs` (defaults 10 s, 30 s). */
  timeouts?: { headersMs?: number; requestMs?: number };
  now?: () => Date;
}

export interface RunningHub {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export const DEFAULT_HUB_PORT = 8090;
/** How long stop() lets requests under way finish before it cuts their connections. */
const STOP_GRACE_MS = 5000;

export async function startHub(options: StartHubOptions): Promise<RunningHub> {
  const { store } = options;
  const logger = options.logger ?? pino({ level: 'silent' });
  const host = options.host ?? '127.0.0.1';
  await store.listen(); // before the first long-poll: nothing another process publishes is missed
  const { feedId } = await store.info();
  const waiters = new FeedWaiters(store);
  const now = options.now ?? (() => new Date());
  const app = hubApp({ store, waiters, pages: new SharedPageReads(store), events: new EventGroups(store, now), throttle: new FailedAuthThrottle(options.throttle), logger, feedId, now, maxBodyBytes: options.maxBodyBytes });
  // Timeouts are checked every second (Node's default is every 30 s).
  const server = createServer({ maxHeaderSize: 16 * 1024, connectionsCheckingInterval: 1000 }, app);
  server.headersTimeout = options.timeouts?.headersMs ?? 10_000; // a client trickling its headers is cut off
  server.requestTimeout = options.timeouts?.requestMs ?? 30_000; // the whole request (not the answer) must arrive within this
  // Longer than a long-poll: a kiosk's connection is rarely closed under it. (An idle connection
  // closed just as a request goes out is a race no timeout removes: clients retry, events are idempotent.)
  server.keepAliveTimeout = 65_000;
  server.setTimeout((MAX_WAIT_SECONDS + 60) * 1000); // sockets silent this long (no request, no answer) are closed
  server.maxConnections = 4096;
  await listen(server, host, options.port ?? DEFAULT_HUB_PORT);
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info({ url, engine: store.engine, location: store.location, feedId }, 'hub: listening');
  let stopping: Promise<void> | null = null;
  return {
    url,
    port,
    stop: () =>
      (stopping ??= (async () => {
        waiters.close();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // Answered long-polls leave keep-alive connections idle: close them as they become so.
        const idle = setInterval(() => server.closeIdleConnections(), 100);
        const grace = setTimeout(() => server.closeAllConnections(), STOP_GRACE_MS);
        await closed;
        clearInterval(idle);
        clearTimeout(grace);
        logger.info({ url }, 'hub: stopped');
      })()),
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (e: NodeJS.ErrnoException) => {
      const why = e.code === 'EADDRINUSE' ? 'address already in use' : e.code === 'EADDRNOTAVAIL' ? 'no such address on this machine' : e.code === 'EACCES' ? 'permission denied' : e.message;
      reject(new KioskError(`hub: cannot listen on ${host}:${port}: ${why}`, 'CONFIG_INVALID', { host, port }));
    };
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
}
