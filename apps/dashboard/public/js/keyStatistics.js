// The key statistics under the verdict: each test of "it is luck" as a card with its p-value.
import { h } from './common.js';
import { REPORT_FORMAT } from './verdictCard.js';

/** Each test of "it is luck" behind the verdict, at a glance: its p-value and what it says. */
export function keyStatistics(report) {
  if (report?.format !== REPORT_FORMAT) return null;
  const tests = report.verdict.tests.filter((t) => t.pValue !== null);
  if (tests.length === 0) return null;
  return h(
    'div',
    { class: 'grid stats glance spaced', 'data-testid': 'key-statistics' },
    tests.map((t) =>
      h(
        'div',
        { class: 'card stat', title: t.about },
        h('div', { class: 'what' }, t.label),
        h('div', { class: 'value' }, `p ${t.pValue < 0.001 ? '< 0.001' : t.pValue.toFixed(3)}`),
        h('div', { class: 'small muted' }, t.fires ? 'rejects luck at 5 %' : 'consistent with luck'),
      ),
    ),
  );
}
