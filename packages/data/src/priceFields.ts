// The fields of a price row: which text is a price or a volume (decimal notation, within the accepted range), and
// why a field is not one, in the words a message shows the user.
import { printable } from './printable';

/**
 * The prices accepted, inclusive: one satoshi-sized unit to a billion. Outside it a price is a typo or a broken
 * export, and numbers near the ends of the double range (1e308, 5e-324) overflow or underflow the accounting.
 */
export const MIN_PRICE = 1e-8;
export const MAX_PRICE = 1e9;

/**
 * Whether `raw` is written in decimal notation (digits, one point, an exponent, a sign, spaces or tabs around).
 * Number() also reads 0x10, 0b101, 0o17, Infinity and Unicode spaces; none of them is a price. Given that Number()
 * read a finite value, these characters alone leave only its decimal grammar.
 */
export function isDecimal(raw: string): boolean {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if ((c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || c === 43 || c === 45 || c === 32 || c === 9)
      continue;
    return false;
  }
  return true;
}

/** Whether `value` is a price this project reads: within MIN_PRICE … MAX_PRICE. */
export const isPrice = (value: number): boolean => value >= MIN_PRICE && value <= MAX_PRICE;

/** A decimal price within MIN_PRICE … MAX_PRICE, or NaN. Surrounding spaces are fine (Kaggle's exports have them). */
export function price(raw: string): number {
  const value = Number(raw);
  return value >= MIN_PRICE && value <= MAX_PRICE && isDecimal(raw) ? value : Number.NaN;
}

/**
 * A field as shown in a message: ASCII spaces and tabs around it cut, everything else kept and made printable
 * (String.trim would also cut a BOM or U+2028, and the message would show a value that looks fine).
 */
export const cell = (raw: string): string => printable(raw.replace(/^[ \t]+|[ \t]+$/g, ''));

/** Why `raw` is not a price, in the user's words. */
export function priceProblem(name: string, raw: string): string {
  const shown = `"${cell(raw)}"`;
  const value = Number(raw);
  if (raw.trim() !== '' && Number.isFinite(value) && !isDecimal(raw))
    return `${name} must be a decimal number such as 4308.83 (got ${shown})`;
  if (value > 0 && isDecimal(raw))
    return `${name} ${shown} is outside the accepted prices, ${MIN_PRICE} to ${MAX_PRICE}`;
  return `${name} must be a positive number (got ${shown})`;
}
