// Strata web UI: search with facets, documents, and the comparison heatmap.
// Plain JavaScript, no build step. All state lives in the URL; the API does the work.
'use strict';

const FILTERS = ['country', 'region', 'income', 'bloc', 'theme', 'lang', 'type'];
const PER_PAGE = 10;
const $ = (sel) => document.querySelector(sel);

// ---------------------------------------------------------------- state <-> URL
function readState() {
  const p = new URLSearchParams(location.search);
  const list = (name) => (p.get(name) || '').split(',').map((s) => s.trim()).filter(Boolean);
  const filters = {};
  for (const f of FILTERS) filters[f] = list(f);
  return {
    view: ['doc', 'compare', 'concordance', 'trends', 'keyness'].includes(p.get('view')) ? p.get('view') : 'search',
    q: p.get('q') || '',
    crosslingual: p.get('crosslingual') !== 'false',
    sort: p.get('sort') || 'relevance',
    page: Math.max(1, parseInt(p.get('page') || '1', 10) || 1),
    id: p.get('id') || '',
    by: p.get('by') || 'country,theme',
    year: p.get('year') || '',
    measure: ['per_million', 'documents'].includes(p.get('measure')) ? p.get('measure') : 'passages',
    hsort: p.get('hsort') || 'name',
    filters,
  };
}

function stateParams(s, { forApi = false } = {}) {
  const p = new URLSearchParams();
  if (!forApi && s.view !== 'search') p.set('view', s.view);
  if (s.q) p.set('q', s.q);
  for (const f of FILTERS) if (s.filters[f].length) p.set(f, s.filters[f].join(','));
  if (s.year) p.set('year', s.year);
  if (!s.crosslingual) p.set('crosslingual', 'false');
  if (!forApi) {
    if (s.sort !== 'relevance') p.set('sort', s.sort);
    if (s.page > 1) p.set('page', String(s.page));
    if (s.view === 'doc' && s.id) p.set('id', s.id);
    if (s.view === 'compare' && s.by !== 'country,theme') p.set('by', s.by);
    if (s.view === 'compare' && s.measure !== 'passages') p.set('measure', s.measure);
    if (s.view === 'compare' && s.hsort !== 'name') p.set('hsort', s.hsort);
  }
  return p;
}

function navigate(change, { replace = false } = {}) {
  const s = Object.assign(readState(), change);
  const qs = stateParams(s).toString();
  const url = '/' + (qs ? '?' + qs : '');
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  render();
}

// ---------------------------------------------------------------- API
async function api(path, params) {
  const url = path + (params && [...params].length ? '?' + params.toString() : '');
  const res = await fetch(url, { headers: { Accept: 'application/json' } });
  let body = null;
  try { body = await res.json(); } catch (e) { body = null; }
  if (!res.ok) {
    const msg = body && body.error ? body.error.message : `${res.status} ${res.statusText}`;
    throw new Error(msg);
  }
  return body;
}

const cached = {};
function once(key, fn) { return cached[key] || (cached[key] = fn().catch((e) => { delete cached[key]; throw e; })); }
const countriesInfo = () => once('countries', () => api('/v1/countries'));
const themesInfo = () => once('themes', () => api('/v1/themes'));

