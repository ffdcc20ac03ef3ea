// Timestamp formats found in price files, parsed by hand: `new Date(string)` reads zone-less strings as local
// time, and prices must be UTC whatever the machine's zone.

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const DAY_FIRST = /^(\d{2})\.(\d{2})\.(\d{4})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;
const EPOCH = /^\d{9,16}$/;

function utc(y: string, mo: string, d: string, h = '0', mi = '0', s = '0', fraction = ''): number {
  const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, fraction ? Math.floor(+`0.${fraction}` * 1000) : 0);
  const check = new Date(ms);
  // Date.UTC rolls 2024-02-31 over into March: a round trip catches impossible dates and times.
  if (check.getUTCMonth() !== +mo - 1 || check.getUTCDate() !== +d || +h > 23 || +mi > 59 || +s > 59) return Number.NaN;
  return ms;
}

/**
 * Epoch milliseconds (UTC) of an ISO 8601 date or date-time (zone-less = UTC), a `dd.mm.yyyy HH:MM:SS`
 * (Dukascopy) time, or epoch seconds / milliseconds (from 1e11 on, milliseconds). NaN when it is none of these.
 */
export function parseTimestamp(text: string): number {
  const value = text.trim();
  if (EPOCH.test(value)) {
    const n = Number(value);
    return n >= 1e11 ? n : n * 1000;
  }
  let m = ISO.exec(value);
  if (m) {
    const ms = utc(m[1], m[2], m[3], m[4], m[5], m[6], m[7]);
    const zone = m[8];
    if (!zone || zone.toUpperCase() === 'Z') return ms;
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    return ms - sign * (+digits.slice(0, 2) * 60 + +digits.slice(2)) * 60_000;
  }
  m = DAY_FIRST.exec(value);
  if (m) return utc(m[3], m[2], m[1], m[4], m[5], m[6], m[7]);
  return Number.NaN;
}

/** ISO 8601 in UTC, without milliseconds when they are zero: 2017-08-17T04:00:00Z. */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
