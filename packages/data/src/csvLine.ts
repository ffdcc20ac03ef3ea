// The CSV line tokenizer's slow path and its limits: the fields of a line that holds quotes (RFC 4180), and how
// long and wide a line of a price file may be. The fast path (no quotes) is indexOf in readPriceCsv.ts.

/** Rows with more fields are refused (a Binance kline row has 12). */
export const MAX_FIELDS = 64;
/** A longer line is refused where it starts: no price file needs one, and a line is held whole while it is read. */
export const MAX_LINE_CHARS = 4096;

/** Fields of one CSV line: a plain split without quotes, RFC 4180 quoting otherwise; null for an unclosed quote. */
export function splitCsvLine(line: string): string[] | null {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (line[i + 1] === '"') field += line[++i];
      else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  if (quoted) return null;
  fields.push(field);
  return fields;
}