// ---------------------------------------------------------------- safe rendering
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'text') e.textContent = v;
    else if (k === 'style') Object.assign(e.style, v);  // CSSOM: allowed by the page's CSP
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function decodeEntities(s) {
  return s.replace(/&(amp|lt|gt|quot|#39);/g, (m, e) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" }[e]));
}

// Snippets arrive HTML-escaped with <mark> around matches. Build them as DOM nodes from
// that vocabulary alone, so nothing else in a snippet can ever become markup.
function marked(html, tag = 'span') {
  const out = el(tag, { dir: 'auto' });
  let inMark = false;
  for (const part of String(html).split(/(<mark>|<\/mark>)/)) {
    if (part === '<mark>') { inMark = true; continue; }
    if (part === '</mark>') { inMark = false; continue; }
    if (!part) continue;
    const text = document.createTextNode(decodeEntities(part));
    out.append(inMark ? el('mark', {}, text) : text);
  }
  return out;
}

function notice(text, kind = '') { return el('p', { class: 'notice ' + kind, text }); }

// ---------------------------------------------------------------- search view
async function renderSearch(s) {
  const params = stateParams(s, { forApi: true });
  params.set('page', String(s.page));
  params.set('per_page', String(PER_PAGE));
  params.set('sort', s.sort);
  const summary = $('#summary');
  summary.textContent = 'Searching…';
  let res, countries;
  try {
    [res, countries] = await Promise.all([api('/v1/search', params), countriesInfo()]);
  } catch (e) {
    summary.textContent = '';
    $('#notices').replaceChildren(notice('Search failed: ' + e.message, 'warn'));
    $('#hits').replaceChildren();
    $('#pager').replaceChildren();
    return;
  }
  const what = res.total === 1 ? 'document' : 'documents';
  summary.textContent = `${res.total} ${what}, ${res.total_passages} passage${res.total_passages === 1 ? '' : 's'}` + (s.q ? ` for “${s.q}”` : '');
  const csv = new URLSearchParams(params);
  csv.set('format', 'csv');
  $('#search-csv').setAttribute('href', '/v1/search?' + csv.toString());
  renderNotices(res);
  renderFacets(res, s, countries);
  renderHits(res, s);
  renderPager(res, s);
}

function renderNotices(res) {
  const box = $('#notices');
  box.replaceChildren();
  for (const w of res.warnings || []) box.append(notice(w, 'warn'));
  if (res.did_you_mean) {
    const a = el('a', { href: '/?q=' + encodeURIComponent(res.did_you_mean), text: res.did_you_mean });
    a.addEventListener('click', (e) => { e.preventDefault(); navigate({ q: res.did_you_mean, page: 1 }); });
    box.append(el('p', { class: 'notice' }, 'Did you mean ', a, '?'));
  }
  if (res.expansions && res.expansions.length) {
    const p = el('p', { class: 'notice', id: 'expansions' }, 'Also searched across languages: ');
    // Each term is isolated with its own direction: an Arabic term never turns the list around.
    res.expansions.forEach((x, i) => {
      p.append(el('bdi', {}, el('strong', { text: x.matched })), ' → ');
      Object.entries(x.terms).forEach(([lang, terms], j) => {
        if (j) p.append('; ');
        terms.forEach((t, k) => p.append(k ? ', ' : '', el('bdi', { class: 'term', lang, dir: 'auto', text: t })));
        p.append(` (${lang})`);
      });
      if (i < res.expansions.length - 1) p.append(' · ');
    });
    box.append(p);
  }
}

function renderHits(res, s) {
  const list = $('#hits');
  list.replaceChildren();
  if (!res.hits.length) {
    const li = el('li', { class: 'notice', id: 'empty' }, 'No documents match. ');
    if (res.did_you_mean) {
      const a = el('a', { href: '/?q=' + encodeURIComponent(res.did_you_mean), text: res.did_you_mean });
      a.addEventListener('click', (e) => { e.preventDefault(); navigate({ q: res.did_you_mean, page: 1 }); });
      li.append('Did you mean ', a, '? ');
    }
    const active = FILTERS.flatMap((f) => s.filters[f].map((v) => [f, v]));
    if (s.year) active.push(['year', s.year]);
    for (const [f, v] of active) {
      const b = el('button', { type: 'button', class: 'secondary', text: `Remove ${f}: ${v}` });
      b.addEventListener('click', () => {
        if (f === 'year') navigate({ year: '', page: 1 });
        else navigate({ filters: Object.assign({}, s.filters, { [f]: s.filters[f].filter((x) => x !== v) }), page: 1 });
      });
      li.append(b, ' ');
    }
    if (!active.length && !res.did_you_mean) li.append('Try fewer words, or search “Across languages”.');
    list.append(li);
    return;
  }
  for (const h of res.hits) {
    const link = el('a', { href: docUrl(h.id), lang: h.language, dir: 'auto', text: h.title || h.id });
    link.addEventListener('click', (e) => { e.preventDefault(); navigate({ view: 'doc', id: h.id }); });
    const head = el('h2', {}, link);
    if (h.title_en && h.title_en !== h.title) head.append(' ', el('span', { class: 'title-en', text: '— ' + h.title_en }));
    const meta = el('div', { class: 'meta' },
      el('span', { class: 'code', title: h.country_name || h.country, text: h.country || '??' }),
      el('span', { text: h.country_name || '' }), el('span', { text: String(h.year || '') }),
      el('span', { text: (h.type || '').replace(/-/g, ' ') }),
      h.matching_passages ? el('span', { text: `${h.matching_passages} matching passage${h.matching_passages === 1 ? '' : 's'}` }) : null);
    const passages = el('ul', { class: 'passages' });
    for (const p of h.passages || []) {
      const where = [p.section || 'Untitled section', p.page ? `p. ${p.page}` : ''].filter(Boolean).join(' · ');
      const snippet = marked(p.snippet, 'p');
      snippet.classList.add('snippet');
      snippet.setAttribute('lang', p.lang || h.language || '');
      passages.append(el('li', { class: 'passage' }, el('div', { class: 'where', text: where }), snippet));
    }
    if (s.q) {
      const all = el('a', { class: 'all-occurrences', href: '/?' + new URLSearchParams({ view: 'concordance', q: s.q, doc: h.id }), text: 'All occurrences' });
      all.addEventListener('click', (e) => { e.preventDefault(); history.pushState(null, '', all.getAttribute('href')); render(); });
      meta.append(all);
    }
    list.append(el('li', { class: 'hit' }, head, meta, howMatched(h), passages));
  }
}

// How a hit matched: per part of the query, its own words or a translation (and into which
// language). Each part is its own element, so its direction follows its own text.
function howMatched(h) {
  if (!h.matched || !h.matched.length) return null;
  const p = el('p', { class: 'how' }, 'Matched: ');
  h.matched.forEach((m, i) => {
    if (i) p.append(', ');
    p.append(el('bdi', { class: 'how-query', text: m.query }));
    p.append(m.via === 'translation' ? ` (translated${m.language ? ' into ' + m.language : ''})` : ' (its own words)');
  });
  return p;
}

function renderPager(res, s) {
  const pager = $('#pager');
  pager.replaceChildren();
  const pages = Math.ceil(res.total / PER_PAGE);
  if (pages <= 1) return;
  const go = (n) => navigate({ page: n });
  const btn = (label, n, current) => {
    const b = el('button', { class: 'secondary', type: 'button', 'aria-current': current ? 'page' : null, text: label });
    b.addEventListener('click', () => go(n));
    return b;
  };
  if (s.page > 1) pager.append(btn('‹ Previous', s.page - 1));
  const from = Math.max(1, s.page - 3), to = Math.min(pages, from + 6);
  for (let n = from; n <= to; n++) pager.append(btn(String(n), n, n === s.page));
  if (s.page < pages) pager.append(btn('Next ›', s.page + 1));
}

// ---------------------------------------------------------------- facets
function toggleFilter(s, facet, value) {
  const cur = s.filters[facet];
  const next = cur.includes(value) ? cur.filter((v) => v !== value) : cur.concat([value]);
  const filters = Object.assign({}, s.filters, { [facet]: next });
  navigate({ filters, page: 1 });
}

function facetList(s, facet, values, { labelOf = (v) => v.label } = {}) {
  const ul = el('ul');
  for (const v of values) {
    const id = `f-${facet}-${v.value}`.replace(/[^a-zA-Z0-9_-]/g, '_');
    const box = el('input', { type: 'checkbox', id, checked: s.filters[facet].includes(v.value) });
    box.addEventListener('change', () => toggleFilter(s, facet, v.value));
    ul.append(el('li', { class: v.count ? '' : 'zero' },
      el('label', { for: id }, box, el('span', { class: 'name', dir: 'auto', text: labelOf(v) }),
        el('span', { class: 'count', text: String(v.count) }))));
  }
  return ul;
}

function facetBox(title, facet, s, body) {
  const box = el('fieldset', { class: 'facet', id: 'facet-' + facet }, el('legend', { text: title }));
  if (s.filters[facet] && s.filters[facet].length) {
    const clear = el('button', { class: 'clear', type: 'button', text: 'clear' });
    clear.addEventListener('click', () => navigate({ filters: Object.assign({}, s.filters, { [facet]: [] }), page: 1 }));
    box.append(clear);
  }
  box.append(body);
  return box;
}

function renderFacets(res, s, countries) {
  const side = $('#facets');
  side.replaceChildren();
  const f = res.facets || {};
  // Countries grouped by region.
  const regionOf = {};
  for (const c of countries.countries) regionOf[c.code] = c.region || 'Other';
  const groups = {};
  for (const v of f.country || []) (groups[regionOf[v.value] || 'Other'] = groups[regionOf[v.value] || 'Other'] || []).push(v);
  const countryBody = el('div');
  for (const region of Object.keys(groups).sort()) {
    countryBody.append(el('div', { class: 'region', text: region }), facetList(s, 'country', groups[region]));
  }
  side.append(facetBox('Country', 'country', s, countryBody));
  side.append(facetBox('Theme', 'theme', s, facetList(s, 'theme', f.theme || [])));
  side.append(yearFacet(f.year || [], s));
  side.append(facetBox('Language', 'lang', s, facetList(s, 'lang', f.lang || [])));
  side.append(facetBox('Document type', 'type', s, facetList(s, 'type', f.type || [])));
  side.append(facetBox('Region', 'region', s, facetList(s, 'region', f.region || [])));
  side.append(facetBox('Income group', 'income', s, facetList(s, 'income', f.income || [])));
  side.append(facetBox('Bloc', 'bloc', s, facetList(s, 'bloc', f.bloc || [])));
}

// The year facet: a histogram to brush a range over, and two inputs for the keyboard.
function yearFacet(values, s) {
  const box = el('fieldset', { class: 'facet', id: 'facet-year' }, el('legend', { text: 'Year' }));
  const years = values.map((v) => ({ year: parseInt(v.value, 10), count: v.count })).sort((a, b) => a.year - b.year);
  const [from, to] = (s.year || '').split('..').map((x) => parseInt(x, 10));
  if (s.year) {
    const clear = el('button', { class: 'clear', type: 'button', text: 'clear' });
    clear.addEventListener('click', () => navigate({ year: '', page: 1 }));
    box.append(clear);
  }
  if (years.length) {
    const lo = years[0].year, hi = years[years.length - 1].year;
    const n = hi - lo + 1, W = 240, H = 70, bw = W / n;
    const max = Math.max(...years.map((y) => y.count));
    const NS = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    svg.setAttribute('class', 'histogram');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', `Documents per year, ${lo} to ${hi}; drag to select a range`);
    for (const y of years) {
      const r = document.createElementNS(NS, 'rect');
      const h = Math.max(2, (y.count / max) * (H - 14));
      const inRange = (!isNaN(from) ? y.year >= from : true) && (!isNaN(to) ? y.year <= to : true);
      r.setAttribute('class', 'bar' + (s.year && inRange ? ' in' : ''));
      r.setAttribute('x', String((y.year - lo) * bw + 1));
      r.setAttribute('y', String(H - 12 - h));
      r.setAttribute('width', String(Math.max(1, bw - 2)));
      r.setAttribute('height', String(h));
      r.setAttribute('data-year', String(y.year));
      const t = document.createElementNS(NS, 'title');
      t.textContent = `${y.year}: ${y.count}`;
      r.append(t);
      svg.append(r);
    }
    for (const label of [lo, hi]) {
      const t = document.createElementNS(NS, 'text');
      t.setAttribute('x', String(label === lo ? 0 : W));
      t.setAttribute('y', String(H - 1));
      t.setAttribute('font-size', '10');
      t.setAttribute('text-anchor', label === lo ? 'start' : 'end');
      t.textContent = String(label);
      svg.append(t);
    }
    const brush = document.createElementNS(NS, 'rect');
    brush.setAttribute('class', 'brush');
    brush.setAttribute('y', '0');
    brush.setAttribute('height', String(H - 12));
    brush.setAttribute('width', '0');
    svg.append(brush);
    let start = null;
    const yearAt = (evt) => {
      const rect = svg.getBoundingClientRect();
      const x = ((evt.clientX - rect.left) / rect.width) * W;
      return Math.min(hi, Math.max(lo, lo + Math.floor(x / bw)));
    };
    svg.addEventListener('pointerdown', (e) => { start = yearAt(e); svg.setPointerCapture(e.pointerId); e.preventDefault(); });
    svg.addEventListener('pointermove', (e) => {
      if (start === null) return;
      const cur = yearAt(e);
      const a = Math.min(start, cur), b = Math.max(start, cur);
      brush.setAttribute('x', String((a - lo) * bw));
      brush.setAttribute('width', String((b - a + 1) * bw));
    });
    svg.addEventListener('pointerup', (e) => {
      if (start === null) return;
      const cur = yearAt(e);
      const a = Math.min(start, cur), b = Math.max(start, cur);
      start = null;
      navigate({ year: a === b ? String(a) : `${a}..${b}`, page: 1 });
    });
    box.append(svg);
  }
  const fromIn = el('input', { type: 'number', id: 'year-from', min: '1900', max: '2100', value: isNaN(from) ? '' : String(from), 'aria-label': 'From year' });
  const toIn = el('input', { type: 'number', id: 'year-to', min: '1900', max: '2100', value: isNaN(to) ? '' : String(to), 'aria-label': 'To year' });
  const apply = el('button', { type: 'button', class: 'secondary', text: 'Apply' });
  apply.addEventListener('click', () => {
    const a = fromIn.value.trim(), b = toIn.value.trim();
    navigate({ year: a || b ? (a === b ? a : `${a}..${b}`) : '', page: 1 });
  });
  box.append(el('div', { class: 'year-inputs' }, fromIn, '–', toIn, apply));
  return box;
}

// ---------------------------------------------------------------- document view
// A document's link keeps the whole query state of the page (q, filters, crosslingual).
function docUrl(id) {
  return '/?' + stateParams(Object.assign(readState(), { view: 'doc', id, page: 1 })).toString();
}

// A citation as one line of text: issuer (year). Title [English title]. Country. URL;
// with a passage, its number, section and page.
function citationText(d, p) {
  let t = `${d.issuer || d.country_name || d.country} (${d.year}). ${d.title}`;
  if (d.title_en && d.title_en !== d.title) t += ` [${d.title_en}]`;
  t += `. ${d.country_name || d.country}.`;
  if (p) t += ` Passage ${p.n}${p.section ? `, “${p.section}”` : ''}${p.page ? `, p. ${p.page}` : ''}.`;
  if (d.source_url) t += ` ${d.source_url}`;
  if (d.digest) t += ' (Quoted from a digest of the official document written for the Strata corpus.)';
  return t;
}

// A button that copies @text; where the clipboard is refused, it selects @fallback's text.
function copyButton(label, text, fallback) {
  const b = el('button', { type: 'button', class: 'secondary copy-citation', text: label });
  b.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      b.textContent = 'Copied';
    } catch (e) {
      if (fallback) window.getSelection().selectAllChildren(fallback);
      b.textContent = 'Press Ctrl+C to copy';
    }
    setTimeout(() => { b.textContent = label; }, 2000);
  });
  return b;
}

