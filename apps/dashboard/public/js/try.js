// Try it: choose the experiment's settings, start it, watch it run, see the verdict.
import './header.js';
import { api, clear, errorBox, h, serverOptions } from './common.js';
import { METRIC_LABELS, SELECTION_FIELDS } from './metrics.js';
import { watchRun } from './progress.js';
import { keyStatistics } from './keyStatistics.js';
import { verdictCard } from './verdictCard.js';

const form = document.getElementById('run-form');
const startButton = document.getElementById('start');
const progress = document.getElementById('progress');
const result = document.getElementById('result');
const field = (id) => document.getElementById(id);

function fillForm(options) {
  for (const dataset of options.datasets) field('dataset').append(h('option', { value: dataset.id }, dataset.label));
  field('dataset').value = options.defaults.dataset;
  for (const metric of options.selectionMetrics) {
    field('selectBy').append(h('option', { value: metric }, METRIC_LABELS[SELECTION_FIELDS[metric]] ?? metric));
  }
  field('selectBy').value = options.defaults.selectBy;
  // Each numeric input's bounds and default come from the run config's schema (/api/options optionLimits): the
  // page cannot drift from what the API accepts. An exclusive bound (training share < 1) stays out of min/max.
  for (const name of ['strategies', 'seed', 'nullMarkets', 'trainFraction', 'feesBps']) {
    const limit = options.optionLimits[name];
    if (limit.min !== undefined && !limit.exclusiveMin) field(name).min = String(limit.min);
    if (limit.max !== undefined && !limit.exclusiveMax) field(name).max = String(limit.max);
    field(name).value = String(options.defaults[name] ?? limit.default ?? field(name).value);
  }
  for (const family of options.families) {
    const box = h('input', { type: 'checkbox', name: 'families', value: family });
    box.checked = options.defaults.families.includes(family);
    field('families').append(h('label', {}, box, family.replace(/_/g, ' ')));
  }
  field('token-fieldset').hidden = !options.tokenRequired;
  field('where').textContent =
    options.launcher === 'step-functions'
      ? 'Runs start as executions of the pipeline’s AWS Step Functions state machine; the Lambdas write the results to S3.'
      : 'Runs compute on this server, one at a time, and are written to its artifact store.';
}

function readForm(limits) {
  const strategies = Number(field('strategies').value);
  if (!Number.isInteger(strategies) || strategies < limits.minStrategies || strategies > limits.maxStrategies) {
    throw new Error(
      `The number of strategies must be a whole number from ${limits.minStrategies} to ${limits.maxStrategies.toLocaleString()}.`,
    );
  }
  const families = [...form.querySelectorAll('input[name="families"]:checked')].map((box) => box.value);
  if (families.length === 0) throw new Error('Choose at least one strategy family.');
  return {
    strategies,
    dataset: field('dataset').value,
    families,
    selectBy: field('selectBy').value,
    seed: Number(field('seed').value),
    trainFraction: Number(field('trainFraction').value),
    feesBps: Number(field('feesBps').value),
    nullMarkets: Number(field('nullMarkets').value),
  };
}

/** A refused run in the form's words: the field's label, then the problem ("Training share must be at most 0.9"). */
function inWords(error) {
  if (error.status === 401) return 'This server needs the right run token to start a run.';
  const input = error.field ? document.getElementById(error.field) : null;
  const label = input?.closest('label')?.firstChild ?? input?.closest('fieldset')?.querySelector('legend');
  const name = label?.textContent?.trim();
  if (!name || !error.problem) return error.message;
  return /^(must|is|needs|takes|lists)\b/.test(error.problem)
    ? `${name} ${error.problem}`
    : `${name}: ${error.problem}`;
}

async function start(options) {
  clear(result);
  const body = readForm(options.limits);
  const headers = { 'content-type': 'application/json' };
  const token = field('token').value.trim();
  if (token) headers.authorization = `Bearer ${token}`;
  startButton.disabled = true;
  try {
    const { runId } = await api('/api/runs', { method: 'POST', headers, body: JSON.stringify(body) });
    const final = await watchRun(runId, progress);
    if (final.state === 'failed') {
      result.append(errorBox(`The run failed: ${final.error}`));
      return;
    }
    const detail = await api(`/api/runs/${encodeURIComponent(runId)}`);
    result.append(
      h('h2', {}, 'Result'),
      verdictCard(detail),
      keyStatistics(detail.report),
      h(
        'p',
        {},
        h(
          'a',
          { href: `/run.html?id=${encodeURIComponent(runId)}`, 'data-testid': 'run-link' },
          'See every chart, figure and strategy of this run →',
        ),
      ),
    );
  } finally {
    startButton.disabled = false;
  }
}

try {
  const options = await serverOptions();
  fillForm(options);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    start(options).catch((error) => {
      result.append(errorBox(inWords(error)));
    });
  });
} catch (error) {
  form.replaceWith(errorBox(`The settings could not be loaded: ${error.message}`));
}
