// Strata web UI: the keyness view (view=keyness). Two subsets as filter expressions; the
// distinctive words or concepts of each side as bars. Uses app.js's helpers (el, api,
// notice, $). Every term arrives as data and is set as text, never as markup.
'use strict';

function keynessState() {
  const p = new URLSearchParams(location.search);
  return {
    target: p.get('target') || 'country:MX',
    reference: p.get('reference') || '',
    unit: p.get('unit') === 'concept' ? 'concept' : 'word',
    lang: p.get('lang') || '',
  };
}

function keynessUrl(k) {
  const p = new URLSearchParams({ view: 'keyness', target: k.target });
  if (k.reference) p.set('reference', k.reference);
  if (k.unit !== 'word') p.set('unit', k.unit);
  if (k.lang) p.set('lang', k.lang);
  return '/?' + p.toString();
}

function keynessForm(k) {
  const field = (id, label, value, placeholder) => el('label', { for: id }, label + ' ',
    el('input', { id, name: id, type: 'text', value, placeholder, spellcheck: 'false', autocomplete: 'off' }));
  const unit = el('select', { id: 'k-unit', name: 'unit' },
    el('option', { value: 'word', text: 'Words (same language)' }),
    el('option', { value: 'concept', text: 'Concepts (across languages)' }));
  unit.value = k.unit;
  const form = el('form', { id: 'keyness-form', class: 'compare-controls', role: 'group', 'aria-label': 'Keyness settings' },
    field('k-target', 'Target', k.target, 'country:MX'),
    field('k-reference', 'Reference', k.reference, 'rest of the corpus'),
    field('k-lang', 'Language', k.lang, 'main language of the target'),
    unit, el('button', { type: 'submit', text: 'Compare' }));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = { target: $('#k-target').value.trim(), reference: $('#k-reference').value.trim(),
      unit: $('#k-unit').value, lang: $('#k-lang').value.trim() };
    history.pushState(null, '', keynessUrl(next));
    render();
  });
  return form;
}

// The term's concordance inside one side: a word as a phrase (its exact form) in the
// compared languages, so the lines are the ones its count counted; a concept by its label
// across languages.
function termConcordanceUrl(row, unit, sideFilter, languages) {
  const p = new URLSearchParams({ view: 'concordance', q: (row.query || row.term) + (sideFilter ? ' ' + sideFilter : '') });
  if (unit === 'word') {
    p.set('crosslingual', 'false');
    if (languages.length) p.set('lang', languages.join(','));
  }
  return '/?' + p.toString();
}

function keynessBars(title, rows, res, sideFilter, cls) {
  const unit = res.unit;
  const max = Math.max(1e-9, ...rows.map((r) => r.log_likelihood));
  const list = el('ol', { class: 'keyness-bars ' + cls });
  for (const r of rows) {
    const desc = `${r.label}: G² ${r.log_likelihood}, log ratio ${r.log_ratio}; ${r.target_count} in the target ` +
      `(${r.target_per_million} per million, ${r.target_documents} document${r.target_documents === 1 ? '' : 's'}), ` +
      `${r.reference_count} in the reference (${r.reference_per_million} per million)`;
    const link = el('a', { href: termConcordanceUrl(r, unit, sideFilter, res.languages), dir: 'auto', title: desc, text: r.label });
    link.addEventListener('click', (e) => {
      e.preventDefault();
      history.pushState(null, '', link.getAttribute('href'));
      render();
    });
    list.append(el('li', { class: 'keyness-row' }, link,
      el('span', { class: 'bar', 'aria-hidden': 'true', style: { width: (100 * r.log_likelihood / max).toFixed(1) + '%' } }),
      el('span', { class: 'figure', text: `G² ${r.log_likelihood.toFixed(1)} · ${r.target_count}/${r.reference_count}` })));
  }
  return el('div', { class: 'keyness-side' }, el('h2', { text: title }),
    rows.length ? list : notice('No term is significantly more frequent here (G² ≥ 6.63).'));
}

async function renderKeyness() {
  const k = keynessState();
  const view = $('#view-keyness');
  const out = el('div', { id: 'keyness-result', role: 'status', 'aria-live': 'polite', text: 'Comparing…' });
  view.replaceChildren(keynessForm(k), out);
  const params = new URLSearchParams({ target: k.target, unit: k.unit, per_page: '200' });
  if (k.reference) params.set('reference', k.reference);
  if (k.lang) params.set('lang', k.lang);
  let res;
  try {
    res = await api('/v1/keyness', params);
  } catch (e) {
    out.replaceChildren(notice('Keyness failed: ' + e.message, 'warn'));
    return;
  }
  const csv = new URLSearchParams(params);
  csv.set('format', 'csv');
  const summary = el('p', { text: `Target ${k.target}: ${res.target.tokens} tokens in ${res.target.documents} documents. ` +
    `Reference ${res.reference.filter}: ${res.reference.tokens} tokens in ${res.reference.documents} documents.` +
    (res.languages.length ? ` Language: ${res.languages.join(', ')}.` : ' All languages.') });
  const warnings = res.warnings.map((w) => notice(w, 'warn'));
  const target = res.rows.filter((r) => r.side === 'target').slice(0, 40);
  const reference = res.rows.filter((r) => r.side === 'reference').slice(0, 40);
  out.replaceChildren(summary, ...warnings,
    el('a', { class: 'button', href: '/v1/keyness?' + csv.toString(), download: true, text: 'Download CSV' }),
    el('div', { class: 'keyness-grid' },
      keynessBars('Distinctive of the target', target, res, k.target, 'target'),
      keynessBars('Distinctive of the reference', reference, res, k.reference, 'reference')));
}
