// Runs: the history, and two runs side by side.
import './header.js';
import {
  api,
  badge,
  clear,
  errorBox,
  formatChange,
  formatCount,
  formatDate,
  h,
  query,
  VERDICT_LABELS,
  verdictTone,
} from './common.js';
import { formatMetric, isWindowTotal, METRIC_LABELS, SELECTION_FIELDS } from './metrics.js';
import { selectedField, windowSpan } from './verdictCard.js';

const list = document.getElementById('runs');
const compareButton = document.getElementById('compare');
const comparison = document.getElementById('comparison');
const chosen = new Set();

function runLink(runId) {
  return h('a', { href: `/run.html?id=${encodeURIComponent(runId)}` }, runId);
}

/**
 * The selection metric's change from training to validation. A total (return) is not a rate: over a 5.7-year and a
 * 2.4-year window the two are not comparable, so its change is not shown as if they were (the run's page says more).
 */
function changeCell(run) {
  if (run.drop === null) return h('td', { class: 'num' }, '—');
  if (isWindowTotal(SELECTION_FIELDS[run.selectBy]))
    return h(
      'td',
      { class: 'num', title: 'Totals over windows of different lengths are not comparable: see the run' },
      'n/a',
    );
  return h('td', { class: 'num' }, formatChange(-run.drop));
}

function renderList(runs, latestRunId) {
  if (runs.length === 0) {
    list.replaceWith(
      h(
        'p',
        {},
        'No runs yet: run ',
        h('code', {}, 'npm run demo'),
        ' or start one on ',
        h('a', { href: '/try.html' }, 'Try it'),
        '.',
      ),
    );
    return;
  }
  const rows = runs.map((run) => {
    const box = h('input', {
      type: 'checkbox',
      'aria-label': `compare ${run.runId}`,
      disabled: run.status !== 'succeeded',
    });
    box.checked = chosen.has(run.runId);
    box.addEventListener('change', () => {
      if (box.checked) chosen.add(run.runId);
      else chosen.delete(run.runId);
      compareButton.disabled = chosen.size !== 2;
    });
    return h(
      'tr',
      {},
      h('td', {}, box),
      h(
        'td',
        { class: 'nowrap' },
        runLink(run.runId),
        run.runId === latestRunId ? h('span', { class: 'small muted' }, ' (latest)') : null,
      ),
      h('td', {}, badge(run.status, run.status)),
      h('td', {}, formatDate(run.createdAt)),
      h('td', { class: 'num' }, formatCount(run.strategies)),
      h('td', { class: 'dataset' }, run.dataSource ?? '—'),
      h('td', {}, run.selectBy ?? '—'),
      h(
        'td',
        { title: run.headline ?? '' },
        run.verdict
          ? badge(VERDICT_LABELS[run.verdict] ?? run.verdict, verdictTone(run.verdict, run.tone))
          : run.error
            ? h('span', { class: 'small' }, run.error)
            : '—',
      ),
      changeCell(run),
    );
  });
  list.append(
    h(
      'table',
      { id: 'runs-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, ''),
          h('th', {}, 'Run'),
          h('th', {}, 'Status'),
          h('th', {}, 'Started'),
          h('th', { class: 'num' }, 'Strategies'),
          h('th', {}, 'Data set'),
          h('th', {}, 'Selected by'),
          h('th', {}, 'Verdict'),
          h(
            'th',
            { class: 'num', title: 'Relative change of the selection metric (a rate) from training to validation' },
            'Change',
          ),
        ),
      ),
      h('tbody', {}, rows),
    ),
  );
}

const SETTINGS = {
  strategies: 'Strategies',
  families: 'Families',
  selectBy: 'Selected by',
  trainFraction: 'Training share',
  minTrades: 'Minimum trades',
  feesBps: 'Fees (bps)',
  slippageBps: 'Slippage (bps)',
  overfitThreshold: 'Overfit threshold',
  seed: 'Seed',
  nullMarkets: 'Null markets',
};
const percentOf = (v) => (typeof v === 'number' ? `${(v * 100).toFixed(1)} %` : '—');

