// Watching a run until it has finished: polls /api/runs/<id>/status and shows the stage and the backtest's count.
// The stages, in order, are the server's (GET /api/options: core's stage registry).
import { api, badge, clear, h, serverOptions } from './common.js';

const STAGES = (await serverOptions().catch(() => null))?.stages ?? [];

function describe(status) {
  if (status.state === 'queued') return 'Waiting for the run before it to finish…';
  if (status.state !== 'running') return '';
  if (!status.stage) return 'Running…';
  const step = `Stage ${STAGES.indexOf(status.stage) + 1} of ${STAGES.length}: ${status.stage}`;
  return status.stage === 'backtest' && status.backtest
    ? `${step} (${status.backtest.done.toLocaleString()} of ${status.backtest.total.toLocaleString()} strategies)`
    : step;
}

function fraction(status) {
  if (status.state === 'succeeded') return 1;
  if (!status.stage) return 0;
  const index = STAGES.indexOf(status.stage);
  const within =
    status.stage === 'backtest' && status.backtest?.total ? status.backtest.done / status.backtest.total : 0;
  return (index + within) / STAGES.length;
}

/** Resolves with the final status ("succeeded" or "failed"); the container shows the progress meanwhile. */
export async function watchRun(runId, container, { intervalMs = 400 } = {}) {
  const bar = h('progress', { max: '1', value: '0', 'aria-label': 'run progress' });
  const state = h('span', {});
  const text = h('p', { class: 'small', 'data-testid': 'progress-text' });
  clear(container).append(
    h(
      'div',
      { class: 'card', 'data-testid': 'progress' },
      h('p', {}, 'Run ', h('code', {}, runId), ' ', state),
      bar,
      text,
    ),
  );
  for (;;) {
    let status;
    try {
      status = await api(`/api/runs/${encodeURIComponent(runId)}/status`);
    } catch (error) {
      // A server busy with a backtest may answer late; a missing run will not appear by waiting.
      if (error.status === 404) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs * 2));
      continue;
    }
    state.replaceChildren(badge(status.state, status.state));
    bar.value = fraction(status);
    text.textContent = status.state === 'failed' ? `The run failed: ${status.error}` : describe(status);
    if (status.state === 'succeeded' || status.state === 'failed') return status;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
