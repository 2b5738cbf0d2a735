// Scanners double-fire: the same text from one device within a few seconds is one scan.
export class DuplicateFilter {
  private readonly last = new Map<string, { text: string; at: number }>();

  constructor(private readonly windowMs = 3000) {}

  /**
   * True when `text` from `deviceId` was seen less than windowMs before `at`. A duplicate does not
   * extend the window (a code left under the scanner is seen again every windowMs).
   */
  isDuplicate(deviceId: string, text: string, at: Date): boolean {
    const now = at.getTime();
    const prev = this.last.get(deviceId);
    if (prev && prev.text === text && now - prev.at >= 0 && now - prev.at < this.windowMs) return true;
    this.last.set(deviceId, { text, at: now });
    return false;
  }
}