async function compare(ids) {
  clear(comparison).append(h('p', { class: 'muted' }, 'Loading…'));
  const details = await Promise.all(ids.map((id) => api(`/api/runs/${encodeURIComponent(id)}`)));
  const row = (label, cell) =>
    h(
      'tr',
      {},
      h('th', {}, label),
      details.map((d) => h('td', {}, cell(d))),
    );
  const config = (name) => (d) => {
    const value = d.manifest.config?.[name];
    return Array.isArray(value) ? value.join(', ') : (value ?? '—');
  };
  const metric = (window, name) => (d) => (d.validation ? formatMetric(name, d.validation[window][name]) : '—');
  const fields = ['winRate', 'sharpe', 'totalReturn', 'maxDrawdown', 'trades'];
  clear(comparison).append(
    h('h2', {}, 'Comparison'),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { id: 'comparison-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, ''),
            details.map((d) => h('th', {}, runLink(d.manifest.runId))),
          ),
        ),
        h(
          'tbody',
          {},
          row('Verdict', (d) =>
            d.report?.verdict
              ? badge(
                  VERDICT_LABELS[d.report.verdict.level],
                  verdictTone(d.report.verdict.level, d.report.verdict.tone),
                )
              : '—',
          ),
          row('Selection metric: training → validation', (d) => {
            if (!d.validation) return '—';
            const f = selectedField(d.validation);
            const { training, validation, drop } = d.validation.selection;
            return `${formatMetric(f, training)} → ${formatMetric(f, validation)} (${formatChange(drop === null ? null : -drop)})`;
          }),
          // Runs on windows of different lengths: their totals are not comparable, their rates are.
          row('Windows: training, validation', (d) =>
            d.validation
              ? `${windowSpan(d.validation.windows.training)}; ${windowSpan(d.validation.windows.validation)}`
              : '—',
          ),
          row('Selected strategy', (d) =>
            d.validation ? `${d.validation.strategy.id} (${d.validation.strategy.family})` : '—',
          ),
          row('Data', (d) => d.manifest.data?.source ?? '—'),
          ...Object.entries(SETTINGS).map(([name, label]) => row(label, config(name))),
          row('PBO', (d) => percentOf(d.report?.pbo?.pbo)),
          row('Deflated Sharpe ratio', (d) => percentOf(d.report?.deflatedSharpe?.value)),
          row('SPA p-value', (d) =>
            typeof d.report?.dataSnooping?.spa?.consistent === 'number'
              ? d.report.dataSnooping.spa.consistent.toFixed(3)
              : '—',
          ),
          ...fields.flatMap((name) => [
            row(`${METRIC_LABELS[name]}, training`, metric('training', name)),
            row(`${METRIC_LABELS[name]}, validation`, metric('validation', name)),
          ]),
        ),
      ),
    ),
  );
}

compareButton.addEventListener('click', () => {
  const ids = [...chosen];
  history.replaceState(null, '', `?compare=${ids.map(encodeURIComponent).join(',')}`);
  compare(ids).catch((error) => clear(comparison).append(errorBox(`Could not compare: ${error.message}`)));
});

try {
  const { runs, latestRunId, broken = [] } = await api('/api/runs');
  if (broken.length > 0) {
    // A damaged run is left out of the table, not allowed to hide the others; say which.
    list.before(
      h(
        'p',
        { class: 'small muted', 'data-testid': 'broken-runs' },
        `${broken.length} ${broken.length === 1 ? 'run could' : 'runs could'} not be read and ${broken.length === 1 ? 'is' : 'are'} not listed: `,
        broken.map((b) => `${b.key} ${b.problem}`).join('; '),
        '.',
      ),
    );
  }
  const preset = (query('compare') ?? '').split(',').filter(Boolean);
  if (preset.length === 2) for (const id of preset) chosen.add(id);
  renderList(runs, latestRunId);
  compareButton.disabled = chosen.size !== 2;
  if (preset.length === 2) await compare(preset);
} catch (error) {
  list.append(errorBox(`The runs could not be loaded: ${error.message}`));
}
