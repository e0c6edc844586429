// Browser tests of the web UI: a real daemon on loopback, Debian's Chromium driven by
// Playwright. Run by ctest (Browser.UI) or `node --test tests/browser/ui.test.mjs`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const build = process.env.STRATA_BUILD_DIR || path.join(root, 'build');
// Screenshots of the three pages are kept in the build directory (or STRATA_SCREENSHOTS).
const shots = process.env.STRATA_SCREENSHOTS || path.join(build, 'screenshots');
const chromePath = process.env.CHROMIUM || '/usr/bin/chromium';

let tmp, daemon, base, browser;

before(async () => {
  mkdirSync(shots, { recursive: true });
  tmp = mkdtempSync(path.join(tmpdir(), 'strata-ui-'));
  execFileSync(path.join(build, 'indexer/strata-index'), [path.join(root, 'tests/data/corpus'), path.join(tmp, 'idx'), '--quiet']);
  daemon = spawn(path.join(build, 'searchd/strata-searchd'), ['--index', path.join(tmp, 'idx'), '--listen', '127.0.0.1:0'],
                 { stdio: ['ignore', 'ignore', 'pipe'] });
  base = await new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error('daemon did not start: ' + buf)), 15000);
    daemon.stderr.on('data', (d) => {
      buf += d;
      const m = buf.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
  });
  daemon.stderr.resume();
  browser = await chromium.launch({
    executablePath: chromePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (daemon) daemon.kill('SIGTERM');
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function open(url, opts = {}) {
  const context = await browser.newContext(opts);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('dialog', (d) => { errors.push('dialog: ' + d.message()); d.dismiss(); });
  await page.goto(base + url);
  return { page, context, errors };
}

async function shot(page, name) {
  if (shots) await page.screenshot({ path: path.join(shots, name + '.png'), fullPage: true });
}

test('a shared link opens the search with its query and shows highlighted results', async () => {
  const { page, context, errors } = await open('/?q=ethics&crosslingual=false');
  await page.waitForSelector('.hit');
  assert.equal(await page.inputValue('#q'), 'ethics');
  assert.equal(await page.isChecked('#crosslingual'), false);
  const title = await page.textContent('.hit h2 a');
  assert.equal(title, 'Test strategy on trustworthy AI');
  assert.match(await page.innerHTML('.hit .snippet'), /<mark>ethics<\/mark>/i);
  assert.match(await page.textContent('.hit .where'), /Ethics and trust/);
  assert.match(await page.textContent('#summary'), /1 document/);
  // The page of hits downloads as CSV, with the same query.
  const href = await page.getAttribute('#search-csv', 'href');
  assert.match(href, /q=ethics/);
  assert.match(href, /crosslingual=false/);
  const csv = await page.evaluate(async (u) => (await (await fetch(u)).text()), href);
  assert.match(csv, /^rank,doc_id,country/);  // text() drops the byte-order mark
  assert.match(csv, /Test strategy on trustworthy AI/);
  await shot(page, 'search');
  assert.deepEqual(errors, []);
  await context.close();
});

test('facets refine with multi-select semantics, and the URL and back button keep the state', async () => {
  const { page, context, errors } = await open('/');
  await page.waitForSelector('#facet-country input');
  assert.match(await page.textContent('#summary'), /^10 documents/);
  await page.check('#f-country-ES');
  await page.waitForFunction(() => document.querySelector('#summary').textContent.startsWith('1 document'));
  assert.match(page.url(), /country=ES/);
  // The other countries keep their counts: they can be added to the selection.
  assert.equal(await page.textContent('label[for=f-country-MX] .count'), '1');
  await page.check('#f-country-MX');
  await page.waitForFunction(() => document.querySelector('#summary').textContent.startsWith('2 documents'));
  assert.match(decodeURIComponent(page.url()), /country=ES,MX/);
  // Countries are grouped by region.
  const regions = await page.$$eval('#facet-country .region', (els) => els.map((e) => e.textContent));
  assert.ok(regions.includes('Europe') && regions.includes('Americas'), regions.join());
  // The income group of the countries is a facet of its own.
  assert.match(await page.textContent('#facet-income'), /High income/);
  await page.goBack();
  await page.waitForFunction(() => document.querySelector('#summary').textContent.startsWith('1 document'));
  assert.equal(await page.isChecked('#f-country-MX'), false);
  await page.reload();
  await page.waitForFunction(() => document.querySelector('#summary').textContent.startsWith('1 document'));
  assert.equal(await page.isChecked('#f-country-ES'), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the year histogram can be brushed to a range', async () => {
  const { page, context, errors } = await open('/');
  await page.waitForSelector('#facet-year svg rect.bar');
  await page.locator('#facet-year svg').scrollIntoViewIfNeeded();
  const bars = await page.$$('#facet-year rect.bar');
  const first = await bars[0].boundingBox();
  const third = await bars[2].boundingBox();
  await page.mouse.move(first.x + first.width / 2, first.y + first.height - 1);
  await page.mouse.down();
  await page.mouse.move(third.x + third.width / 2, third.y + third.height - 1, { steps: 4 });
  await page.mouse.up();
  await page.waitForFunction(() => /year=2017\.\.2019/.test(decodeURIComponent(location.search)));
  await page.waitForFunction(() => document.querySelectorAll('#facet-year rect.bar.in').length > 0);
  const years = await page.$$eval('.hit .meta', (els) => els.map((e) => e.textContent.match(/20\d\d/)[0]));
  assert.ok(years.length > 0 && years.every((y) => y >= '2017' && y <= '2019'), years.join());
  assert.deepEqual(errors, []);
  await context.close();
});

test('the keyboard reaches the search box, and focus is visible', async () => {
  const { page, context, errors } = await open('/');
  await page.waitForSelector('.hit');
  await page.keyboard.press('Tab');  // skip link
  await page.keyboard.press('Tab');  // brand
  let guard = 0;
  while ((await page.evaluate(() => document.activeElement.id)) !== 'q' && guard++ < 10) await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'q');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none');
  await page.keyboard.type('datos');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => location.search.includes('q=datos'));
  await page.waitForSelector('.hit');
  // Every control has a label.
  const unlabelled = await page.$$eval('input, select', (els) => els.filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map((e) => e.outerHTML));
  assert.deepEqual(unlabelled, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a document opens with its matching passages highlighted and scrolled into view', async () => {
  const { page, context, errors } = await open('/?q=data');
  await page.waitForSelector('.hit h2 a');
  await page.click('text=Test strategy on trustworthy AI');
  await page.waitForSelector('.doc-passage.matched');
  assert.match(page.url(), /view=doc/);
  assert.match(page.url(), /id=gb-2021-test-strategy/);
  const matched = await page.$('.doc-passage.matched');
  assert.match(await matched.innerHTML(), /<mark>data<\/mark>/i);
  assert.ok(await matched.isVisible());
  const inView = await matched.evaluate((e) => { const r = e.getBoundingClientRect(); return r.top < window.innerHeight && r.bottom > 0; });
  assert.ok(inView, 'the matching passage is in view');
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('matched')), true);
  // The theme profile is a bar chart.
  assert.ok((await page.$$('.profile .bar-row')).length >= 2);
  // Markup in the document text is shown, never run.
  assert.match(await page.textContent('.doc-passages'), /<script>alert\(1\)<\/script>/);
  await shot(page, 'document');
  await page.goBack();
  await page.waitForSelector('.hit');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the comparison heatmap shows shares on hover, drills down on click, and offers CSV', async () => {
  const { page, context, errors } = await open('/?view=compare');
  await page.waitForSelector('table.heatmap td button:not(.empty)');
  const cell = page.locator('table.heatmap button[data-row="GB"][data-col="ethics"]');
  await cell.hover();
  await page.waitForSelector('#tooltip:not([hidden])');
  assert.match(await page.textContent('#tooltip'), /United Kingdom · Ethics and trust: \d+% of passages \(1 passage in 1 document\)/);
  await cell.click();
  await page.waitForSelector('#drill .passage');
  assert.match(await page.textContent('#drill'), /Test strategy on trustworthy AI/);
  const href = await page.getAttribute('#csv', 'href');
  assert.match(href, /format=csv/);
  const csv = await page.evaluate(async (u) => {
    const bytes = new Uint8Array(await (await fetch(u)).arrayBuffer());
    return { bom: Array.from(bytes.slice(0, 3)), text: new TextDecoder().decode(bytes) };
  }, href);
  assert.deepEqual(csv.bom, [0xEF, 0xBB, 0xBF]);
  assert.match(csv.text, /^row,row_label,column/);
  await shot(page, 'compare');
  await page.check('input[name=by-col][value=year]');
  await page.waitForFunction(() => /by=country%2Cyear|by=country,year/.test(location.search));
  await page.waitForSelector('table.heatmap thead th:has-text("2021")');
  await page.check('input[name=by-row][value=region]');
  await page.waitForSelector('table.heatmap tbody th:has-text("Europe")');
  // Income groups are rows too, under their own heading.
  await page.check('input[name=by-row][value=income]');
  await page.waitForSelector('table.heatmap tbody th:has-text("High income")');
  assert.equal(await page.textContent('table.heatmap thead th button.sort-head'), 'Income group');
  assert.deepEqual(errors, []);
  await context.close();
});

