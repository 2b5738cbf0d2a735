// What a call display sends to the speakers, recorded in the page while it still plays: each
// utterance (text, language) and each chime tone (frequency, start). Chromium headless has no
// audio device to listen to; the calls into Web Speech and Web Audio are what can be observed.
export const SOUND_SPY = `(() => {
  window.__spoken = [];
  window.__tones = [];
  if (window.speechSynthesis) {
    const speak = speechSynthesis.speak.bind(speechSynthesis);
    speechSynthesis.speak = (u) => { window.__spoken.push({ text: u.text, lang: u.lang }); return speak(u); };
  }
  if (window.OscillatorNode) {
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (when) {
      window.__tones.push({ hz: this.frequency.value, state: this.context.state });
      return start.call(this, when);
    };
  }
})();`;

export interface Spoken {
  text: string;
  lang: string;
}
