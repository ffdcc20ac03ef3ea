// Watching a run until it has finished: polls /api/runs/<id>/status and shows the stage, and how far the backtest
// (strategies) or validate (its steps) has come.
// The stages, in order, are the server's (GET /api/options: core's stage registry).
import { api, badge, clear, h, serverOptions } from './common.js';

const STAGES = (await serverOptions().catch(() => null))?.stages ?? [];

/** How far the stage under way has come, as a share (0 to 1), and in words; null when it does not say. */
function within(status) {
  const count = status.stage === 'backtest' ? status.backtest : status.stage === 'validate' ? status.validate : null;
  if (!count?.total) return null;
  const share = Math.min(1, count.done / count.total);
  const words =
    status.stage === 'backtest'
      ? `${count.done.toLocaleString()} of ${count.total.toLocaleString()} strategies`
      : `${count.step}, ${Math.round(share * 100)} % of validation done`;
  return { share, words };
}

function describe(status) {
  if (status.state === 'queued') return 'Waiting for the run before it to finish…';
  if (status.state !== 'running') return '';
  if (!status.stage) return 'Running…';
  const step = `Stage ${STAGES.indexOf(status.stage) + 1} of ${STAGES.length}: ${status.stage}`;
  const progress = within(status);
  return progress ? `${step} (${progress.words})` : step;
}

function fraction(status) {
  if (status.state === 'succeeded') return 1;
  if (!status.stage || STAGES.length === 0) return 0;
  return (STAGES.indexOf(status.stage) + (within(status)?.share ?? 0)) / STAGES.length;
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
