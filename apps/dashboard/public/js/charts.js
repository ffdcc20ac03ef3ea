// Chart.js in the browser (window.Chart, loaded by /vendor/chart.umd.min.js before the page's modules).
import { formatMetric, isPercentMetric, METRIC_LABELS } from './metrics.js';

const TRAINING = '#2563eb';
const VALIDATION = '#f97316';
const BUY_AND_HOLD = '#9ca3af';

const charts = new WeakMap();

function draw(canvas, config) {
  charts.get(canvas)?.destroy();
  const chart = new window.Chart(canvas, config);
  charts.set(canvas, chart);
  return chart;
}

/** Vertical lines at values on a category axis of histogram bins: where the selected strategy stood. */
function markersPlugin(markers, bins) {
  return {
    id: 'markers',
    afterDatasetsDraw(chart) {
      const { ctx, chartArea, scales } = chart;
      for (const marker of markers) {
        if (marker.value === null || marker.value === undefined || bins.length === 0) continue;
        const lo = bins[0].from;
        const width = bins[0].to - bins[0].from || 1;
        // Bin b is centred on category b: value v sits at (v − lo) / width − 0.5 categories.
        const position = Math.min(bins.length - 0.5, Math.max(-0.5, (marker.value - lo) / width - 0.5));
        const left = scales.x.getPixelForValue(Math.floor(position));
        const right = scales.x.getPixelForValue(Math.ceil(position));
        const x = left + (right - left) * (position - Math.floor(position));
        ctx.save();
        ctx.strokeStyle = marker.color;
        ctx.lineWidth = 2.5;
        ctx.setLineDash(marker.dashed ? [6, 4] : []);
        ctx.beginPath();
        ctx.moveTo(x, chartArea.top);
        ctx.lineTo(x, chartArea.bottom);
        ctx.stroke();
        ctx.fillStyle = marker.color;
        ctx.font = '600 12px system-ui, sans-serif';
        // Beside the line, on the side with more room, and never cut by the canvas's edge (a phone's chart is narrow).
        const label = chart.width < 480 ? (marker.short ?? marker.label) : marker.label;
        const textWidth = ctx.measureText(label).width;
        const side = x > (chartArea.left + chartArea.right) / 2 ? x - 5 - textWidth : x + 5;
        ctx.textAlign = 'left';
        ctx.fillText(
          label,
          Math.max(chartArea.left, Math.min(side, chart.width - textWidth)),
          chartArea.top + 14 + (marker.row ?? 0) * 16,
        );
        ctx.restore();
      }
    },
  };
}

/** The selection metric of every strategy, the selected one's training and validation values marked. */
export function histogramChart(canvas, histogram, best) {
  const { metric, bins } = histogram;
  const labels = bins.map((b) => formatMetric(metric, (b.from + b.to) / 2));
  const markers = [
    {
      value: best.training,
      label: `selected, training: ${formatMetric(metric, best.training)}`,
      short: `training: ${formatMetric(metric, best.training)}`,
      color: TRAINING,
    },
    {
      value: best.validation,
      label: `selected, validation: ${formatMetric(metric, best.validation)}`,
      short: `validation: ${formatMetric(metric, best.validation)}`,
      color: VALIDATION,
      dashed: true,
      row: 1,
    },
  ];
  return draw(canvas, {
    type: 'bar',
    data: {
      labels,
      datasets: [
        {
          label: `Eligible (≥ ${histogram.minTrades} trades)`,
          data: bins.map((b) => b.eligible),
          backgroundColor: '#94a3b8',
          stack: 's',
        },
        {
          label: 'Too few trades to be selected',
          data: bins.map((b) => b.ineligible),
          backgroundColor: '#e2e8f0',
          stack: 's',
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      categoryPercentage: 1,
      barPercentage: 0.95,
      plugins: {
        legend: { position: 'bottom' },
        tooltip: { callbacks: { title: (items) => `${METRIC_LABELS[metric]} ≈ ${items[0].label}` } },
      },
      scales: {
        x: {
          stacked: true,
          title: { display: true, text: `${METRIC_LABELS[metric]} on the training window` },
          ticks: { maxTicksLimit: 10 },
        },
        y: { stacked: true, title: { display: true, text: 'Strategies' }, beginAtZero: true },
      },
    },
    plugins: [markersPlugin(markers, bins)],
  });
}

/** Training vs validation (and buy-and-hold on validation) for a set of metrics sharing one unit. */
export function comparisonChart(canvas, validation, metrics, title) {
  const percent = metrics.every(isPercentMetric);
  const scale = (v) => (v === null || v === undefined ? null : percent ? v * 100 : v);
  return draw(canvas, {
    type: 'bar',
    data: {
      labels: metrics.map((m) => METRIC_LABELS[m]),
      datasets: [
        {
          label: 'Selected strategy, training',
          data: metrics.map((m) => scale(validation.training[m])),
          backgroundColor: TRAINING,
        },
        {
          label: 'Selected strategy, validation',
          data: metrics.map((m) => scale(validation.validation[m])),
          backgroundColor: VALIDATION,
        },
        {
          label: 'Buy and hold, validation',
          data: metrics.map((m) => scale(validation.buyAndHold.validation[m])),
          backgroundColor: BUY_AND_HOLD,
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: {
        legend: { position: 'bottom' },
        title: { display: true, text: title },
        tooltip: {
          callbacks: {
            label: (item) =>
              `${item.dataset.label}: ${item.raw === null ? '—' : percent ? `${item.raw.toFixed(1)} %` : item.raw.toFixed(2)}`,
          },
        },
      },
      scales: { y: { title: { display: true, text: percent ? 'percent' : 'ratio' } } },
    },
  });
}

/** Lines of {x, y} points, e.g. the expected maximum Sharpe ratio of N lucky draws on the Learn page. */
export function lineChart(canvas, { series, xTitle, yTitle, logX = false }) {
  return draw(canvas, {
    type: 'line',
    data: {
      datasets: series.map((s) => ({
        label: s.label,
        data: s.data,
        borderColor: s.color,
        backgroundColor: s.color,
        pointRadius: 0,
        borderWidth: 2.5,
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { position: 'bottom' } },
      scales: {
        x: {
          type: logX ? 'logarithmic' : 'linear',
          title: { display: true, text: xTitle },
          // On a log axis label the powers of ten only; Chart.js would label every 1-2-5 step.
          ticks: logX
            ? {
                autoSkip: false,
                maxRotation: 0,
                callback: (value) => (Number.isInteger(Math.log10(value)) ? Number(value).toLocaleString() : ''),
              }
            : {},
        },
        y: { title: { display: true, text: yTitle } },
      },
    },
  });
}
