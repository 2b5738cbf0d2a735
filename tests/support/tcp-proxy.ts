// A TCP proxy between a kiosk and its hub, for faults a real network makes: the hub moving (a
// restart on another port), the link going down, and an answer lost after the hub acted on the
// request (the connection cut between the hub's commit and the kiosk hearing of it).
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
  url: string;
  /** Forward new connections to this http://host:port. */
  retarget(url: string): void;
  /** Refuse every connection (and cut the open ones) until up() — the link is down. */
  down(): void;
  up(): void;
  /** Resolves when the `nth` request (1 = the next) whose first line starts with `requestLine` has been passed to the hub. */
  requestForwarded(requestLine: string, nth?: number): Promise<void>;
  /** The next answer to a request whose first line starts with `requestLine` is not forwarded: the connection is cut instead. Resolves when that happened. */
  loseNextAnswerTo(requestLine: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  let target = new URL(targetUrl);
  let isDown = false;
  let lose: { requestLine: string; done: () => void } | null = null;
  const watches: { requestLine: string; remaining: number; done: () => void }[] = [];
  const open = new Set<Socket>();

  const server: Server = createServer((client) => {
    if (isDown) return void client.destroy();
    const upstream = connect(Number(target.port), target.hostname);
    open.add(client).add(upstream);
    let lastRequest = '';
    client.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      const m = /^(GET|POST|PUT|DELETE) \S+/m.exec(text);
      if (m) lastRequest = m[0];
      upstream.write(chunk);
      if (m) {
        for (const w of [...watches]) {
          if (m[0].startsWith(w.requestLine) && --w.remaining === 0) {
            watches.splice(watches.indexOf(w), 1);
            w.done();
          }
        }
      }
    });
    upstream.on('data', (chunk: Buffer) => {
      if (lose && lastRequest.startsWith(lose.requestLine)) {
        const { done } = lose;
        lose = null;
        client.destroy();
        upstream.destroy();
        done();
        return;
      }
      client.write(chunk);
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    retarget: (url) => void (target = new URL(url)),
    down: () => {
      isDown = true;
      for (const s of open) s.destroy();
    },
    up: () => void (isDown = false),
    requestForwarded: (requestLine, nth = 1) => new Promise((done) => watches.push({ requestLine, remaining: nth, done })),
    loseNextAnswerTo: (requestLine) => new Promise((done) => (lose = { requestLine, done })),
    stop: async () => {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
