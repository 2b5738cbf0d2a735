// Art. 16: a run of rejected scans at one device in a short time alerts staff.
import type { LocalizedText } from '../../protocol/verdict.js';

export const MISUSE_REJECTIONS = 5;
export const MISUSE_WINDOW_MS = 60_000;

export interface MisuseAlert {
  deviceId: string;
  message: LocalizedText;
  at: string;
}

export class MisuseMonitor {
  private readonly rejections = new Map<string, number[]>();
  private readonly alerts = new Map<string, MisuseAlert>();

  /** Record a rejected scan; returns a new alert when this one completes a run. */
  rejected(deviceId: string, at: Date): MisuseAlert | null {
    const t = at.getTime();
    const recent = (this.rejections.get(deviceId) ?? []).filter((x) => t - x < MISUSE_WINDOW_MS);
    recent.push(t);
    this.rejections.set(deviceId, recent);
    if (recent.length < MISUSE_REJECTIONS) return null;
    this.rejections.set(deviceId, []);
    const alert = {
      deviceId,
      at: at.toISOString(),
      message: {
        ja: `${deviceId} で短時間に${recent.length}回、読み取りが拒否されました。ご確認ください。`,
        en: `${recent.length} rejected scans at ${deviceId} within a minute. Please check.`,
      },
    };
    this.alerts.set(deviceId, alert);
    return alert;
  }

  /** Alerts of the last ten minutes, for the screens. */
  current(now: Date): MisuseAlert[] {
    return [...this.alerts.values()].filter((a) => now.getTime() - Date.parse(a.at) < 10 * MISUSE_WINDOW_MS);
  }
}
