// The figures of a run (plots/*.png): the equity curve of the selected strategy on its own, then the others.
import { h } from './common.js';

const HISTOGRAM_CAPTION =
  'The selection metric of every strategy on training; the selected one’s training and validation values marked.';
const FIGURE_CAPTIONS = {
  'performance_comparison.png': 'Training vs validation for the key metrics, with the verdict.',
  'equity_curve.png': 'The selected strategy’s equity across both windows, the split marked, buy-and-hold beside it.',
  'is_vs_oos_scatter.png': 'In-sample vs out-of-sample performance of every strategy.',
  'pbo_logits.png': 'Distribution of the logits of the winner’s out-of-sample rank over the CSCV splits.',
  'expected_max_sharpe.png': 'How the best Sharpe ratio of pure noise grows with the number of strategies tried.',
  'walk_forward_equity.png': 'Walk-forward: select on one window, trade the next.',
};

const EQUITY_CURVE = 'plots/equity_curve.png';

/** The selected strategy's equity over both windows with the split: where the fall happens, in one picture. */
export function equitySection(detail) {
  const figure = detail.figures.find((f) => f.path === EQUITY_CURVE);
  if (!figure) return null;
  return h(
    'section',
    {},
    h('h2', {}, 'The selected strategy over time'),
    h(
      'figure',
      { class: 'card equity' },
      h(
        'a',
        { href: figure.url, class: 'figure-link', title: 'Open full size' },
        h('img', { src: figure.url, alt: 'Equity curve of the selected strategy, training then validation' }),
      ),
      h('figcaption', { class: 'small muted' }, FIGURE_CAPTIONS['equity_curve.png']),
    ),
  );
}

export function figuresSection(detail) {
  const others = detail.figures.filter((f) => f.path !== EQUITY_CURVE);
  if (others.length === 0) return null;
  return h(
    'section',
    {},
    h('h2', {}, 'Figures'),
    h(
      'div',
      { class: 'figures' },
      others.map((figure) => {
        const name = figure.path.split('/').pop();
        // The histogram is named after the selection metric (sharpe_histogram.png; win_rate_histogram.png before).
        const caption = name.endsWith('_histogram.png') ? HISTOGRAM_CAPTION : FIGURE_CAPTIONS[name];
        return h(
          'figure',
          {},
          h(
            'a',
            { href: figure.url, class: 'figure-link', title: 'Open full size' },
            h('img', { src: figure.url, alt: name, loading: 'lazy' }),
          ),
          h('figcaption', {}, caption ?? name),
        );
      }),
    ),
  );
}
