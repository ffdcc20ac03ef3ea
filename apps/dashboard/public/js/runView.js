// How a finished run is shown, on the Overview (the latest run) and on its own page: the verdict first, then the
// numbers behind it, the charts, the statistics of overfitting when the run has them, and the figures. Each part
// is its own module; this one puts them in order.
import { clear, errorBox, h } from './common.js';
import { equitySection, figuresSection } from './figures.js';
import { keyStatistics } from './keyStatistics.js';
import { reportSection } from './reportSection.js';
import { chartsSection, metricsTable } from './selectionNumbers.js';
import { verdictCard } from './verdictCard.js';

/** Verdict, charts, numbers, statistics and figures of a run into the container. */
export async function renderRun(container, detail) {
  clear(container);
  container.append(verdictCard(detail));
  const glance = keyStatistics(detail.report);
  if (glance) container.append(glance);
  if (!detail.validation) return;
  let charts;
  try {
    charts = await chartsSection(detail);
  } catch (error) {
    charts = errorBox(`The charts could not be loaded: ${error.message}`);
  }
  container.append(charts);
  const equity = equitySection(detail);
  if (equity) container.append(equity);
  container.append(h('h2', {}, 'The selected strategy in numbers'), metricsTable(detail.validation));
  charts.draw?.();
  let report;
  try {
    report = reportSection(detail.report);
  } catch (error) {
    // A report whose shape this page does not know is still worth seeing, as JSON.
    report = h(
      'section',
      {},
      h('h2', {}, 'Statistics of overfitting'),
      errorBox(`The report could not be read: ${error.message}`),
      h(
        'details',
        {},
        h('summary', {}, 'overfitting_report.json'),
        h('pre', {}, JSON.stringify(detail.report, null, 2)),
      ),
    );
  }
  if (report) container.append(report);
  const figures = figuresSection(detail);
  if (figures) container.append(figures);
}
