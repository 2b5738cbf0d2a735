// Staff sign-in over HTTP (daemon/staff/README.md): POST /api/staff/session {staffId, pin}.
// The token lives in sessionStorage so a reload keeps the session but closing the browser ends it.

export interface StaffSession {
  staffId: string;
  token: string;
  expiresAt: string;
}

export type SignInResult =
  | { ok: true; session: StaffSession }
  | { ok: false; kind: 'wrong' | 'locked' | 'network' | 'other'; retryAfterSeconds?: number; status?: number };

const KEY = 'kiosk.staffSession';

export async function signIn(staffId: string, pin: string): Promise<SignInResult> {
  let res: Response;
  try {
    res = await fetch('/api/staff/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ staffId, pin }),
    });
  } catch {
    return { ok: false, kind: 'network' };
  }
  if (res.status === 401) return { ok: false, kind: 'wrong', status: 401 };
  if (res.status === 429) {
    const ra = Number(res.headers.get('retry-after'));
    return Number.isFinite(ra) && ra > 0 ? { ok: false, kind: 'locked', status: 429, retryAfterSeconds: ra } : { ok: false, kind: 'locked', status: 429 };
  }
  if (!res.ok) return { ok: false, kind: 'other', status: res.status };
  const body = (await res.json()) as { token: string; expiresAt: string };
  const session = { staffId, token: body.token, expiresAt: body.expiresAt };
  saveSession(session);
  return { ok: true, session };
}

export function saveSession(s: StaffSession | null): void {
  try {
    if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
    else sessionStorage.removeItem(KEY);
  } catch {
    /* storage may be disabled; the session then lasts until reload */
  }
}

export function loadSession(now = Date.now()): StaffSession | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as StaffSession;
    return Date.parse(s.expiresAt) > now ? s : null;
  } catch {
    return null;
  }
}

/** Best effort: tell the daemon the session ends (ignored if the route does not exist). */
export async function signOut(s: StaffSession): Promise<void> {
  saveSession(null);
  try {
    await fetch('/api/staff/session', { method: 'DELETE', headers: { authorization: `Bearer ${s.token}` } });
  } catch {
    /* offline: the session still expires on its own */
  }
}
