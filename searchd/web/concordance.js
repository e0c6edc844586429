// Strata web UI: the concordance (KWIC) view. Every occurrence of the query in context,
// aligned on the match, sortable by the words around it. Uses app.js's helpers (el, api,
// stateParams, navigate, docUrl, notice); document text is only ever set as text.
'use strict';

const KWIC_PER_PAGE = 100;
const KWIC_COLUMNS = [
  ['doc', 'Document'], ['year', 'Year'], ['L2', 'L2'], ['L1', 'L1'], ['R1', 'R1'], ['R2', 'R2'],
];

// The view's own URL parameters, beside the shared q and filters.
function viewParam(name, fallback) {
  return new URLSearchParams(location.search).get(name) || fallback;
}

// Changes the view's own parameters in the URL, then renders again.
function setViewParams(change) {
  const p = new URLSearchParams(location.search);
  for (const [k, v] of Object.entries(change)) {
    if (v === null || v === '' || v === undefined) p.delete(k);
    else p.set(k, String(v));
  }
  history.pushState(null, '', '/?' + p.toString());
  render();
}

function kwicSortButton(key, label, current) {
  const active = current === key || (key === 'year' && current === '-year');
  const b = el('button', { type: 'button', class: 'sort' + (active ? ' active' : ''), 'data-sort': key,
    'aria-pressed': active ? 'true' : 'false', text: label + (current === '-year' && key === 'year' ? ' ↓' : active ? ' ↑' : '') });
  b.addEventListener('click', () => setViewParams({ ksort: key === 'year' && current === 'year' ? '-year' : key, kpage: null }));
  return b;
}

function kwicRow(line, s) {
  const href = docUrl(line.id, s.q) + '#p-' + line.passage;
  const link = el('a', { href, text: line.id, title: [line.section, line.page ? 'p. ' + line.page : ''].filter(Boolean).join(' · ') });
  link.addEventListener('click', (e) => {
    e.preventDefault();
    history.pushState(null, '', href);
    render();
  });
  const lang = line.language || '';
  return el('tr', { class: 'kwic-line' },
    el('td', { class: 'kwic-doc' }, link),
    el('td', { class: 'kwic-year', text: String(line.year) }),
    el('td', { class: 'kwic-left' }, el('span', { lang, text: line.left })),
    el('td', { class: 'kwic-match' }, el('mark', { lang, title: line.via !== 'query' ? `${line.via}: ${line.term}` : null, text: line.match })),
    el('td', { class: 'kwic-right' }, el('span', { lang, text: line.right })));
}

function kwicPager(res, page, view) {
  const pages = Math.ceil(res.total / KWIC_PER_PAGE);
  if (pages <= 1) return;
  const nav = el('nav', { class: 'pager', 'aria-label': 'Pages of lines' });
  const go = (p, text) => {
    const b = el('button', { type: 'button', class: 'secondary', text, disabled: p < 1 || p > pages });
    b.addEventListener('click', () => setViewParams({ kpage: p }));
    return b;
  };
  nav.append(go(page - 1, '← Previous'), el('span', { text: ` page ${page} of ${pages} ` }), go(page + 1, 'Next →'));
  view.append(nav);
}

async function renderConcordance(s) {
  const view = $('#view-concordance');
  if (!s.q) {
    view.replaceChildren(notice('Type a word or phrase to read every occurrence in context.'));
    return;
  }
  const sort = viewParam('ksort', 'doc');
  const page = Math.max(1, parseInt(viewParam('kpage', '1'), 10) || 1);
  const params = stateParams(s, { forApi: true });
  params.set('sort', sort);
  params.set('page', String(page));
  params.set('per_page', String(KWIC_PER_PAGE));
  params.set('context', viewParam('context', '10'));
  if (viewParam('doc', '')) params.set('doc', viewParam('doc', ''));
  view.replaceChildren(el('p', { role: 'status', text: 'Finding occurrences…' }));
  let res;
  try {
    res = await api('/v1/concordance', params);
  } catch (e) {
    view.replaceChildren(notice('Concordance failed: ' + e.message, 'warn'));
    return;
  }
  const csv = new URLSearchParams(params);
  csv.set('format', 'csv');
  const plural = (n, w) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const summary = el('p', { id: 'kwic-summary', role: 'status' },
    `${plural(res.total, 'occurrence')} of “${s.q}” in ${plural(res.documents, 'document')}. `,
    el('a', { class: 'button', href: '/v1/concordance?' + csv.toString(), download: 'strata-concordance.csv', text: 'Download CSV' }));
  const forms = res.patterns.filter((p) => p.via !== 'query').map((p) => p.text);
  const also = forms.length ? notice('Also across languages: ' + forms.join(', ')) : null;
  const head = el('tr');
  head.append(el('th', { scope: 'col' }, kwicSortButton('doc', 'Document', sort)),
    el('th', { scope: 'col' }, kwicSortButton('year', 'Year', sort)),
    el('th', { scope: 'col', class: 'kwic-left' }, kwicSortButton('L2', 'L2', sort), ' ', kwicSortButton('L1', 'L1', sort)),
    el('th', { scope: 'col', class: 'kwic-match', text: 'Match' }),
    el('th', { scope: 'col', class: 'kwic-right' }, kwicSortButton('R1', 'R1', sort), ' ', kwicSortButton('R2', 'R2', sort)));
  const body = el('tbody');
  for (const line of res.lines) body.append(kwicRow(line, s));
  view.replaceChildren(summary, also, el('div', { class: 'kwic-wrap' }, el('table', { class: 'kwic', id: 'kwic' }, el('thead', {}, head), body)));
  kwicPager(res, page, view);
}
