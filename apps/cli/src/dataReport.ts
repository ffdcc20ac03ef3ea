// The data report in words, for `overfit data inspect|fetch|synth`, and its gaps and dropped rows, which `overfit run`
// repeats. The data package returns the facts (DataReport); only the CLI names its own flags (--lenient, --json).
import type { DataReport } from '@overfit/data';

/** Dropped rows listed one by one; the rest are counted (all of them are in --json and the run's manifest). */
const LISTED_DROPPED_ROWS = 5;

/** Whole numbers as people read them: 71,214 (a bar count is never shown with decimals). */
export const count = (n: number): string => Math.round(n).toLocaleString('en-US');

/** A length of time as people say it: 45 min, 33 h, 2.5 days. */
export function duration(seconds: number): string {
  if (seconds >= 2 * 86_400) return `${Number((seconds / 86_400).toFixed(1))} days`;
  if (seconds >= 2 * 3600) return `${Number((seconds / 3600).toFixed(1))} h`;
  return `${Number((seconds / 60).toFixed(1))} min`;
}

/** "28 (128 missing bars; the longest: 33 h between two bars, after 2018-02-08T…)", or "none". */
export function gapsText(gaps: DataReport['gaps']): string {
  if (gaps.count === 0) return 'none';
  return `${count(gaps.count)} (${count(gaps.missingBars)} missing bars; the longest: ${duration(gaps.largestSeconds)} between two bars, after ${gaps.largestAt})`;
}

/** The rows --lenient left out: how many of each kind, then the first few with line and reason. */
export function droppedRowsLines(
  rows: readonly { line: number; kind: string; reason: string }[],
  total: number,
  indent: string,
  more = '--json lists them',
): string[] {
  const kinds = new Map<string, number>();
  for (const d of rows) kinds.set(d.kind, (kinds.get(d.kind) ?? 0) + 1);
  const byKind = total === rows.length ? `: ${[...kinds].map(([kind, n]) => `${kind} ${n}`).join(', ')}` : '';
  const lines = [`${count(total)} row${total === 1 ? '' : 's'} dropped (--lenient)${byKind}`];
  const listed = rows.slice(0, LISTED_DROPPED_ROWS);
  for (const d of listed) lines.push(`${indent}line ${d.line}: ${d.reason}`);
  if (total > listed.length) lines.push(`${indent}… and ${count(total - listed.length)} more (${more})`);
  return lines;
}

export function formatDataReport(report: DataReport, label: string): string {
  const lines = [
    `${label}`,
    `  rows      ${count(report.rows)}`,
    `  range     ${report.first} → ${report.last}`,
    `  spacing   ${report.spacingSeconds} s (median)`,
    `  gaps      ${gapsText(report.gaps)}`,
  ];
  if (report.problems.length === 0) lines.push('  problems  none');
  for (const p of report.problems) lines.push(`  problem   ${p.kind}: ${count(p.count)} (first: ${p.example})`);
  if (report.dropped.length) {
    const [head, ...rest] = droppedRowsLines(report.dropped, report.dropped.length, '            ');
    lines.push(`  dropped   ${head}`, ...rest);
  }
  return lines.join('\n');
}
