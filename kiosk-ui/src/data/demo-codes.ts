// GET /api/demo/codes: sample codes the demo daemon offers (only when KioskState.demo).
export interface DemoCode {
  label: string;
  text: string;
  /** data: URL of the QR image. */
  png: string;
}

export async function fetchDemoCodes(signal?: AbortSignal): Promise<DemoCode[]> {
  const res = await fetch('/api/demo/codes', { signal: signal ?? null });
  if (!res.ok) throw new Error(`demo codes: HTTP ${res.status}`);
  const body: unknown = await res.json();
  return Array.isArray(body) ? (body as DemoCode[]).filter((c) => typeof c?.text === 'string') : [];
}
