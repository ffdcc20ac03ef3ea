// The header every page shares, rendered here once instead of written into each HTML file. Page modules import
// this first, so it is drawn as soon as the modules run, before any of them waits for the API. The current section
// is the body's data-page (a single run's page belongs to Runs).
import { h } from './common.js';

const SECTIONS = [
  ['/', 'overview', 'Overview'],
  ['/runs.html', 'runs', 'Runs'],
  ['/try.html', 'try', 'Try it'],
  ['/learn.html', 'learn', 'Learn'],
];
const SECTION_OF_PAGE = { run: 'runs' };

const page = document.body.dataset.page;
const current = SECTION_OF_PAGE[page] ?? page;
document.body.prepend(
  h(
    'header',
    { class: 'top' },
    h('a', { class: 'brand', href: '/' }, 'Overfitting Lab'),
    h(
      'nav',
      {},
      SECTIONS.map(([href, section, text]) =>
        h('a', { href, 'data-page': section, class: section === current ? 'current' : undefined }, text),
      ),
    ),
  ),
);
