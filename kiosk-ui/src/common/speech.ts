// Speak a called number in Japanese when the browser can. Chromium only speaks after a user
// gesture unless started with --autoplay-policy=no-user-gesture-required (kiosk setups use it).
export function speechAvailable(): boolean {
  return typeof speechSynthesis !== 'undefined' && typeof SpeechSynthesisUtterance !== 'undefined';
}

/** "A-023" → "A 23" so the voice reads the number, not "zero two three". */
export function spokenNumber(n: string): string {
  return n.replace(/-/g, ' ').replace(/\b0+(\d)/g, '$1');
}

export function announce(number: string, counter: string): void {
  if (!speechAvailable()) return;
  const u = new SpeechSynthesisUtterance(`${spokenNumber(number)}番の方、${counter}番窓口へお越しください。`);
  u.lang = 'ja-JP';
  u.rate = 0.9;
  const voice = speechSynthesis.getVoices().find((v) => v.lang === 'ja-JP' || v.lang === 'ja_JP');
  if (voice) u.voice = voice;
  speechSynthesis.speak(u);
}
