// KIOSK_SCANNERS → scanners. Comma list of `serial:PATH?baud=9600&encoding=utf-8&gap=50&id=NAME`,
// `hid:PATH?layout=jis|us&id=NAME`, or `none`. A bad entry throws CONFIG_INVALID naming the variable.
import { KioskError } from '../protocol/errors.js';
import { SCAN_ENCODINGS, type ScanEncoding } from './scanner/decode.js';
import { HidScanner } from './scanner/hid-scanner.js';
import { SerialScanner } from './scanner/serial-scanner.js';
import type { DriverLogger, ScanSource } from './types.js';

const ALLOWED: Record<'serial' | 'hid', readonly string[]> = {
  serial: ['baud', 'encoding', 'gap', 'id'],
  hid: ['layout', 'gap', 'id'],
};

function bad(entry: string, why: string): KioskError {
  return new KioskError(`KIOSK_SCANNERS: ${why} in entry "${entry}"`, 'CONFIG_INVALID', { variable: 'KIOSK_SCANNERS', entry });
}

function intParam(entry: string, name: string, value: string | null, min: number, max: number): number | undefined {
  if (value === null) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw bad(entry, `${name} must be an integer ${min}–${max}`);
  return n;
}

export function createScanSources(spec: string | undefined, logger?: DriverLogger): ScanSource[] {
  const entries = (spec ?? '').split(',').map((e) => e.trim()).filter((e) => e !== '' && e !== 'none');
  const sources: ScanSource[] = [];
  for (const entry of entries) {
    const m = /^(serial|hid):([^?]+)(?:\?(.*))?$/.exec(entry);
    if (!m) throw bad(entry, 'expected serial:PATH[?…], hid:PATH[?…] or none');
    const kind = m[1] as 'serial' | 'hid';
    const path = m[2]!;
    if (!path.startsWith('/')) throw bad(entry, 'the device path must be absolute');
    const params = new URLSearchParams(m[3] ?? '');
    for (const key of params.keys()) if (!ALLOWED[kind].includes(key)) throw bad(entry, `unknown option "${key}" (allowed: ${ALLOWED[kind].join(', ')})`);
    const id = params.get('id') ?? undefined;
    if (id !== undefined && !/^[\w.:/-]{1,128}$/.test(id)) throw bad(entry, 'id must be letters, digits, . _ : / -');
    const gapMs = intParam(entry, 'gap', params.get('gap'), 0, 5000);
    if (kind === 'serial') {
      const encoding = params.get('encoding') ?? 'utf-8';
      if (!SCAN_ENCODINGS.includes(encoding as ScanEncoding)) throw bad(entry, `encoding must be one of ${SCAN_ENCODINGS.join(', ')}`);
      const baudRate = intParam(entry, 'baud', params.get('baud'), 50, 4_000_000) ?? 9600;
      sources.push(new SerialScanner({ path, id, baudRate, encoding: encoding as ScanEncoding, gapMs, logger }));
    } else {
      const layout = params.get('layout') ?? 'us';
      if (layout !== 'us' && layout !== 'jis') throw bad(entry, 'layout must be us or jis');
      sources.push(new HidScanner({ path, id, layout, gapMs, logger }));
    }
  }
  const ids = sources.map((s) => s.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw bad(dup, 'two scanners share one id');
  return sources;
}
