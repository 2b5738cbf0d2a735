// Linux key codes → characters, for the layout the wedge scanner is set to. JIS 106 and US differ
// on @ : [ ] _ " and others; a wedge cannot carry Kanji, so letters, digits and symbols suffice.
export type KeyLayout = 'us' | 'jis';

export const KEY_LEFTSHIFT = 42;
export const KEY_RIGHTSHIFT = 54;
export const KEY_CAPSLOCK = 58;
export const KEY_ENTER = 28;
export const KEY_KPENTER = 96;
export const KEY_TAB = 15;

type Pair = readonly [plain: string, shifted: string];

const LETTERS = { 16: 'q', 17: 'w', 18: 'e', 19: 'r', 20: 't', 21: 'y', 22: 'u', 23: 'i', 24: 'o', 25: 'p', 30: 'a', 31: 's', 32: 'd', 33: 'f', 34: 'g', 35: 'h', 36: 'j', 37: 'k', 38: 'l', 44: 'z', 45: 'x', 46: 'c', 47: 'v', 48: 'b', 49: 'n', 50: 'm' } as const;

const COMMON: Record<number, Pair> = {
  2: ['1', '!'], 4: ['3', '#'], 5: ['4', '$'], 6: ['5', '%'],
  51: [',', '<'], 52: ['.', '>'], 53: ['/', '?'], 57: [' ', ' '],
  // keypad
  71: ['7', '7'], 72: ['8', '8'], 73: ['9', '9'], 74: ['-', '-'], 75: ['4', '4'], 76: ['5', '5'], 77: ['6', '6'],
  78: ['+', '+'], 79: ['1', '1'], 80: ['2', '2'], 81: ['3', '3'], 82: ['0', '0'], 83: ['.', '.'], 55: ['*', '*'], 98: ['/', '/'],
};

const US: Record<number, Pair> = {
  3: ['2', '@'], 7: ['6', '^'], 8: ['7', '&'], 9: ['8', '*'], 10: ['9', '('], 11: ['0', ')'],
  12: ['-', '_'], 13: ['=', '+'], 26: ['[', '{'], 27: [']', '}'], 39: [';', ':'], 40: ["'", '"'], 41: ['`', '~'], 43: ['\\', '|'],
};

const JIS: Record<number, Pair> = {
  3: ['2', '"'], 7: ['6', '&'], 8: ['7', "'"], 9: ['8', '('], 10: ['9', ')'], 11: ['0', ''],
  12: ['-', '='], 13: ['^', '~'], 26: ['@', '`'], 27: ['[', '{'], 39: [';', '+'], 40: [':', '*'], 43: [']', '}'],
  89: ['\\', '_'], // KEY_RO (ろ)
  124: ['\\', '|'], // KEY_YEN (¥ prints as backslash in ASCII)
};

export function charFor(code: number, shift: boolean, capsLock: boolean, layout: KeyLayout): string | undefined {
  const letter = (LETTERS as Record<number, string>)[code];
  if (letter !== undefined) return shift !== capsLock ? letter.toUpperCase() : letter;
  const pair = (layout === 'jis' ? JIS : US)[code] ?? COMMON[code];
  if (!pair) return undefined;
  const ch = shift ? pair[1] : pair[0];
  return ch === '' ? undefined : ch;
}
