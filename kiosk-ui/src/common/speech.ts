// Speaking a call: Japanese, then English, with a ja-JP and an English voice when the browser has
// them. Chromium only speaks (and plays audio) without a user gesture when started with
// --autoplay-policy=no-user-gesture-required, as systemd/kiosk-session.sh does.
import type { LocalizedText } from '../../../protocol/verdict.js';

export function speechAvailable(): boolean {
  return typeof speechSynthesis !== 'undefined' && typeof SpeechSynthesisUtterance !== 'undefined';
}

/** "A-023" → "A 23" so the voice reads the number, not "zero two three". */
export function spokenNumber(n: string): string {
  return n.replace(/-/g, ' ').replace(/\b0+(\d)/g, '$1');
}

/** What the display says for a call (a recall says "again"). */
export function callPhrases(number: string, counter: string, recall = false): LocalizedText {
  const n = spokenNumber(number);
  return recall
    ? { ja: `もう一度お呼びします。${n}番の方、${counter}番窓口へお越しください。`, en: `Calling again: number ${n}, please go to counter ${counter}.` }
    : { ja: `${n}番の方、${counter}番窓口へお越しください。`, en: `Number ${n}, please go to counter ${counter}.` };
}

/** The browser's voice for a language: ja-JP for Japanese; for English, en-US/en-GB first. */
export function voiceFor(lang: 'ja' | 'en', voices: SpeechSynthesisVoice[]): SpeechSynthesisVoice | undefined {
  const norm = (v: SpeechSynthesisVoice) => v.lang.replace('_', '-').toLowerCase();
  if (lang === 'ja') return voices.find((v) => norm(v) === 'ja-jp') ?? voices.find((v) => norm(v).startsWith('ja'));
  return voices.find((v) => norm(v) === 'en-us') ?? voices.find((v) => norm(v) === 'en-gb') ?? voices.find((v) => norm(v).startsWith('en'));
}

/** Speak one sentence; resolves when it ends, fails, or after a bound (some engines never say "end"). */
export function speak(text: string, lang: 'ja' | 'en'): Promise<void> {
  if (!speechAvailable()) return Promise.resolve();
  return new Promise((resolve) => {
    const u = new SpeechSynthesisUtterance(text);
    u.lang = lang === 'ja' ? 'ja-JP' : 'en-US';
    u.rate = lang === 'ja' ? 0.9 : 0.95;
    const voice = voiceFor(lang, speechSynthesis.getVoices());
    if (voice) u.voice = voice;
    const bound = setTimeout(resolve, Math.min(15_000, 1500 + text.length * 150));
    const done = () => (clearTimeout(bound), resolve());
    u.onend = done;
    u.onerror = done;
    speechSynthesis.speak(u);
  });
}
