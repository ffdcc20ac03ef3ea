// Text from a price file shown back to the user (in an error, a data report, --lenient's dropped rows) is the
// file's author's, not ours: terminal control sequences in it would run on the user's terminal (`\x1b[2J` clears
// the screen), and a 10 MB field would be a 10 MB line. Everything echoed goes through `printable`.

/** Characters of a field shown before it is cut. */
export const MAX_SHOWN_CHARS = 80;

/**
 * `text` safe to print: C0 and C1 control characters, DEL, line and paragraph separators, bidirectional overrides,
 * zero-width characters and the BOM as `\xNN` / `\uNNNN` escapes (backslash as `\\`), cut to `max` characters
 * followed by `…` when longer.
 */
export function printable(text: string, max = MAX_SHOWN_CHARS): string {
  const cut = text.length > max;
  const shown = cut ? text.slice(0, max) : text;
  // eslint-disable-next-line no-control-regex
  const escaped = /[\u0000-\u001f\u007f-\u009f\\\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/.test(shown)
    ? shown.replace(
        /[\u0000-\u001f\u007f-\u009f\\\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g,
        (c) => {
          if (c === '\\') return '\\\\';
          const code = c.charCodeAt(0);
          return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
        },
      )
    : shown;
  // A cut in the middle of a surrogate pair would leave half a character.
  const whole = cut && /[\ud800-\udbff]$/.test(escaped) ? escaped.slice(0, -1) : escaped;
  return cut ? `${whole}…` : whole;
}
