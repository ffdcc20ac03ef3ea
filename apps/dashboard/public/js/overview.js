// Overview: the latest successful run, verdict first.
import './header.js';
import { api, clear, errorBox, formatDate, h } from './common.js';
import { renderRun } from './runView.js';

const caption = document.getElementById('run-caption');
const container = document.getElementById('run');

try {
  const { latestRunId } = await api('/api/runs');
  if (!latestRunId) {
    clear(caption).append(
      'No run has finished yet. Run ',
      h('code', {}, 'npm run demo'),
      ' in the repository, or start one on ',
      h('a', { href: '/try.html' }, 'Try it'),
      '.',
    );
  } else {
    const detail = await api(`/api/runs/${encodeURIComponent(latestRunId)}`);
    const { manifest } = detail;
    clear(caption).append(
      'Run ',
      h('a', { href: `/run.html?id=${encodeURIComponent(latestRunId)}` }, latestRunId),
      `, finished ${formatDate(manifest.finishedAt)}, `,
      `${manifest.config?.strategies ?? '?'} strategies on ${manifest.data?.source ?? 'unknown data'}`,
      manifest.data?.synthetic ? ' (synthetic: no strategy can have a real edge here).' : '.',
    );
    await renderRun(container, detail);
  }
} catch (error) {
  clear(caption);
  container.append(errorBox(`The latest run could not be loaded: ${error.message}`));
}
