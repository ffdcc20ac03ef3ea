// What every page shares: fetching the JSON API, building elements without innerHTML (run data is shown as
// text, never parsed as markup), number and date formats. The header is header.js's; metric names and formats are
// metrics.js's.

/** GET (or send) JSON; a non-2xx answer throws an Error carrying the server's message and status. */
export async function api(path, options = {}) {
  const response = await fetch(path, {
    headers: { accept: 'application/json', ...(options.headers ?? {}) },
    ...options,
  });
  const body = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const error = new Error(body?.message ?? `${response.status} ${response.statusText}`);
    error.status = response.status;
    // A refused setting: which field (its JSON name) and what is wrong with it, for the page to name it as it does.
    error.field = body?.field ?? null;
    error.problem = body?.problem ?? null;
    throw error;
  }
  return body;
}

let options = null;
/** GET /api/options, asked once per page: what runs may be started with, how metrics are shown, the stages. */
export function serverOptions() {
  options ??= api('/api/options');
  return options;
}

/** h('td', { class: 'num' }, '1.2') → <td class="num">1.2</td>; children are nodes or text. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export function clear(element) {
  element.replaceChildren();
  return element;
}

/** A count of things (bars, strategies, trials) as a whole number with separators: never "32,054.689 bars". */
export function formatCount(value) {
  return typeof value === 'number' && Number.isFinite(value) ? Math.round(value).toLocaleString() : '—';
}

export function formatChange(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return `${value > 0 ? '+' : value < 0 ? '−' : ''}${Math.abs(value * 100).toFixed(1)} %`;
}

export function formatDate(iso) {
  if (!iso) return '—';
  return new Date(iso)
    .toISOString()
    .replace('T', ' ')
    .replace(/:\d\d\.\d+Z$/, ' UTC');
}

/** The run's verdict (overfitting_report.json), and the original rule's words for runs made before it existed. */
export const VERDICT_LABELS = {
  evidence_of_skill: 'Evidence of skill',
  no_evidence_of_skill: 'No evidence of skill',
  overfit_likely: 'Overfitting likely',
  inconclusive: 'Inconclusive',
  overfit: 'Overfit',
  held_up: 'Held up',
};

/** The colour a verdict carries: green only for skill that made money and kept up with buy-and-hold. */
export function verdictTone(verdict, tone) {
  if (tone === 'good' || tone === 'bad' || tone === 'neutral') return tone;
  return { overfit: 'bad', overfit_likely: 'bad', held_up: 'neutral' }[verdict] ?? 'neutral';
}

export function badge(text, kind) {
  return h('span', { class: `badge ${kind ?? ''}` }, text);
}

export function errorBox(message) {
  return h('div', { class: 'error', role: 'alert' }, message);
}

export function query(name) {
  return new URLSearchParams(window.location.search).get(name);
}
