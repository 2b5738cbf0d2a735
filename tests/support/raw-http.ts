// Plain node:http requests for security tests: any Host and Origin header, and any loopback source
// address (127.0.0.0/8 all reaches 127.0.0.1 on Linux), so one test can play several LAN machines.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Local address to send from, e.g. 127.0.0.2 (default 127.0.0.1). */
  from?: string;
}

export function raw(url: string, { method = 'GET', headers = {}, body, from = '127.0.0.1' }: RawRequest = {}): Promise<RawResponse> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: u.hostname, port: u.port, path: u.pathname + u.search, method, localAddress: from, agent: false, headers: { host: u.host, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** POST /api/staff/session from a chosen source address. */
export function signInFrom(baseUrl: string, from: string, staffId: string, pin: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return raw(`${baseUrl}/api/staff/session`, {
    method: 'POST',
    from,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ staffId, pin }),
  });
}