test('cross-language search is the default, shows the expansions used and how each hit matched', async () => {
  const { page, context, errors } = await open('/?q=ethics');
  await page.waitForSelector('.hit');
  assert.equal(await page.isChecked('#crosslingual'), true);
  await page.waitForSelector('#expansions');
  assert.match(await page.textContent('#expansions'), /ethics → .*ética/);
  assert.ok((await page.$$('.hit')).length >= 8);
  const how = await page.$$eval('.hit .how', (els) => els.map((e) => e.textContent));
  assert.ok(how.some((t) => /ethics \(its own words\)/.test(t)), how.join(' | '));
  assert.ok(how.some((t) => /ethics \(translated into [a-z]/.test(t)), how.join(' | '));
  await page.uncheck('#crosslingual');
  await page.waitForFunction(() => document.querySelectorAll('.hit').length === 1);
  assert.match(page.url(), /crosslingual=false/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('hostile queries are shown as text and never run', async () => {
  const q = encodeURIComponent('<img src=x onerror=alert(1)> "<script>alert(2)</script>');
  const { page, context, errors } = await open('/?q=' + q);
  await page.waitForSelector('#summary:not(:empty)');
  await page.waitForTimeout(300);
  assert.equal(await page.$$eval('img', (els) => els.length), 0);
  assert.match(await page.textContent('#summary'), /<img src=x/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('markup in a document title is shown as text', async () => {
  const { page, context, errors } = await open('/?q=' + encodeURIComponent('prueba de México'));
  await page.waitForSelector('.hit h2 a');
  assert.match(await page.textContent('.hit h2 a'), /<b onmouseover=alert\(1\)>x<\/b>/);
  assert.equal(await page.$$eval('.hit h2 b', (els) => els.length), 0);
  await page.hover('.hit h2 a');
  assert.deepEqual(errors, []);
  await context.close();
});

test('an empty result offers the spelling correction and removing filters', async () => {
  const { page, context, errors } = await open('/?q=ethicks&country=ES');
  await page.waitForSelector('#empty');
  assert.match(await page.textContent('#empty'), /Did you mean/);
  await page.click('#empty button:has-text("Remove country: ES")');
  await page.waitForFunction(() => !location.search.includes('country='));
  assert.deepEqual(errors, []);
  await context.close();
});

test('right-to-left snippets display right to left', async () => {
  const { page, context, errors } = await open('/?q=' + encodeURIComponent('أخلاقيات'));
  await page.waitForSelector('.hit .snippet');
  const direction = await page.$eval('.hit .snippet', (e) => getComputedStyle(e).direction);
  assert.equal(direction, 'rtl');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the page is readable at phone width', async () => {
  const { page, context, errors } = await open('/?q=data', { viewport: { width: 375, height: 740 } });
  await page.waitForSelector('.hit');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, 'no horizontal scrolling: ' + overflow);
  // Results come before the filters on a narrow screen.
  const order = await page.evaluate(() => document.querySelector('.results-col').getBoundingClientRect().top <
                                          document.querySelector('#facets').getBoundingClientRect().top);
  assert.ok(order);
  await shot(page, 'phone');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a hit opens its document with the whole query state, and the same passages match', async () => {
  const { page, context, errors } = await open('/?q=ethics&country=ES');
  await page.waitForSelector('.hit h2 a');
  const link = page.locator('.hit h2 a', { hasText: 'Estrategia de prueba de inteligencia artificial' });
  const href = decodeURIComponent(await link.getAttribute('href'));
  assert.match(href, /view=doc/);
  assert.match(href, /q=ethics/);
  assert.match(href, /country=ES/);
  const meta = await page.locator('.hit', { has: page.locator('h2 a', { hasText: 'Estrategia de prueba de inteligencia artificial' }) })
    .locator('.meta').textContent();
  const n = parseInt(meta.match(/(\d+) matching passage/)[1], 10);
  await link.click();
  await page.waitForSelector('#match-note');
  assert.match(page.url(), /country=ES/);
  assert.match(await page.textContent('#match-note'), new RegExp(`^${n} passages? match`));
  assert.equal((await page.$$('.doc-passage.matched')).length, n);
  // Without translations the Spanish document holds no match of "ethics", as in the search.
  const { page: plain, context: plainContext } = await open('/?view=doc&id=es-2020-test-estrategia&q=ethics&crosslingual=false');
  await plain.waitForSelector('#match-note');
  assert.match(await plain.textContent('#match-note'), /^0 passages match/);
  assert.equal((await plain.$$('.doc-passage.matched')).length, 0);
  const { page: results, context: resultsContext } = await open('/?q=ethics&crosslingual=false&lang=en');
  await results.waitForSelector('.hit h2 a');
  const kept = decodeURIComponent(await results.getAttribute('.hit h2 a', 'href'));
  assert.match(kept, /crosslingual=false/);
  assert.match(kept, /lang=en/);
  assert.deepEqual(errors, []);
  await Promise.all([context.close(), plainContext.close(), resultsContext.close()]);
});

test('the expansions list gives every term its own direction', async () => {
  const { page, context, errors } = await open('/?q=ethics');
  await page.waitForSelector('#expansions');
  const terms = await page.$$eval('#expansions .term', (els) => els.map((e) => [e.textContent, getComputedStyle(e).direction]));
  const dir = Object.fromEntries(terms);
  assert.equal(dir['أخلاقيات'], 'rtl', JSON.stringify(terms));
  assert.equal(dir['ética'], 'ltr', JSON.stringify(terms));
  assert.equal(dir['Ethik'], 'ltr', JSON.stringify(terms));
  // The list reads left to right, in the order the terms come.
  assert.equal(await page.$eval('#expansions', (e) => getComputedStyle(e).direction), 'ltr');
  const text = await page.textContent('#expansions');
  assert.ok(text.indexOf('أخلاقيات') < text.indexOf('Ethik') && text.indexOf('Ethik') < text.indexOf('ética'), text);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a link to a passage opens the document at that passage', async () => {
  const { page, context, errors } = await open('/?view=doc&id=gb-2021-test-strategy#p-1', { viewport: { width: 375, height: 260 } });
  await page.waitForSelector('#p-1');
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'p-1');
  const inView = await page.$eval('#p-1', (e) => { const r = e.getBoundingClientRect(); return r.top >= -1 && r.top < window.innerHeight; });
  assert.ok(inView, 'passage 1 is in view');
  assert.ok(await page.evaluate(() => window.scrollY > 0), 'the page scrolled to the passage');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the concordance aligns every occurrence, sorts by the word right of the match, and keeps markup inert', async () => {
  const { page, context, errors } = await open('/?view=concordance&q=data&crosslingual=false');
  await page.waitForSelector('#kwic tr.kwic-line');
  assert.match(await page.textContent('#kwic-summary'), /occurrences? of “data” in \d+ documents?/);
  const matches = await page.$$eval('#kwic td.kwic-match', (els) => els.map((e) => e.textContent.toLowerCase()));
  assert.ok(matches.length >= 3 && matches.every((m) => m.startsWith('dat')), matches.join());
  // The match column is centred between right-aligned left context and left-aligned right context.
  const align = await page.$eval('#kwic tr.kwic-line', (tr) => [...tr.children].slice(2).map((td) => getComputedStyle(td).textAlign));
  assert.deepEqual(align, ['right', 'center', 'left']);
  await page.click('#kwic button[data-sort=R1]');
  await page.waitForFunction(() => /ksort=R1/.test(location.search));
  await page.waitForSelector('#kwic button[data-sort=R1][aria-pressed=true]');
  const firstRight = await page.$$eval('#kwic td.kwic-right', (els) => els.map((e) => {
    const w = e.textContent.trim().split(/[^\p{L}\p{N}]+/u).filter(Boolean)[0] || '';
    return w.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  }));
  const sorted = [...firstRight].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  assert.deepEqual(firstRight, sorted);
  // A document's markup is shown as text, never run or parsed.
  await page.goto(base + '/?view=concordance&q=%22markup+such+as%22&crosslingual=false');
  await page.waitForSelector('#kwic tr.kwic-line');
  assert.match(await page.textContent('#kwic td.kwic-right'), /<script>alert\(1\)/);
  assert.equal(await page.$$eval('#view-concordance script', (s) => s.length), 0);
  // Each line links to its passage in the document view.
  await page.click('#kwic td.kwic-doc a');
  await page.waitForSelector('.doc-passage');
  assert.match(page.url(), /view=doc.*id=gb-2021-test-strategy/);
  await shot(page, 'concordance');
  assert.deepEqual(errors, []);
  await context.close();
});

test('every search result offers all its occurrences', async () => {
  const { page, context, errors } = await open('/?q=datos&crosslingual=false');
  await page.waitForSelector('.hit a.all-occurrences');
  await page.click('.hit a.all-occurrences');
  await page.waitForSelector('#kwic tr.kwic-line');
  const docs = await page.$$eval('#kwic td.kwic-doc', (els) => [...new Set(els.map((e) => e.textContent))]);
  assert.equal(docs.length, 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the trends chart draws one line per country, toggles them from the legend, and opens a year', async () => {
  const { page, context, errors } = await open('/?view=trends&q=datos&split=country');
  await page.waitForSelector('#trend-chart g.series circle.trend-point');
  const api = await page.evaluate(async () => (await (await fetch('/v1/trends?q=datos&split=country')).json()).series.map((s) => s.key));
  const keys = await page.$$eval('#trend-chart g.series', (gs) => gs.map((g) => g.getAttribute('data-key')));
  assert.deepEqual(keys, api);
  assert.ok(keys.length >= 3, keys.join());
  assert.equal(await page.$$eval('#trend-chart path.trend-line', (p) => p.length), keys.length);
  // The legend hides and shows a line.
  await page.click(`#trend-legend button[data-key="${keys[0]}"]`);
  assert.equal(await page.$eval(`#trend-chart g.series[data-key="${keys[0]}"]`, (g) => g.style.display), 'none');
  await page.click(`#trend-legend button[data-key="${keys[0]}"]`);
  assert.equal(await page.$eval(`#trend-chart g.series[data-key="${keys[0]}"]`, (g) => g.style.display), '');
  // The share of documents is the other measure.
  await page.check('#view-trends input[name=measure][value=documents]');
  await page.waitForFunction(() => /measure=documents/.test(location.search));
  await page.waitForSelector('#trend-chart[aria-label="Share of documents by year"]');
  // Labels come from the data as text only.
  assert.equal(await page.$$eval('#view-trends script', (s) => s.length), 0);
  await shot(page, 'trends');
  // A point opens the concordance of that series and year (points may overlap: by keyboard).
  const point = page.locator(`#trend-chart g.series[data-key="${keys[0]}"] circle.trend-point`).first();
  const year = await point.getAttribute('data-year');
  await point.focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('#kwic tr.kwic-line');
  assert.match(page.url(), new RegExp(`view=concordance.*country=${keys[0]}.*year=${year}|view=concordance.*year=${year}`));
  const years = await page.$$eval('#kwic td.kwic-year', (els) => [...new Set(els.map((e) => e.textContent))]);
  assert.deepEqual(years, [year]);
  assert.deepEqual(errors, []);
  await context.close();
});

// A second daemon over the bundled corpus, large enough for significant keyness rows.
async function bundledDaemon() {
  const idx = path.join(tmp, 'bundled-idx');
  execFileSync(path.join(build, 'indexer/strata-index'), [path.join(root, 'corpus'), idx, '--quiet']);
  const proc = spawn(path.join(build, 'searchd/strata-searchd'), ['--index', idx, '--listen', '127.0.0.1:0'],
                     { stdio: ['ignore', 'ignore', 'pipe'] });
  const url = await new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error('daemon did not start: ' + buf)), 15000);
    proc.stderr.on('data', (d) => {
      buf += d;
      const m = buf.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
  });
  proc.stderr.resume();
  return { proc, url };
}

test('the keyness page shows each side\'s distinctive words as bars, and a word opens its concordance in the target', async () => {
  const bundled = await bundledDaemon();
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  try {
    await page.goto(bundled.url + '/?view=keyness&target=country%3AMX');
    await page.waitForSelector('.keyness-bars.target .keyness-row');
    const bars = await page.$$eval('.keyness-bars.target .keyness-row .bar', (b) => b.map((x) => parseFloat(x.style.width)));
    assert.ok(bars.length >= 5, 'bars: ' + bars.length);
    assert.equal(bars[0], 100);
    assert.ok(bars.every((w, i) => i === 0 || w <= bars[i - 1]), bars.join(','));
    // Mexico's one document is too short for a word to be significantly rarer in it than elsewhere.
    assert.match(await page.textContent('.keyness-grid'), /Distinctive of the reference\s*No term is significantly more frequent here/);
    assert.match(await page.textContent('#keyness-result'), /Target country:MX: \d+ tokens in 1 documents/);
    // A term opens its concordance in the target: as many lines as the row counted there
    // (an unaccented word: an accented one also finds the words that fold like it).
    const rows = await page.$$eval('.keyness-bars.target .keyness-row', (rs) => rs.map((r) => ({
      word: r.querySelector('a').textContent, figure: r.querySelector('.figure').textContent })));
    const pick = rows.findIndex((r) => /^[a-z]+$/.test(r.word));
    assert.ok(pick >= 0, rows.map((r) => r.word).join(','));
    const word = rows[pick].word;
    const targetCount = rows[pick].figure.match(/· (\d+)\//)[1];
    await shot(page, 'keyness');
    await page.locator('.keyness-bars.target .keyness-row a').nth(pick).click();
    await page.waitForSelector('#kwic tr.kwic-line');
    const params = new URLSearchParams(await page.evaluate(() => location.search));
    assert.equal(params.get('view'), 'concordance');
    assert.equal(params.get('q'), `"${word}" country:MX`);
    assert.match(await page.textContent('#kwic-summary'), new RegExp(`^${targetCount} occurrences? of`));
    const matches = await page.$$eval('#kwic td.kwic-match', (tds) => [...new Set(tds.map((td) => td.textContent.toLowerCase()))]);
    assert.deepEqual(matches, [word.toLowerCase()]);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    bundled.proc.kill('SIGTERM');
  }
});

test('the heatmap shows each row\'s size, sorts rows by name, size or a column, switches measure and links a cell to its search', async () => {
  const { page, context, errors } = await open('/?view=compare');
  await page.waitForSelector('table.heatmap tbody th .row-size');
  const names = () => page.$$eval('table.heatmap tbody th', (ths) => ths.map((th) => th.firstChild.textContent));
  const byName = await names();
  assert.deepEqual(byName, [...byName].sort((a, b) => a.localeCompare(b)));
  assert.ok(byName.indexOf("Japan") < byName.indexOf("Spain"), byName.join(","));  // by ISO code ES would come first
  assert.match(await page.textContent('table.heatmap tbody tr:first-child .row-size'), /^1 doc · \d+ passages?$/);
  await page.click('table.heatmap thead button:has-text("Ethics")');
  await page.waitForFunction(() => /hsort=col%3Aethics|hsort=col:ethics/.test(location.search));
  // The address changes before the new matrix is drawn: wait for the drawn header to say it.
  await page.waitForSelector('table.heatmap thead button.sort-head[aria-pressed="true"]:has-text("Ethics")');
  const values = await page.$$eval('table.heatmap tbody tr', (trs) => trs.map((tr) => {
    const b = tr.querySelector('button[data-col="ethics"]');
    return b && !b.disabled ? parseFloat(b.textContent) : -1;
  }));
  assert.ok(values.every((v, i) => i === 0 || v <= values[i - 1]), values.join(','));
  await page.check('input[name=measure][value=per_million]');
  await page.waitForFunction(() => /measure=per_million/.test(location.search));
  await page.waitForSelector('table.heatmap tbody th .row-size:has-text("words")');
  assert.doesNotMatch(await page.textContent('table.heatmap button[data-row="GB"][data-col="ethics"]'), /%/);
  await page.click('table.heatmap button[data-row="GB"][data-col="ethics"]');
  await page.waitForSelector('#drill .drill-pager');
  const all = await page.getAttribute('#drill .drill-all', 'href');
  const p = new URLSearchParams(all.split('?')[1]);
  assert.equal(p.get('country'), 'GB');
  assert.equal(p.get('theme'), 'ethics');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a document and each passage offer a citation to copy, with BibTeX and RIS downloads', async () => {
  const { page, context, errors } = await open('/?view=doc&id=gb-2021-test-strategy',
    { permissions: ['clipboard-read', 'clipboard-write'] });
  await page.waitForSelector('.cite .copy-citation');
  assert.match(await page.textContent('.cite .citation'), /^Test issuer \(2021\)\. Test strategy on trustworthy AI\. United Kingdom/);
  await page.click('.cite .copy-citation');
  await page.waitForFunction(() => document.querySelector('.cite .copy-citation').textContent === 'Copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(copied, /^Test issuer \(2021\)\. Test strategy on trustworthy AI\. .*https:\/\/example\.org\/gb/);
  await page.click('.doc-passage .copy-citation');
  const passage = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(passage, / Passage 0, “[^”]+”\. https:\/\/example\.org\/gb/);
  assert.doesNotMatch(passage, /p\. 0/, 'a document without pages cites no page');
  for (const [fmt, start] of [['bibtex', /^@misc\{gb-2021-test-strategy,\n/], ['ris', /^TY {2}- GOVDOC\r\n/]]) {
    const href = await page.getAttribute(`.cite a[href*="format=${fmt}"]`, 'href');
    const res = await page.request.get(base + href);
    assert.equal(res.status(), 200);
    assert.match(await res.text(), start);
  }
  assert.deepEqual(errors, []);
  await context.close();
});