// "Cite": the citation as text, a copy button, and BibTeX and RIS downloads.
function citeBox(d) {
  const text = el('p', { class: 'citation', dir: 'auto', text: citationText(d) });
  const file = (fmt) => `/v1/documents/${encodeURIComponent(d.id)}?format=${fmt}`;
  return el('section', { class: 'profile cite', 'aria-label': 'Cite this document' }, el('h2', { text: 'Cite' }), text,
    el('p', {}, copyButton('Copy citation', citationText(d), text), ' ',
      el('a', { href: file('bibtex'), download: `${d.id}.bib`, text: 'BibTeX' }), ' · ',
      el('a', { href: file('ris'), download: `${d.id}.ris`, text: 'RIS' })));
}

async function renderDoc(s) {
  const view = $('#view-doc');
  view.replaceChildren(el('p', { role: 'status', text: 'Loading…' }));
  let d, themes;
  try {
    // The passages match as in the search: the same q, filters and crosslingual.
    const params = stateParams(s, { forApi: true });
    [d, themes] = await Promise.all([api('/v1/documents/' + encodeURIComponent(s.id), params), themesInfo()]);
  } catch (e) {
    view.replaceChildren(notice('Could not open the document: ' + e.message, 'warn'));
    return;
  }
  const back = el('a', { href: '/?' + stateParams(Object.assign({}, s, { view: 'search' })).toString(), text: '← Back to results' });
  back.addEventListener('click', (e) => { e.preventDefault(); navigate({ view: 'search', id: '' }); });
  const head = el('div', { class: 'doc-head' }, back,
    el('h1', { lang: d.language, dir: 'auto', text: d.title }),
    d.title_en && d.title_en !== d.title ? el('p', { class: 'title-en', text: d.title_en }) : null);
  const dl = el('dl');
  const row = (k, v) => { if (v !== '' && v !== null && v !== undefined) dl.append(el('dt', { text: k }), el('dd', {}, v)); };
  row('Country', `${d.country_name || d.country} (${d.country})`);
  row('Year', String(d.year));
  row('Type', (d.type || '').replace(/-/g, ' '));
  row('Language', d.language);
  row('Issuer', d.issuer ? el('span', { dir: 'auto', text: d.issuer }) : '');
  if (/^https?:\/\//.test(d.source_url || ''))
    row('Official source', el('a', { href: d.source_url, rel: 'noopener noreferrer', target: '_blank', text: d.source_url }));
  row('Passages', `${d.passages.length}` + (d.pages ? `, ${d.pages} pages` : ''));
  if (d.digest) row('Text', 'a digest written for Strata, with the facts of the official document');
  const labels = {};
  for (const t of themes.themes) labels[t.id] = t.label;
  const profile = el('section', { class: 'profile', 'aria-label': 'Theme profile' }, el('h2', { text: 'Theme profile' }));
  const entries = Object.entries(d.theme_profile || {}).sort((a, b) => b[1] - a[1]);
  if (!entries.length) profile.append(el('p', { text: 'No theme tagged.' }));
  for (const [theme, share] of entries) {
    const pct = Math.round(share * 100);
    profile.append(el('div', { class: 'bar-row', role: 'img', 'aria-label': `${labels[theme] || theme}: ${pct}% of passages` },
      el('span', { text: labels[theme] || theme }),
      el('span', { class: 'bar-track' }, el('span', { class: 'bar-fill', style: { display: 'block', width: pct + '%' } })),
      el('span', { class: 'count', text: pct + '%' })));
  }
  const list = el('ol', { class: 'doc-passages' });
  let firstMatch = null;
  for (const p of d.passages) {
    const where = [p.section || 'Untitled section', p.page ? `p. ${p.page}` + (p.page_end && p.page_end !== p.page ? `–${p.page_end}` : '') : ''].filter(Boolean).join(' · ');
    const body = p.highlight ? marked(p.highlight, 'p') : el('p', { dir: 'auto', text: p.text });
    body.setAttribute('lang', p.lang || d.language);
    const item = el('li', { class: 'doc-passage' + (p.matched ? ' matched' : ''), id: 'p-' + p.n, tabindex: '-1' },
      el('h3', { dir: 'auto', text: where }), body, copyButton('Copy citation', citationText(d, p), body));
    if (p.matched && !firstMatch) firstMatch = item;
    list.append(item);
  }
  const filtered = FILTERS.some((f) => s.filters[f].length) || s.year;
  const what = (s.q ? ` “${s.q}”` : ' the search') + (s.q && filtered ? ' with its filters' : '');
  const matchNote = s.q || filtered ? el('p', { class: 'notice', id: 'match-note', text: `${d.matching_passages} passage${d.matching_passages === 1 ? ' matches' : 's match'}${what}.` }) : null;
  view.replaceChildren(head, el('div', { class: 'doc-grid' }, el('div', {}, matchNote, list),
    el('div', { class: 'doc-meta' }, el('section', { class: 'profile', 'aria-label': 'About this document' }, dl), citeBox(d), profile)));
  // A link to a passage (#p-6) opens at that passage; otherwise at the first match. The
  // passages are drawn after the page loaded, so the browser's own jump found nothing.
  const anchor = /^#p-\d+$/.test(location.hash) ? document.getElementById(location.hash.slice(1)) : null;
  const target = anchor || firstMatch;
  if (target) {
    target.scrollIntoView({ block: anchor ? 'start' : 'center' });
    target.focus({ preventScroll: true });
  }
}

// ---------------------------------------------------------------- compare view
function shareColour(t) {
  // A sequential blue ramp, light to dark, readable for colour-blind users.
  const a = [237, 244, 255], b = [11, 61, 145];
  const c = a.map((x, i) => Math.round(x + (b[i] - x) * t));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

// A cell's value under the measure, and how it reads.
const MEASURES = {
  passages: { what: 'share of each row’s passages', unit: ' of passages', format: (v) => (v * 100).toFixed(v < 0.1 ? 1 : 0) + '%' },
  documents: { what: 'share of each row’s documents', unit: ' of documents', format: (v) => (v * 100).toFixed(v < 0.1 ? 1 : 0) + '%' },
  per_million: { what: 'occurrences per million words of each row’s text', unit: ' per million words', format: (v) => v.toFixed(v < 10 ? 1 : 0) },
};
const cellValue = (c) => (c.value === undefined ? c.share : c.value);

// Rows by name, by size (documents), or by their value in one column (hsort=col:<value>).
function sortedRows(m, cells, hsort) {
  const rows = [...m.rows];
  const byName = (a, b) => a.label.localeCompare(b.label);
  if (hsort === 'size') return rows.sort((a, b) => b.documents - a.documents || byName(a, b));
  if (hsort.startsWith('col:')) {
    const col = hsort.slice(4);
    const v = (r) => { const c = cells[r.value + '\u0000' + col]; return c ? cellValue(c) : -1; };
    return rows.sort((a, b) => v(b) - v(a) || byName(a, b));
  }
  return rows.sort(byName);
}

function rowHeader(row, measure) {
  const size = `${row.documents} doc${row.documents === 1 ? '' : 's'} · ${row.passages} passage${row.passages === 1 ? '' : 's'}` +
    (measure === 'per_million' && row.tokens !== undefined ? ` · ${row.tokens} words` : '');
  return el('th', { scope: 'row' }, row.label, el('span', { class: 'row-size', text: size }));
}

function heatCell(s, kinds, row, col, c, max, measure) {
  const td = el('td');
  if (!c || !c.passages) {
    td.append(el('button', { class: 'empty', type: 'button', disabled: true, 'aria-label': `${row.label}, ${col.label}: none`, text: '·' }));
    return td;
  }
  const v = cellValue(c), t = v / max, shown = MEASURES[measure].format(v);
  const extra = measure === 'per_million' ? `${c.occurrences} occurrences in ${c.tokens} words; ` :
    measure === 'documents' ? `${c.documents} of ${c.documents_total} documents; ` : '';
  const desc = `${row.label} · ${col.label}: ${shown}${MEASURES[measure].unit} (${extra}${c.passages} passage${c.passages === 1 ? '' : 's'} in ${c.documents} document${c.documents === 1 ? '' : 's'})`;
  const b = el('button', { type: 'button', 'aria-label': desc, 'data-row': row.value, 'data-col': col.value,
    style: { background: shareColour(t), color: t > 0.55 ? '#fff' : '#1d2433' }, text: shown });
  b.addEventListener('mouseenter', (e) => showTip(desc, e.target));
  b.addEventListener('focus', (e) => showTip(desc, e.target));
  b.addEventListener('mouseleave', hideTip);
  b.addEventListener('blur', hideTip);
  b.addEventListener('click', () => drill(s, kinds[0], kinds[1], row, col, c, 1));
  td.append(b);
  return td;
}

function heatHead(m, rowKind, hsort) {
  const sortButton = (label, key) => {
    const b = el('button', { type: 'button', class: 'sort-head', 'aria-pressed': hsort === key ? 'true' : 'false',
      title: key === 'name' ? 'Sort rows by name' : `Sort rows by ${label}`, text: label });
    b.addEventListener('click', () => navigate({ hsort: key }, { replace: true }));
    return b;
  };
  const headRow = el('tr', {}, el('th', { scope: 'col' }, sortButton({ country: 'Country', region: 'Region', income: 'Income group', bloc: 'Bloc' }[rowKind] || rowKind, 'name'),
    ' ', sortButton('size', 'size')));
  for (const col of m.columns) headRow.append(el('th', { scope: 'col' }, sortButton(col.label, 'col:' + col.value)));
  return el('thead', {}, headRow);
}

async function renderCompare(s) {
  const [rowKind, colKind] = s.by.split(',');
  for (const r of document.querySelectorAll('input[name=by-row]')) r.checked = r.value === rowKind;
  for (const r of document.querySelectorAll('input[name=by-col]')) r.checked = r.value === colKind;
  for (const r of document.querySelectorAll('#view-compare input[name=measure]')) r.checked = r.value === s.measure;
  const params = stateParams(s, { forApi: true });
  params.set('by', s.by);
  if (s.measure !== 'passages') params.set('measure', s.measure);
  const csv = new URLSearchParams(params);
  csv.set('format', 'csv');
  $('#csv').setAttribute('href', '/v1/compare?' + csv.toString());
  const summary = $('#compare-summary');
  summary.textContent = 'Comparing…';
  let m;
  try {
    m = await api('/v1/compare', params);
  } catch (e) {
    summary.textContent = '';
    $('#heatmap').replaceChildren(notice('Comparison failed: ' + e.message, 'warn'));
    return;
  }
  const what = MEASURES[s.measure].what;
  summary.textContent = m.mode === 'coverage'
    ? `Theme coverage: ${s.measure === 'per_million' ? 'theme words per million words of each row’s text' : what + ' tagged with each theme'}.`
    : `“${m.query.q}”: ${what} that match, by ${colKind}.`;
  const max = Math.max(1e-9, ...m.cells.map(cellValue));
  const cells = {};
  for (const c of m.cells) cells[c.row + '\u0000' + c.column] = c;
  const table = el('table', { class: 'heatmap' }, heatHead(m, rowKind, s.hsort));
  const tbody = el('tbody');
  for (const row of sortedRows(m, cells, s.hsort)) {
    const tr = el('tr', {}, rowHeader(row, s.measure));
    for (const col of m.columns) tr.append(heatCell(s, [rowKind, colKind], row, col, cells[row.value + '\u0000' + col.value], max, s.measure));
    tbody.append(tr);
  }
  table.append(tbody);
  $('#heatmap').replaceChildren(table);
  $('#legend').replaceChildren(el('span', { text: MEASURES[s.measure].format(0) }),
    el('span', { class: 'ramp', style: { background: `linear-gradient(90deg, ${shareColour(0)}, ${shareColour(1)})` } }),
    el('span', { text: MEASURES[s.measure].format(max) }));
}

function showTip(text, target) {
  const tip = $('#tooltip');
  tip.textContent = text;
  tip.hidden = false;
  const r = target.getBoundingClientRect();
  tip.style.left = Math.min(window.innerWidth - 260, r.left) + 'px';
  tip.style.top = (r.bottom + 6) + 'px';
}
function hideTip() { $('#tooltip').hidden = true; }

// The search state of a cell: the comparison's query and filters, narrowed to the row and column.
function cellSearchState(s, rowKind, colKind, row, col) {
  const filters = Object.assign({}, s.filters, { [rowKind]: [row.value] });
  if (colKind !== 'year') filters[colKind] = [col.value];
  return Object.assign({}, s, { view: 'search', page: 1, id: '', filters, year: colKind === 'year' ? col.value : s.year });
}

async function drill(s, rowKind, colKind, row, col, cell, page) {
  const box = $('#drill');
  box.hidden = false;
  box.replaceChildren(el('h2', { text: `${row.label} · ${col.label}` }), el('p', { role: 'status', text: 'Loading passages…' }));
  const cellState = cellSearchState(s, rowKind, colKind, row, col);
  const params = stateParams(cellState, { forApi: true });
  params.set('group', 'passage');
  params.set('per_page', '10');
  params.set('page', String(page));
  params.set('facets', 'none');
  let res;
  try {
    res = await api('/v1/search', params);
  } catch (e) {
    box.replaceChildren(notice('Could not load the passages: ' + e.message, 'warn'));
    return;
  }
  const list = el('ol', { class: 'passages', start: String((page - 1) * 10 + 1) });
  for (const h of res.hits) {
    const p = h.passages[0];
    const link = el('a', { href: docUrl(h.id, s.q), dir: 'auto', lang: h.language, text: h.title });
    link.addEventListener('click', (e) => { e.preventDefault(); navigate({ view: 'doc', id: h.id }); });
    const snippet = marked(p.snippet, 'p');
    snippet.classList.add('snippet');
    list.append(el('li', { class: 'passage' },
      el('div', { class: 'where' }, link, ` · ${h.year} · ${p.section || ''}${p.page ? ' · p. ' + p.page : ''}`), snippet));
  }
  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const pages = Math.max(1, Math.ceil(res.total / 10));
  const pager = el('nav', { class: 'drill-pager', 'aria-label': 'Passages of the cell' });
  const go = (label, to) => {
    const b = el('button', { type: 'button', text: label, disabled: to < 1 || to > pages });
    b.addEventListener('click', () => drill(s, rowKind, colKind, row, col, cell, to));
    return b;
  };
  pager.append(go('Previous', page - 1), ` page ${page} of ${pages} `, go('Next', page + 1), ' ',
    el('a', { class: 'drill-all', href: '/?' + stateParams(cellState).toString(), text: 'Open all in search' }));
  box.replaceChildren(el('h2', { text: `${row.label} · ${col.label}: ${plural(cell.passages, 'passage')} in ${plural(cell.documents, 'document')}` }), list, pager);
  box.scrollIntoView({ block: 'nearest' });
}

// ---------------------------------------------------------------- wiring
async function render() {
  const s = readState();
  $('#q').value = s.q;
  $('#crosslingual').checked = s.crosslingual;
  $('#sort').value = s.sort;
  for (const a of document.querySelectorAll('nav a[data-nav]')) {
    if (a.dataset.nav === (s.view === 'doc' ? 'search' : s.view)) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  $('#view-search').hidden = s.view !== 'search';
  $('#view-doc').hidden = s.view !== 'doc';
  $('#view-compare').hidden = s.view !== 'compare';
  $('#view-concordance').hidden = s.view !== 'concordance';
  $('#view-trends').hidden = s.view !== 'trends';
  $('#view-keyness').hidden = s.view !== 'keyness';  // keyness.js
  if (s.view !== 'compare') { $('#drill').hidden = true; }
  document.title = (s.q ? s.q + ' — ' : '') + 'Strata';
  if (s.view === 'doc') return renderDoc(s);
  if (s.view === 'compare') return renderCompare(s);
  if (s.view === 'concordance') return renderConcordance(s);
  if (s.view === 'trends') return renderTrends(s);
  if (s.view === 'keyness') return renderKeyness();
  return renderSearch(s);
}

function init() {
  $('#search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const s = readState();
    const stay = ['compare', 'concordance', 'trends'].includes(s.view);
    navigate({ q: $('#q').value.trim(), page: 1, view: stay ? s.view : 'search', id: '' });
  });
  $('#crosslingual').addEventListener('change', (e) => navigate({ crosslingual: e.target.checked, page: 1 }));
  $('#sort').addEventListener('change', (e) => navigate({ sort: e.target.value, page: 1 }));
  for (const a of document.querySelectorAll('a[data-nav]')) {
    a.addEventListener('click', (e) => {
      e.preventDefault();
      navigate({ view: a.dataset.nav, id: '', page: 1 });
    });
  }
  for (const r of document.querySelectorAll('#view-compare input[name=measure]')) {
    r.addEventListener('change', () => navigate({ measure: document.querySelector('#view-compare input[name=measure]:checked').value }));
  }
  for (const r of document.querySelectorAll('input[name=by-row], input[name=by-col]')) {
    r.addEventListener('change', () => {
      const row = document.querySelector('input[name=by-row]:checked').value;
      const col = document.querySelector('input[name=by-col]:checked').value;
      navigate({ by: `${row},${col}` });
    });
  }
  window.addEventListener('popstate', render);
  render();
}

document.addEventListener('DOMContentLoaded', init);
