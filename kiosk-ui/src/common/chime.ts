// The call chime, made with Web Audio (no sound file): two soft bell tones, high then low, like
// the "pin-pon" of Japanese offices. Returns when it ends, in the context's time.
export const CHIME_SECONDS = 1.6;

const TONES = [
  { hz: 784, at: 0 }, // G5
  { hz: 622, at: 0.55 }, // D#5
];

/** Schedule the chime on `ctx` starting at `start` (ctx.currentTime when omitted); returns its end time. */
export function scheduleChime(ctx: BaseAudioContext, start = ctx.currentTime): number {
  const out = ctx.createGain();
  out.gain.value = 0.35;
  out.connect(ctx.destination);
  for (const tone of TONES) {
    const t = start + tone.at;
    // A bell: a quick attack and a long exponential decay, with a quieter octave for brightness.
    for (const [mult, level] of [
      [1, 1],
      [2, 0.25],
    ] as const) {
      const osc = ctx.createOscillator();
      const env = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = tone.hz * mult;
      env.gain.setValueAtTime(0.0001, t);
      env.gain.exponentialRampToValueAtTime(level, t + 0.02);
      env.gain.exponentialRampToValueAtTime(0.0001, t + 1.0);
      osc.connect(env).connect(out);
      osc.start(t);
      osc.stop(t + 1.05);
    }
  }
  return start + CHIME_SECONDS;
}
