// Announces calls on a wall display, one after another: the chime, then the call spoken in
// Japanese and then English, as the daemon's display settings say (KioskState.display). Nobody
// touches a wall display, so sound must start without a gesture: `blocked` says when the browser
// refused (Chromium without --autoplay-policy=no-user-gesture-required).
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CalledTicket, DisplaySettings } from '../../../protocol/events.js';
import { scheduleChime } from '../common/chime.js';
import { callPhrases, speak, speechAvailable } from '../common/speech.js';

export type SoundState = 'off' | 'ready' | 'blocked';

export class AnnouncerController implements ReactiveController {
  settings: DisplaySettings = { chime: true, voice: true };
  /** Whether the browser lets this page make sound (known after the first attempt). */
  sound: SoundState = 'ready';
  /** Calls announced since the page loaded (tests and support read it from the page). */
  announced = 0;
  private audio: AudioContext | undefined;
  private chain: Promise<void> = Promise.resolve();
  private queued = 0;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    // Try once at load, so a display started without the autoplay flag says so before the first call.
    void this.unlock();
  }

  hostDisconnected(): void {
    void this.audio?.close();
    this.audio = undefined;
    if (speechAvailable()) speechSynthesis.cancel();
  }

  /** Queue a call's announcement; calls in quick succession are each announced in turn. */
  announce(call: CalledTicket): void {
    const { chime, voice } = this.settings;
    if (!chime && !voice) return;
    // A burst of calls (a reconnect, many counters at once): announce at most a few in a row.
    if (this.queued >= 4) return;
    this.queued++;
    this.chain = this.chain
      .then(async () => {
        if (chime) await this.chime();
        if (voice) {
          const words = callPhrases(call.number, call.counter, call.recall === true);
          await speak(words.ja, 'ja');
          await speak(words.en, 'en');
        }
        this.announced++;
        this.host.requestUpdate();
      })
      .catch(() => undefined)
      .finally(() => this.queued--);
  }

  private async unlock(): Promise<AudioContext | undefined> {
    if (typeof AudioContext === 'undefined') return undefined;
    this.audio ??= new AudioContext();
    if (this.audio.state === 'suspended') {
      // Resolves only once allowed; do not wait for a gesture that never comes on a wall display.
      await Promise.race([this.audio.resume(), new Promise((r) => setTimeout(r, 300))]);
    }
    const sound: SoundState = this.audio.state === 'running' ? 'ready' : 'blocked';
    if (sound !== this.sound) {
      this.sound = sound;
      this.host.requestUpdate();
    }
    return this.audio;
  }

  private async chime(): Promise<void> {
    const ctx = await this.unlock();
    if (!ctx || ctx.state !== 'running') return;
    const end = scheduleChime(ctx);
    await new Promise((r) => setTimeout(r, Math.max(0, (end - ctx.currentTime) * 1000)));
  }
}
