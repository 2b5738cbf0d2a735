// The demo signing key is trusted only while the demo runs. A data directory the demo has used is
// marked; a real configuration (KIOSK_UPSTREAM set, to a hub or to none) on it is refused with one
// line, so demo codes can never be accepted by a kiosk in service.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { KioskError } from '../errors.js';
import type { Cache } from '../store/cache.js';
import { DEMO_HUB_DIR } from './demo-hub.js';

/** Where the demo of earlier versions kept its key: such a directory is a demo one too. */
const LEGACY_DEMO_KEY_FILE = 'demo-signing-key.json';

export function isDemoDataDir(dataDir: string, cache: Cache): boolean {
  return cache.isDemo() || existsSync(join(dataDir, DEMO_HUB_DIR)) || existsSync(join(dataDir, LEGACY_DEMO_KEY_FILE));
}

/** Throws CONFIG_INVALID when a real configuration meets the demo's data. */
export function refuseDemoData(dataDir: string, cache: Cache): void {
  if (isDemoDataDir(dataDir, cache)) {
    throw new KioskError(
      `bad configuration: KIOSK_DATA_DIR: ${dataDir} holds the demo's data and trusts its signing key; use another directory for a real kiosk, or delete this one to start clean`,
      'CONFIG_INVALID',
    );
  }
}
