// The verdict card at the top of a run (the Overview, a run's page and Try it): the report's level and headline,
// the selection behind it, and the original rule in one line. Also what the other parts of a run's view share:
// the report format they read and the field the run selected by.
import { formatChange, formatCount, h, VERDICT_LABELS, verdictTone } from './common.js';
import { formatMetric, METRIC_LABELS, SELECTION_FIELDS } from './metrics.js';

export function selectedField(validation) {
  return SELECTION_FIELDS[validation.selectBy] ?? 'winRate';
}

export const REPORT_FORMAT = 'overfit-report/2';

/** A window of the run: "12,264 bars (2020-01-01 – 2021-05-25)". */
export const windowSpan = (w) => `${formatCount(w.bars)} bars (${w.first.slice(0, 10)} – ${w.last.slice(0, 10)})`;

/**
 * The run's one verdict (overfitting_report.json): its level and headline, then the selection behind it and the
 * original rule as one line. Runs made before the report had a verdict show the original rule's.
 */
export function verdictCard(detail) {
  const { validation, manifest } = detail;
  if (!validation) {
    return h(
      'section',
      { class: 'card verdict' },
      h('div', { class: 'label' }, manifest.status === 'failed' ? 'Run failed' : 'No validation results'),
      manifest.error ? h('p', {}, `${manifest.error.stage}: ${manifest.error.message}`) : null,
    );
  }
  const verdict = detail.report?.format === REPORT_FORMAT ? detail.report.verdict : null;
  const rule = validation.originalRule ?? { verdict: validation.verdict, explanation: validation.explanation };
  const level = verdict?.level ?? rule.verdict;
  const field = selectedField(validation);
  const { selection } = validation;
  const drop = selection.drop;
  return h(
    'section',
    { class: `card verdict ${verdictTone(level, verdict?.tone)}`, 'data-testid': 'verdict' },
    h('div', { class: 'label' }, VERDICT_LABELS[level] ?? level),
    verdict ? h('p', { class: 'headline', 'data-testid': 'headline' }, verdict.headline) : null,
    h(
      'p',
      {},
      `Strategy ${validation.strategy.id} (${validation.strategy.family.replace(/_/g, ' ')}, ${validation.strategy.direction.replace('_', '-')}) was picked as the best of `,
      `${manifest.config?.strategies ?? '?'} by ${METRIC_LABELS[field].toLowerCase()}: `,
      h('strong', {}, formatMetric(field, selection.training)),
      ' on training, ',
      h('strong', {}, formatMetric(field, selection.validation)),
      ' on the held-out validation data',
      drop === null ? '.' : ` (${formatChange(-drop)}).`,
    ),
    h(
      'p',
      { class: 'small muted' },
      `The original rule — overfit when the selection metric falls by more than ${(validation.overfitThreshold * 100).toFixed(0)} % — says `,
      h('strong', {}, (VERDICT_LABELS[rule.verdict] ?? rule.verdict).toLowerCase()),
      `: ${rule.explanation} `,
      `Training: ${windowSpan(validation.windows.training)}; `,
      `validation: ${windowSpan(validation.windows.validation)}.`,
    ),
  );
}
