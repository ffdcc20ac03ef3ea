// One run: progress while it runs, then its verdict, charts, statistics, figures, every strategy and every file.
import './header.js';
import { api, clear, errorBox, formatCount, formatDate, h, query } from './common.js';
import { formatMetric, METRIC_LABELS, SELECTION_FIELDS } from './metrics.js';
import { watchRun } from './progress.js';
import { renderRun } from './runView.js';

const runId = query('id') ?? '';
const title = document.getElementById('title');
const caption = document.getElementById('run-caption');
const container = document.getElementById('run');
const progress = document.getElementById('progress');

const TABLE_METRICS = [
  'winRate',
  'sharpe',
  'totalReturn',
  'maxDrawdown',
  'trades',
  'hitRate',
  'profitFactor',
  'exposure',
];
const table = { sort: 'id', order: 'asc', page: 1, pageSize: 50, family: '', direction: '', minTrades: '' };

async function loadStrategies() {
  const params = new URLSearchParams({
    sort: table.sort,
    order: table.order,
    page: String(table.page),
    pageSize: String(table.pageSize),
  });
  if (table.family) params.set('family', table.family);
  if (table.direction) params.set('direction', table.direction);
  if (table.minTrades !== '') params.set('minTrades', table.minTrades);
  const page = await api(`/api/runs/${encodeURIComponent(runId)}/strategies?${params}`);
  renderStrategies(page);
}

function header(key, label, numeric) {
  const sorted = table.sort === key ? (table.order === 'asc' ? 'ascending' : 'descending') : null;
  const sortBy = () => {
    // First click on a metric sorts best first (descending); on text columns A→Z. A second click reverses.
    if (table.sort === key) table.order = table.order === 'asc' ? 'desc' : 'asc';
    else table.order = numeric ? 'desc' : 'asc';
    table.sort = key;
    table.page = 1;
    loadStrategies().catch(showTableError);
  };
  return h(
    'th',
    {
      class: `sortable ${numeric ? 'num' : ''}`,
      'data-sort': key,
      'aria-sort': sorted,
      tabindex: '0',
      title: 'Sort by this column',
      onclick: sortBy,
      onkeydown: (event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          sortBy();
        }
      },
    },
    label,
  );
}

function renderStrategies(page) {
  const element = document.getElementById('strategies');
  const headRow = h(
    'tr',
    {},
    header('id', 'Strategy', false),
    header('family', 'Family', false),
    header('direction', 'Direction', false),
    h('th', {}, 'Parameters'),
    TABLE_METRICS.map((m) => header(m, METRIC_LABELS[m], true)),
    page.hasValidation ? h('th', { class: 'num' }, 'Win rate, validation') : null,
    page.hasValidation ? h('th', { class: 'num' }, 'Sharpe, validation') : null,
  );
  const rows = page.rows.map((row) =>
    h(
      'tr',
      {
        class: row.id === page.bestId ? 'best' : (row.training.trades ?? 0) < page.minTrades ? 'ineligible' : '',
        title:
          (row.training.trades ?? 0) < page.minTrades
            ? `fewer than ${page.minTrades} trades on training: not eligible for selection`
            : null,
        'data-id': row.id,
      },
      h('td', {}, row.id, row.id === page.bestId ? ' ★' : ''),
      h('td', { class: 'nowrap' }, row.family.replace(/_/g, ' ')),
      h('td', { class: 'nowrap' }, row.direction.replace('_', '-')),
      h(
        'td',
        { class: 'small params' },
        Object.entries(row.params)
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
      ),
      TABLE_METRICS.map((m) => h('td', { class: 'num' }, formatMetric(m, row.training[m]))),
      page.hasValidation ? h('td', { class: 'num' }, formatMetric('winRate', row.validation?.winRate)) : null,
      page.hasValidation ? h('td', { class: 'num' }, formatMetric('sharpe', row.validation?.sharpe)) : null,
    ),
  );
  element.replaceChildren(h('thead', {}, headRow), h('tbody', {}, rows));
  document.getElementById('page-info').textContent =
    `Page ${page.page} of ${page.pages} · ${formatCount(page.matching)} of ${formatCount(page.total)} strategies`;
  document.getElementById('prev').disabled = page.page <= 1;
  document.getElementById('next').disabled = page.page >= page.pages;
}

function showTableError(error) {
  document.getElementById('page-info').textContent = `Could not load the strategies: ${error.message}`;
}

