// Timestamp formats found in price files, parsed by hand: `new Date(string)` reads zone-less strings as local
// time, and prices must be UTC whatever the machine's zone. Parsing character codes instead of running a regular
// expression and a Date round trip per row is what keeps a million-row file well under two seconds.
import { InputError } from '@overfit/core';
import { printable } from './printable';

const DAY_MS = 86_400_000;

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** The value of `count` decimal digits at `at`, or −1 when any of them is not a digit. */
function digits(s: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    value = value * 10 + c;
  }
  return value;
}

/** Epoch ms of a checked calendar date and time of day; NaN for 2024-02-30, 25:00 and the like. */
function utcMs(y: number, mo: number, d: number, h: number, mi: number, sec: number, ms: number): number {
  if (
    y < 0 ||
    mo < 1 ||
    mo > 12 ||
    d < 1 ||
    d > daysInMonth(y, mo) ||
    h < 0 ||
    h > 23 ||
    mi < 0 ||
    mi > 59 ||
    sec < 0 ||
    sec > 59
  )
    return Number.NaN;
  return daysFromCivil(y, mo, d) * DAY_MS + ((h * 60 + mi) * 60 + sec) * 1000 + ms;
}

/**
 * Parse `[ HH:MM[:SS[.fraction]]][zone]` starting at `at` (just after the date) onto a date. The zone is `Z`,
 * `±HH:MM`, `±HHMM`, or Dukascopy's ` GMT±HHMM`.
 */
function timeOfDay(s: string, at: number, y: number, mo: number, d: number, separators: string): number {
  const n = s.length;
  if (at === n) return utcMs(y, mo, d, 0, 0, 0, 0);
  if (!separators.includes(s[at]) || n < at + 6 || s[at + 3] !== ':') return Number.NaN;
  const h = digits(s, at + 1, 2);
  const mi = digits(s, at + 4, 2);
  let i = at + 6;
  let sec = 0;
  let ms = 0;
  if (s[i] === ':') {
    sec = digits(s, i + 1, 2);
    i += 3;
    if (s[i] === '.') {
      const start = ++i;
      while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
      if (i === start || i - start > 9) return Number.NaN;
      // Milliseconds: the first three fraction digits (microseconds and nanoseconds are cut, not rounded).
      ms = digits((s.slice(start, start + 3) + '00').slice(0, 3), 0, 3);
    }
  }
  const local = utcMs(y, mo, d, h, mi, sec, ms);
  if (i === n) return local;
  let zone = s.slice(i);
  if (zone === 'Z' || zone === 'z') return local;
  if (zone.startsWith(' GMT')) zone = zone.slice(4);
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m) return Number.NaN;
  const offset = (+m[2] * 60 + +m[3]) * 60_000;
  return m[1] === '-' ? local + offset : local - offset;
}

/**
 * Epoch milliseconds (UTC) of
 * - ISO 8601 `YYYY-MM-DD[(T| )HH:MM[:SS[.f…]]][Z|±HH:MM]` (zone-less = UTC), as Binance/Kaggle exports write it too;
 * - Dukascopy `dd.mm.yyyy HH:MM:SS[.fff][ GMT±HHMM]`;
 * - epoch seconds, milliseconds (from 1e11) or microseconds (from 1e14: Binance's spot archives since 2025).
 * NaN when it is none of these.
 */
export function parseTimestamp(text: string): number {
  const s =
    text.length > 0 && (text.charCodeAt(0) <= 32 || text.charCodeAt(text.length - 1) <= 32) ? text.trim() : text;
  const n = s.length;
  if (n >= 10 && s[4] === '-' && s[7] === '-') {
    const y = digits(s, 0, 4);
    const mo = digits(s, 5, 2);
    const d = digits(s, 8, 2);
    return y < 0 || mo < 0 || d < 0 ? Number.NaN : timeOfDay(s, 10, y, mo, d, 'T t');
  }
  if (n >= 10 && s[2] === '.' && s[5] === '.') {
    const d = digits(s, 0, 2);
    const mo = digits(s, 3, 2);
    const y = digits(s, 6, 4);
    return y < 0 || mo < 0 || d < 0 ? Number.NaN : timeOfDay(s, 10, y, mo, d, ' T');
  }
  if (n >= 9 && n <= 16 && digits(s, 0, n) >= 0) {
    const value = Number(s);
    return value >= 1e14 ? Math.floor(value / 1000) : value >= 1e11 ? value : value * 1000;
  }
  return Number.NaN;
}

/** ISO 8601 in UTC, without milliseconds when they are zero: 2017-08-17T04:00:00Z. */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** A bar length as exchanges write it (30s, 5m, 1h, 4h, 1d, 1w), in seconds; an InputError naming `where` otherwise. */
export function parseInterval(text: string, where: string): number {
  const m = /^(\d+)([smhdw])$/.exec(text.trim());
  const seconds = m ? +m[1] * { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 }[m[2] as 's' | 'm' | 'h' | 'd' | 'w'] : 0;
  if (!(seconds > 0))
    throw new InputError(`must be a bar length such as 5m, 1h or 1d (got "${printable(text)}")`, where);
  return seconds;
}

/** The shortest exchange-style name of a bar length: 3600 → 1h. */
export function formatInterval(seconds: number): string {
  for (const [unit, size] of [
    ['w', 604_800],
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}
