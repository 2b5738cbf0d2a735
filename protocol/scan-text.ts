// What a scan's text is once read: the same for every scanner, the UI's input and the core.
// Browser-safe.

/** AIM symbology identifier a scanner may prepend: `]` + symbology letter + modifier, e.g. `]Q1`. */
const AIM_ID = /^\][A-Za-z][0-9A-Za-z]/;

/** Trim whitespace and line breaks, drop an AIM id. */
export function normalizeScanText(raw: string): string {
  return raw.trim().replace(AIM_ID, '').trim();
}