function wireTable(families) {
  const family = document.getElementById('filter-family');
  for (const f of families) family.append(h('option', { value: f }, f.replace(/_/g, ' ')));
  const reload = () => {
    table.page = 1;
    loadStrategies().catch(showTableError);
  };
  family.addEventListener('change', () => {
    table.family = family.value;
    reload();
  });
  const direction = document.getElementById('filter-direction');
  direction.addEventListener('change', () => {
    table.direction = direction.value;
    reload();
  });
  const trades = document.getElementById('filter-trades');
  trades.addEventListener('change', () => {
    table.minTrades = trades.value === '' ? '' : String(Math.max(0, Math.floor(Number(trades.value))));
    reload();
  });
  const size = document.getElementById('page-size');
  size.addEventListener('change', () => {
    table.pageSize = Number(size.value);
    reload();
  });
  document.getElementById('prev').addEventListener('click', () => {
    table.page -= 1;
    loadStrategies().catch(showTableError);
  });
  document.getElementById('next').addEventListener('click', () => {
    table.page += 1;
    loadStrategies().catch(showTableError);
  });
}

/** Where the numbers come from: the data's fingerprint, the code version, and how long each stage took. */
function provenance(manifest) {
  const { data } = manifest;
  const rows = [
    [
      'Data',
      data
        ? `${data.source}: ${formatCount(data.rows)} bars, ${formatDate(data.first)} – ${formatDate(data.last)}, ` +
          `one every ${formatCount(data.barSeconds)} s`
        : '—',
    ],
    ['Data SHA-256', manifest.data?.sha256 ?? '—'],
    ['Code version', manifest.codeVersion],
    ['Started, finished', `${formatDate(manifest.createdAt)}, ${formatDate(manifest.finishedAt)}`],
    [
      'Stage times',
      Object.entries(manifest.timings ?? {})
        .map(([stage, ms]) => `${stage} ${(ms / 1000).toFixed(2)} s`)
        .join(' · ') || '—',
    ],
  ];
  return h(
    'table',
    {},
    h(
      'tbody',
      {},
      rows.map(([label, value]) => h('tr', {}, h('th', {}, label), h('td', { class: 'small' }, value))),
    ),
  );
}

async function showRun() {
  const detail = await api(`/api/runs/${encodeURIComponent(runId)}`);
  const { manifest } = detail;
  const config = manifest.config ?? {};
  caption.textContent =
    `${manifest.status === 'failed' ? 'Failed' : 'Finished'} ${formatDate(manifest.finishedAt)} · ${config.strategies ?? '?'} strategies ` +
    `(${(config.families ?? []).join(', ')}) · ${manifest.data?.source ?? 'unknown data'} · training share ${config.trainFraction ?? '?'} · ` +
    `selected by ${config.selectBy ?? '?'} (at least ${config.minTrades ?? '?'} trades) · fees ${config.feesBps ?? '?'} bps, slippage ${config.slippageBps ?? '?'} bps · seed ${config.seed ?? '?'}`;
  await renderRun(container, detail);
  if (detail.validation) {
    // Sorted by the selection metric, best first: the selected strategy is the first eligible row.
    table.sort = SELECTION_FIELDS[detail.validation.selectBy] ?? 'id';
    table.order = 'desc';
    wireTable(config.families ?? []);
    document.getElementById('strategies-section').hidden = false;
    await loadStrategies();
  }
  document.getElementById('provenance').replaceChildren(provenance(manifest));
  const files = document.getElementById('files');
  files.replaceChildren(
    ...detail.files.map((f) =>
      h('li', {}, h('a', { href: f.url }, f.path), h('span', { class: 'small muted' }, ` ${f.contentType}`)),
    ),
  );
  document.getElementById('files-section').hidden = false;
}

title.textContent = `Run ${runId}`;
try {
  if (!runId) throw new Error('no run id in the address (run.html?id=…)');
  const status = await api(`/api/runs/${encodeURIComponent(runId)}/status`);
  if (status.state === 'queued' || status.state === 'running') {
    const final = await watchRun(runId, progress);
    if (final.state === 'failed') throw new Error(final.error ?? 'the run failed');
  }
  clear(progress);
  await showRun();
} catch (error) {
  container.append(
    errorBox(error.status === 404 ? `There is no run ${runId}.` : `The run could not be loaded: ${error.message}`),
  );
}
