// Strata web UI: the trends view. An SVG line chart of the query's occurrences per million
// words by year (or its share of documents), one line per series, a legend that toggles
// lines, and points that open the concordance for that year. Uses app.js's helpers.
'use strict';

const SVG_NS = 'http://www.w3.org/2000/svg';
const TREND_COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22'];

function svg(tag, attrs = {}, text = null) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== null) e.textContent = text;
  return e;
}

function trendValue(p, measure) {
  return measure === 'documents' ? (p.documents_total ? p.documents / p.documents_total : 0) : p.per_million;
}

function trendAxes(chart, years, max, measure, box) {
  const { w, h, left, bottom } = box;
  chart.append(svg('line', { x1: left, y1: h - bottom, x2: w - 10, y2: h - bottom, class: 'axis' }),
    svg('line', { x1: left, y1: 10, x2: left, y2: h - bottom, class: 'axis' }));
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    const y = h - bottom - ((h - bottom - 10) * i) / 4;
    chart.append(svg('text', { x: left - 6, y: y + 4, 'text-anchor': 'end', class: 'tick' },
      measure === 'documents' ? Math.round(v * 100) + '%' : v.toFixed(v < 10 ? 1 : 0)));
  }
  years.forEach((year, i) => chart.append(svg('text', { x: trendX(i, years.length, box), y: h - bottom + 18, 'text-anchor': 'middle', class: 'tick' }, String(year))));
}

function trendX(i, n, box) { return box.left + (n <= 1 ? (box.w - box.left - 10) / 2 : (i * (box.w - box.left - 30)) / (n - 1) + 10); }

function drawTrends(res, s, split, measure) {
  const box = { w: 760, h: 320, left: 56, bottom: 28 };
  const years = [...new Set(res.series.flatMap((x) => x.points.map((p) => p.year)))].sort((a, b) => a - b);
  const max = Math.max(1e-9, ...res.series.flatMap((x) => x.points.map((p) => trendValue(p, measure))));
  const chart = svg('svg', { viewBox: `0 0 ${box.w} ${box.h}`, class: 'trend-chart', id: 'trend-chart', role: 'img',
    'aria-label': measure === 'documents' ? 'Share of documents by year' : 'Occurrences per million words by year' });
  trendAxes(chart, years, max, measure, box);
  const legend = el('div', { class: 'trend-legend', id: 'trend-legend' });
  res.series.forEach((series, k) => {
    const colour = TREND_COLOURS[k % TREND_COLOURS.length];
    const g = svg('g', { class: 'series', 'data-key': series.key });
    const pts = series.points.map((p) => [trendX(years.indexOf(p.year), years.length, box),
      box.h - box.bottom - ((box.h - box.bottom - 10) * trendValue(p, measure)) / max, p]);
    g.append(svg('path', { class: 'trend-line', d: pts.map(([x, y], i) => (i ? 'L' : 'M') + x.toFixed(1) + ' ' + y.toFixed(1)).join(' '),
      stroke: colour, fill: 'none' }));
    for (const [x, y, p] of pts) {
      const dot = svg('circle', { cx: x, cy: y, r: 4, fill: colour, class: 'trend-point', tabindex: 0, 'data-year': p.year });
      dot.append(svg('title', {}, `${series.label} ${p.year}: ${p.occurrences} occurrences, ${p.per_million} per million words, ${p.documents} of ${p.documents_total} documents`));
      const open = () => {
        const filters = Object.assign({}, s.filters);
        if (split !== 'none') filters[split] = [series.key];
        navigate({ view: 'concordance', year: String(p.year), filters, page: 1 });
      };
      dot.addEventListener('click', open);
      dot.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(); });
      g.append(dot);
    }
    chart.append(g);
    const item = el('button', { type: 'button', class: 'legend-item', 'aria-pressed': 'true', 'data-key': series.key },
      el('span', { class: 'swatch', style: { background: colour } }), el('span', { text: `${series.label} (${series.occurrences})` }));
    item.addEventListener('click', () => {
      const on = item.getAttribute('aria-pressed') !== 'true';
      item.setAttribute('aria-pressed', on ? 'true' : 'false');
      g.style.display = on ? '' : 'none';
    });
    legend.append(item);
  });
  return [chart, legend];
}

function trendControls(split, measure) {
  const radios = (name, current, options, key) => {
    const f = el('fieldset', {}, el('legend', { text: name }));
    for (const [value, label] of options) {
      const input = el('input', { type: 'radio', name: key, value, checked: value === current });
      input.addEventListener('change', () => setViewParams({ [key]: value }));
      f.append(el('label', {}, input, ' ' + label));
    }
    return f;
  };
  return el('div', { class: 'compare-controls', role: 'group', 'aria-label': 'Trend settings' },
    radios('Lines', split, [['none', 'All'], ['country', 'Countries'], ['region', 'Regions'], ['lang', 'Languages']], 'split'),
    radios('Measure', measure, [['per_million', 'Per million words'], ['documents', 'Share of documents']], 'measure'));
}

async function renderTrends(s) {
  const view = $('#view-trends');
  if (!s.q) {
    view.replaceChildren(notice('Type a word or phrase to see how often it is used, year by year.'));
    return;
  }
  const split = viewParam('split', 'country');
  const measure = viewParam('measure', 'per_million');
  const params = stateParams(s, { forApi: true });
  params.set('split', split);
  view.replaceChildren(trendControls(split, measure), el('p', { role: 'status', text: 'Counting…' }));
  let res;
  try {
    res = await api('/v1/trends', params);
  } catch (e) {
    view.replaceChildren(trendControls(split, measure), notice('Trends failed: ' + e.message, 'warn'));
    return;
  }
  const csv = new URLSearchParams(params);
  csv.set('format', 'csv');
  const summary = el('p', { id: 'trend-summary', role: 'status' },
    `“${s.q}”: ${res.total} occurrence${res.total === 1 ? '' : 's'}` +
    (measure === 'documents' ? ', as the share of each year’s documents that use it. ' : ', per million words of each year’s text. '),
    el('a', { class: 'button', href: '/v1/trends?' + csv.toString(), download: 'strata-trends.csv', text: 'Download CSV' }));
  const [chart, legend] = drawTrends(res, s, split, measure);
  view.replaceChildren(trendControls(split, measure), summary, chart, legend,
    el('p', { class: 'hint', text: 'Click a point to read that year’s occurrences.' }));
}
