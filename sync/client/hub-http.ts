// HTTP to the hub: the two sync endpoints, with the device's bearer token, a deadline on every
// exchange (a hub that stalls mid-answer or half-closes is cut off), a cap on what an answer may
// weigh, and every failure sorted into a kind the client knows how to handle.
import { deadline } from '../deadline.js';
import { auditHeadResponse, errorBody, SYNC_AUDIT_HEAD_PATH, SYNC_CHANGES_PATH, SYNC_EVENTS_PATH, type AuditHead, type ChangesQuery, type EventsRequest } from '../../protocol/sync.js';

export type HubErrorKind =
  /** Connection refused, reset, DNS: the hub or the network is down. */
  | 'unreachable'
  /** No complete answer in time. */
  | 'timeout'
  /** 401: the token is unknown or revoked. */
  | 'token'
  /** 403: the token may not act for this office or device. */
  | 'forbidden'
  /** 400, 413, 422: the hub refuses this request as it is. */
  | 'refused'
  /** 5xx and other statuses: the hub's own trouble. */
  | 'server'
  /** 200 with a body that is not what the protocol says. */
  | 'bad-answer';

export class HubError extends Error {
  constructor(
    message: string,
    readonly kind: HubErrorKind,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'HubError';
  }
}

export interface HubHttpOptions {
  /** The hub's base URL (KIOSK_UPSTREAM). */
  baseUrl: string;
  token: string | undefined;
  /** Answers larger than this are refused (a page of 10,000 records is a few MB). */
  maxAnswerBytes?: number;
  /** Every exchange reports the hub's clock minus this device's, in ms (clockSkewMs). */
  onClock?: (skewMs: number) => void;
}

/** Time on top of a long-poll's own wait before an exchange counts as stalled. */
const EXCHANGE_DEADLINE_MS = 15_000;
/** A batch of up to 500 events is judged in one transaction: seconds at most, even on a busy hub. */
const EVENTS_DEADLINE_MS = 20_000;
const DEFAULT_MAX_ANSWER_BYTES = 64 * 2 ** 20;

export class HubHttp {
  constructor(private readonly options: HubHttpOptions) {}

  /** GET the change feed; the parsed (not yet validated) page body. `cancel` ends a long-poll early (stop). */
  getChanges(query: ChangesQuery, cancel?: AbortSignal): Promise<unknown> {
    const params = new URLSearchParams({ since: String(query.since), limit: String(query.limit), wait: String(query.wait) });
    if (query.office) params.set('office', query.office);
    return this.exchange('GET', `${SYNC_CHANGES_PATH}?${params}`, undefined, query.wait * 1000 + EXCHANGE_DEADLINE_MS, cancel);
  }

  /** The latest audit head the hub holds for this device; null when it has none yet (404). */
  async getAuditHead(): Promise<AuditHead | null> {
    try {
      const answer = auditHeadResponse.safeParse(await this.exchange('GET', SYNC_AUDIT_HEAD_PATH, undefined, EXCHANGE_DEADLINE_MS));
      if (!answer.success) throw new HubError("the hub's audit head is not what the protocol says", 'bad-answer');
      return { seq: answer.data.seq, hash: answer.data.hash };
    } catch (e) {
      if (e instanceof HubError && e.status === 404) return null;
      throw e;
    }
  }

  /** POST a batch of events; the parsed (not yet validated) answer body. */
  postEvents(body: EventsRequest, cancel?: AbortSignal): Promise<unknown> {
    return this.exchange('POST', SYNC_EVENTS_PATH, body, EVENTS_DEADLINE_MS, cancel);
  }

  private async exchange(method: 'GET' | 'POST', path: string, body: unknown, deadlineMs: number, cancel?: AbortSignal): Promise<unknown> {
    const url = new URL(path, this.options.baseUrl.endsWith('/') ? this.options.baseUrl : `${this.options.baseUrl}/`);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.options.token) headers['authorization'] = `Bearer ${this.options.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const within = deadline(deadlineMs, cancel);
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: within.signal, redirect: 'error' });
      text = await this.readCapped(res, within.signal);
    } catch (e) {
      if (e instanceof HubError) throw e;
      if (within.passed()) throw new HubError(`no complete answer from the hub within ${Math.round(deadlineMs / 1000)} s`, 'timeout');
      if (within.signal.aborted) throw new HubError('cancelled', 'timeout');
      throw new HubError(`cannot reach the hub: ${describeNetworkError(e)}`, 'unreachable');
    } finally {
      within.dispose();
    }
    const receivedAt = new Date();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const hubTime = (json as { hubTime?: unknown } | undefined)?.hubTime;
    if (typeof hubTime === 'string' && !Number.isNaN(Date.parse(hubTime))) this.options.onClock?.(clockSkewMs(new Date(hubTime), receivedAt));
    if (!res.ok) throw statusError(res.status, json);
    if (json === undefined) throw new HubError(`the hub answered ${method} ${url.pathname} with something that is not JSON`, 'bad-answer', res.status);
    return json;
  }

  private async readCapped(res: Response, signal: AbortSignal): Promise<string> {
    const cap = this.options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > cap) {
      await res.body?.cancel();
      throw new HubError(`the hub's answer is ${declared} bytes, more than ${cap}`, 'bad-answer', res.status);
    }
    if (!res.body) return '';
    // Each read races the abort signal: on Node 20, aborting after the headers arrived does not
    // always error a body whose sender has gone quiet, and the read would wait for ever.
    const reader = res.body.getReader();
    let onAbort = (): void => undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    aborted.catch(() => undefined);
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for (;;) {
        const { done, value } = await Promise.race([reader.read(), aborted]);
        if (done) break;
        size += value.byteLength;
        if (size > cap) throw new HubError(`the hub's answer is larger than ${cap} bytes`, 'bad-answer', res.status);
        chunks.push(value);
      }
    } catch (e) {
      reader.cancel().catch(() => undefined);
      throw e;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
}

/**
 * The hub stamps `hubTime` as it answers, after a long-poll's wait or a batch's commit, so its clock
 * is compared with when the answer arrived, not with the middle of the exchange (which would be off
 * by half a long-poll: 12 s of "skew" between two processes on one machine). What is left is the
 * answer's trip back: milliseconds on a LAN.
 */
function clockSkewMs(hubTime: Date, receivedAt: Date): number {
  return hubTime.getTime() - receivedAt.getTime();
}

function statusError(status: number, json: unknown): HubError {
  const parsed = errorBody.safeParse(json);
  const said = parsed.success ? `${parsed.data.error.code}: ${parsed.data.error.message}` : `HTTP ${status}`;
  if (status === 401) return new HubError(`the hub refused this device's token (${said})`, 'token', status);
  if (status === 403) return new HubError(`the hub does not let this device do that (${said})`, 'forbidden', status);
  if (status === 400 || status === 413 || status === 422) return new HubError(`the hub refused the request (${said})`, 'refused', status);
  return new HubError(`the hub failed (${said})`, 'server', status);
}

function describeNetworkError(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } } | null)?.cause;
  return cause?.code ?? cause?.message ?? (e as Error)?.message ?? String(e);
}
