#!/usr/bin/python3
"""Helper of scripts/bench-peers: builds the replicated corpus, feeds Sphinx and SQLite FTS5,
checks and load-tests each engine, and renders the report. Not meant to be run by hand.

usage: bench_peers.py corpus SRC OUT LIST --target-mb MB --seed S
       bench_peers.py xmlpipe LIST                       (xmlpipe2 on stdout, for Sphinx's indexer)
       bench_peers.py fts5-index LIST DB
       bench_peers.py sphinx-charset                     (a charset_table value)
       bench_peers.py wait-sphinx PORT
       bench_peers.py check ENGINE TARGET QUERIES OUT
       bench_peers.py load ENGINE TARGET QUERIES --mode plain|facets --clients C --duration D
                           --warmup W --results FILE
       bench_peers.py report RESULTS META CHECKS_DIR

ENGINE is strata, strata-bare (passages=0), strata-default (the API's defaults: six facets,
cross-language) or strata-compare (GET /v1/compare; TARGET = port), quest (TARGET = Xapian database),
sphinx (TARGET = port) or fts5 (TARGET = SQLite file). The load driver runs one OS process per concurrent client, so the
client side is not serialised by the GIL; each keeps one connection for its whole run.
"""
import argparse
import array
import csv
import http.client
import json
import math
import multiprocessing
import os
import random
import re
import resource
import signal
import sqlite3
import subprocess
import sys
import time
import unicodedata
import urllib.parse

SPHINX_INDEX = "strata_bench"
FACET_LIMIT = 100  # more than the distinct countries and years, so every engine counts them all
QUEST = "/usr/bin/quest"


# --- corpus ---------------------------------------------------------------------------------

def paragraphs_of(text, size=600):
    """Paragraph-sized chunks of a text: blank-line blocks, cut at line ends past `size` chars.

    pdftotext output is uneven: some files separate paragraphs by blank lines, others put one
    paragraph per line or never leave a blank line, so blocks alone would range from one line
    to a whole document."""
    chunks = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines, length = [], 0
        for line in block.split("\n"):
            if not line.strip():
                continue
            lines.append(line)
            length += len(line) + 1
            if length >= size:
                chunks.append("\n".join(lines))
                lines, length = [], 0
        if lines:
            chunks.append("\n".join(lines))
    return chunks


def doc_type(title):
    # The same rules as prepare_manifest_corpus in scripts/bench-index.
    t = title.lower()
    if any(s in t for s in ("action plan", "plan de acción", "plano de ação", "piano d'azione")):
        return "action-plan"
    if any(s in t for s in ("white paper", "libro bianco", "libro blanco")):
        return "white-paper"
    if any(s in t for s in ("ethic", "ética", "etica")):
        return "ethics-framework"
    if "consulta" in t or "informe de resultados" in t:
        return "other"
    return "strategy"


def yaml_quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def cmd_corpus(args):
    """Replicates SRC (manifest.tsv + text files) into about --target-mb MB of distinct documents.

    Copies are added round by round (every source once, then again...) until the target is
    reached. Within each language, the paragraphs of all copies are shuffled together and dealt
    back, each copy taking paragraphs until it is as long as its source: sizes and per-language
    word statistics stay those of the real documents, but no two copies share their text."""
    with open(os.path.join(args.src, "manifest.tsv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    need = {"file", "country_iso2", "country", "year", "language", "title"}
    if not rows or need - set(rows[0]):
        sys.exit(f"bench-peers: {args.src}/manifest.tsv lacks columns {sorted(need - set(rows[0] if rows else []))}")
    sources = []
    for row in sorted(rows, key=lambda r: r["file"]):
        path = os.path.join(args.src, row["file"])
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        sources.append((row, paragraphs_of(text), len(text.encode("utf-8"))))
    target = args.target_mb * 1e6
    copies, planned, rnd = [], 0, 0
    while planned < target:
        rnd += 1
        for i, (_, _, size) in enumerate(sources):
            if planned >= target:
                break
            copies.append((i, rnd))
            planned += size
    rng = random.Random(args.seed)
    pools = {}
    for i, r in copies:
        pools.setdefault(sources[i][0]["language"], []).extend(sources[i][1])
    for lang in sorted(pools):
        rng.shuffle(pools[lang])
    taken = {lang: 0 for lang in pools}  # read position in each pool, wrapping around
    docs_dir = os.path.join(args.out, "docs")
    os.makedirs(docs_dir, exist_ok=True)
    total = 0
    with open(args.list, "w", encoding="utf-8") as out:
        for i, r in copies:
            row = sources[i][0]
            lang = row["language"]
            pool, mine, size = pools[lang], [], 0
            while size < sources[i][2]:
                p = pool[taken[lang] % len(pool)]
                taken[lang] += 1
                mine.append(p)
                size += len(p.encode("utf-8")) + 2
            stem = os.path.splitext(os.path.basename(row["file"]))[0]
            name = f"{stem}-c{r:03d}"
            text = "\n\n".join(mine) + "\n"
            text_path = os.path.abspath(os.path.join(docs_dir, name + ".txt"))
            with open(text_path, "w", encoding="utf-8") as f:
                f.write(text)
            total += os.path.getsize(text_path)
            rest = re.sub(r"^[a-z]{3}-[0-9]{4}-[a-z]{2,3}(-[a-z]{2,4})?-", "", stem.lower())
            rest = re.sub(r"[^a-z0-9._-]+", "-", rest)
            doc_id = f"{row['country_iso2'].lower()}-{row['year']}-{rest}-c{r:03d}"[:120]
            title = f"{row['title']} (copy {r})"
            with open(os.path.join(docs_dir, name + ".yaml"), "w", encoding="utf-8") as f:
                f.write(f"# generated by scripts/bench-peers from manifest.tsv ({row['country']}), copy {r}\n")
                f.write(f"id: {yaml_quote(doc_id)}\ncountry: {yaml_quote(row['country_iso2'])}\n")
                f.write(f"title: {yaml_quote(title)}\n")
                if lang == "en":
                    f.write(f"title_en: {yaml_quote(title)}\n")
                f.write(f"year: {int(row['year'])}\nlanguage: {yaml_quote(lang)}\n")
                f.write(f"type: {yaml_quote(doc_type(row['title']))}\nfile: {yaml_quote(name + '.txt')}\n")
                f.write("digest: false\n")
            clean = title.replace("\t", " ").replace("\n", " ")
            out.write(f"{text_path}\t{row['country_iso2']}\t{int(row['year'])}\t{lang}\t{clean}\n")
    print(len(copies), total)


def read_list(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            p, country, year, lang, title = line.rstrip("\n").split("\t")
            yield p, country, int(year), lang, title


# --- feeding Sphinx and FTS5 ------------------------------------------------------------------

XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0 (pdftotext's \f)


def xml_text(s):
    s = XML_BAD.sub(" ", s)
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cmd_xmlpipe(args):
    out = sys.stdout
    out.write('<?xml version="1.0" encoding="utf-8"?>\n<sphinx:docset>\n<sphinx:schema>\n'
              '<sphinx:field name="title" attr="string"/>\n<sphinx:field name="body"/>\n'
              '<sphinx:attr name="country" type="string"/>\n<sphinx:attr name="year" type="int" bits="16"/>\n'
              '</sphinx:schema>\n')
    for n, (path, country, year, _, title) in enumerate(read_list(args.list), 1):
        with open(path, encoding="utf-8", errors="replace") as f:
            body = f.read()
        out.write(f'<sphinx:document id="{n}">\n<title>{xml_text(title)}</title>\n<body>{xml_text(body)}</body>\n'
                  f'<country>{xml_text(country)}</country>\n<year>{year}</year>\n</sphinx:document>\n')
    out.write("</sphinx:docset>\n")


def cmd_sphinx_charset(args):
    """A charset_table for Sphinx 2.2.11, which has no non_cjk alias yet: ASCII letters and digits,
    then Latin, Greek and Cyrillic letters lower-cased and, where Unicode decomposes them,
    stripped of their accents (as Strata and FTS5 fold them)."""
    entries = ["0..9", "A..Z->a..z", "_", "a..z"]
    for lo, hi in ((0x00C0, 0x024F), (0x0370, 0x03FF), (0x0400, 0x04FF)):
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            if not ch.isalpha() or unicodedata.category(ch) not in ("Lu", "Ll", "Lt", "Lo"):
                continue
            low = ch.lower() if len(ch.lower()) == 1 else ch
            base = "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))
            to = base if len(base) == 1 and base.isalpha() else low
            entries.append(f"U+{cp:04X}" if to == ch else f"U+{cp:04X}->U+{ord(to):04X}")
    # Sphinx reads config lines of limited length: continue them with a backslash.
    print(", \\\n    ".join(", ".join(entries[i:i + 8]) for i in range(0, len(entries), 8)))


def cmd_fts5_index(args):
    if os.path.exists(args.db):
        os.remove(args.db)
    db = sqlite3.connect(args.db)
    db.execute("PRAGMA journal_mode = OFF")  # a bulk load into a throw-away file
    db.execute("PRAGMA synchronous = OFF")
    # A contentless FTS5 table (the index only) and the metadata in a plain table, joined by
    # rowid. With the text stored in the FTS5 table, reading any column of a hit reads its whole
    # row, body included, and GROUP BY over a few hundred whole documents took 50 ms a query.
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, content = '',"
               " tokenize = 'unicode61 remove_diacritics 2')")
    db.execute("CREATE TABLE meta (id INTEGER PRIMARY KEY, title TEXT, country TEXT, year INTEGER)")
    with db:
        for n, (path, country, year, _, title) in enumerate(read_list(args.list), 1):
            with open(path, encoding="utf-8", errors="replace") as f:
                db.execute("INSERT INTO docs (rowid, title, body) VALUES (?, ?, ?)", (n, title, f.read()))
            db.execute("INSERT INTO meta VALUES (?, ?, ?, ?)", (n, title, country, year))
    with db:
        db.execute("INSERT INTO docs (docs) VALUES ('optimize')")  # one b-tree, as a static index would be
    db.close()


def cmd_wait_sphinx(args):
    import pymysql
    deadline = time.monotonic() + 30
    while True:
        try:
            pymysql.connect(host="127.0.0.1", port=args.port, user="", connect_timeout=2).close()
            return
        except pymysql.err.MySQLError as e:
            if time.monotonic() > deadline:
                sys.exit(f"bench-peers: Sphinx searchd did not answer on 127.0.0.1:{args.port} within 30 s: {e}")
            time.sleep(0.2)


# --- clients: one per engine, one connection each; run() returns (hits, facet rows) ------------

class EngineError(Exception):
    pass


class StrataClient:
    passages = None  # the API's default: 3 best passages, with snippets, per document

    def __init__(self, port, facets):
        self.port = port
        self.params = {"facets": "country,year" if facets else "none"}  # the API counts six facets unless told
        if self.passages is not None:
            self.params["passages"] = self.passages
        self.conn = None

    def path(self, q):
        return "/v1/search?" + urllib.parse.urlencode({"q": q, **self.params})

    def run(self, q, parse=False):
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            self.conn.request("GET", self.path(q))
            r = self.conn.getresponse()
            body = r.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = None
            raise
        if r.status != 200:
            raise EngineError(f"HTTP {r.status}: {body[:300].decode('utf-8', 'replace')}")
        if not parse:
            return None
        doc = json.loads(body)
        facets = doc.get("facets") or {}
        return doc.get("total", len(doc["hits"])), len(doc["hits"]), sum(len(v) for v in facets.values())


class StrataBareClient(StrataClient):
    """Strata answering what the peers answer: documents without passages or snippets."""
    passages = 0


class StrataDefaultClient(StrataClient):
    """Strata with every default of the API: all six facets, cross-language, 3 passages with
    snippets per document, top 10 (the issue's "default query behaviour")."""

    def __init__(self, port, facets):
        super().__init__(port, facets)
        self.params = {}


class StrataCompareClient(StrataClient):
    """GET /v1/compare?q=...: the default matrix (countries x themes, each cell's best passage)."""

    def path(self, q):
        return "/v1/compare?" + urllib.parse.urlencode({"q": q})

    def run(self, q, parse=False):
        if not parse:
            return super().run(q)
        self.conn = self.conn or http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        self.conn.request("GET", self.path(q))
        r = self.conn.getresponse()
        body = r.read()
        if r.status != 200:
            raise EngineError(f"HTTP {r.status}: {body[:300].decode('utf-8', 'replace')}")
        doc = json.loads(body)
        matching = sum(row["matching_documents"] for row in doc["rows"])
        return matching, min(10, matching), len(doc["cells"])


class QuestClient:
    """One quest process per query: that is the only way quest answers."""

    def __init__(self, db, facets):
        if facets:
            raise EngineError("quest counts no facets")
        self.db = db

    def argv(self, q):
        # AND as the default operator, as Strata, Sphinx and FTS5 have.
        return [QUEST, "-d", self.db, "-m", "10", "-o", "and", q]

    def run(self, q, parse=False):
        p = subprocess.run(self.argv(q), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if p.returncode != 0:
            raise EngineError(f"quest exited {p.returncode}: {p.stderr[:300].decode('utf-8', 'replace')}")
        if not parse:
            return None
        out = p.stdout.decode("utf-8", "replace")
        m = re.search(r"^MSet:", out, re.M)
        hits = len(re.findall(r"^\d+: \[", out[m.start():], re.M)) if m else 0
        est = re.search(r"(?:Exactly|About|Between) (\d+)", out)
        return (int(est.group(1)) if est else hits), hits, 0


class SphinxClient:
    def __init__(self, port, facets):
        import pymysql
        self.pymysql = pymysql
        self.port = port
        self.sql = f"SELECT id, WEIGHT() AS w, title, country, year FROM {SPHINX_INDEX} WHERE MATCH(%s) LIMIT 10"
        if facets:
            self.sql += (f" FACET country ORDER BY COUNT(*) DESC LIMIT {FACET_LIMIT}"
                         f" FACET year ORDER BY COUNT(*) DESC LIMIT {FACET_LIMIT}")
        self.conn = None

    def run(self, q, parse=False):
        if self.conn is None:
            self.conn = self.pymysql.connect(host="127.0.0.1", port=self.port, user="", charset="utf8",
                                             autocommit=True, connect_timeout=10, read_timeout=60)
        try:
            with self.conn.cursor() as cur:
                cur.execute(self.sql, (q,))
                top = cur.fetchall()
                facet_rows = 0
                while cur.nextset():
                    facet_rows += len(cur.fetchall())
                if not parse:
                    return None
                cur.execute("SHOW META")
                meta = dict(cur.fetchall())
        except self.pymysql.err.ProgrammingError as e:  # a query Sphinx rejects: no use retrying
            raise EngineError(f"Sphinx: {e}") from e
        except self.pymysql.err.MySQLError:
            self.conn.close()
            self.conn = None
            raise
        return int(meta.get("total_found", len(top))), len(top), facet_rows


def fts5_match(q):
    """The query in FTS5 syntax: each bare word quoted (so that accents, apostrophes and hyphens
    are tokens, not operators), each "phrase" kept; FTS5 ANDs them."""
    parts = re.findall(r'"[^"]*"|\S+', q)
    return " ".join(p if p.startswith('"') else '"' + p.replace('"', '""') + '"' for p in parts)


class Fts5Client:
    def __init__(self, db, facets):
        self.conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, check_same_thread=False)
        self.facets = facets

    def run(self, q, parse=False):
        m = fts5_match(q)
        try:
            top = self.conn.execute("SELECT meta.id, meta.title, meta.country, meta.year FROM"
                                    " (SELECT rowid, rank FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 10) AS hit"
                                    " JOIN meta ON meta.id = hit.rowid ORDER BY hit.rank", (m,)).fetchall()
            rows = []
            if self.facets:
                for col in ("country", "year"):
                    rows += self.conn.execute(f"SELECT meta.{col}, count(*) FROM docs JOIN meta ON meta.id = docs.rowid"
                                              f" WHERE docs MATCH ? GROUP BY meta.{col} ORDER BY 2 DESC",
                                              (m,)).fetchall()
        except sqlite3.Error as e:
            raise EngineError(f"FTS5 MATCH {m!r}: {e}") from e
        if not parse:
            return None
        total = self.conn.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (m,)).fetchone()[0]
        return total, len(top), len(rows)


CLIENTS = {"strata": StrataClient, "strata-bare": StrataBareClient, "strata-default": StrataDefaultClient,
           "strata-compare": StrataCompareClient, "quest": QuestClient, "sphinx": SphinxClient, "fts5": Fts5Client}
PLAIN_ONLY = ("quest", "strata-default", "strata-compare")  # engines checked in one mode only


def make_client(engine, target, facets):
    return CLIENTS[engine](int(target) if engine.startswith("strata") or engine == "sphinx" else target, facets)


def read_queries(path):
    with open(path, encoding="utf-8") as f:
        return [line.strip() for line in f if line.strip() and not line.startswith("#")]


# --- check ---------------------------------------------------------------------------------------

def cmd_check(args):
    """Every query once, plain and (where the engine has them) with facets; aborts on any error."""
    queries = read_queries(args.queries)
    modes = [False] if args.engine in PLAIN_ONLY else [False, True]
    failures, lines = [], []
    for facets in modes:
        client = make_client(args.engine, args.target, facets)
        zero = []
        for q in queries:
            try:
                total, hits, facet_rows = client.run(q, parse=True)
            except Exception as e:  # noqa: BLE001 - any failure is reported, then the run aborts
                failures.append(f"{'facets' if facets else 'plain'} [{q}]: {type(e).__name__}: {e}")
                continue
            if hits == 0:
                zero.append(q)
            elif facets and facet_rows == 0:
                failures.append(f"facets [{q}]: {hits} hits but no facet counts")
            lines.append(f"{'facets' if facets else 'plain'}\t{total}\t{hits}\t{facet_rows}\t{q}")
        mode = "facets" if facets else "plain"
        print(f"   check {args.engine} {mode}: {len(queries)} queries, {len(zero)} with no hit"
              + (f" ({' | '.join(zero)})" if zero else ""), file=sys.stderr)
        if len(zero) > len(queries) // 2:
            failures.append(f"{mode}: {len(zero)} of {len(queries)} queries found nothing; is the index empty?")
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("mode\ttotal\thits\tfacet_rows\tquery\n" + "\n".join(lines) + "\n")
    if failures:
        print(f"bench-peers: {args.engine} failed the query check:", file=sys.stderr)
        for line in failures[:20]:
            print("   " + line, file=sys.stderr)
        sys.exit(1)


# --- load ----------------------------------------------------------------------------------------

def load_worker(engine, target, facets, queries, offset, barrier, warmup, duration, pipe):
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C: die quietly, the parent reports
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    client = make_client(engine, target, facets)
    lat = array.array("d")
    errors, first_error, i = 0, "", offset
    barrier.wait()
    warm_end = time.perf_counter() + warmup
    end = warm_end + duration
    while True:
        start = time.perf_counter()
        if start >= end:
            break
        q = queries[i % len(queries)]
        i += 1
        try:
            client.run(q)
        except Exception as e:  # noqa: BLE001 - counted, and the first one reported
            if start >= warm_end:
                errors += 1
                first_error = first_error or f"[{q}]: {type(e).__name__}: {e}"
            continue
        done = time.perf_counter()
        if start >= warm_end and done <= end:
            lat.append(done - start)
    usage = resource.RUSAGE_CHILDREN if engine == "quest" else resource.RUSAGE_SELF
    pipe.send((lat.tobytes(), errors, first_error, resource.getrusage(usage).ru_maxrss, base_rss))
    pipe.close()


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, math.ceil(p / 100 * len(sorted_values)) - 1))  # nearest rank
    return sorted_values[k]


def cmd_load(args):
    queries = read_queries(args.queries)
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(args.clients)
    procs, pipes = [], []
    for c in range(args.clients):
        parent, child = ctx.Pipe(duplex=False)
        # Clients start at different points of the query list, so they do not move in lockstep.
        p = ctx.Process(target=load_worker, args=(args.engine, args.target, args.mode == "facets", queries,
                                                  c * 7, barrier, args.warmup, args.duration, child))
        p.start()
        procs.append(p)
        pipes.append(parent)
    lat, errors, first_error, rss, base = array.array("d"), 0, "", 0, 0
    for p, pipe in zip(procs, pipes):
        if not pipe.poll(args.warmup + args.duration + 120):
            for q in procs:
                q.kill()
            sys.exit(f"bench-peers: a {args.engine} client hung")
        data, e, fe, r, b = pipe.recv()
        lat.frombytes(data)
        errors += e
        first_error = first_error or fe
        rss, base = max(rss, r), max(base, b)
        p.join()
    values = sorted(lat)
    result = {"kind": "load", "engine": args.engine, "mode": args.mode, "clients": args.clients,
              "requests": len(values), "errors": errors, "qps": len(values) / args.duration,
              "p50": percentile(values, 50) * 1e3, "p95": percentile(values, 95) * 1e3,
              "p99": percentile(values, 99) * 1e3, "client_rss_kb": rss, "python_rss_kb": base}
    with open(args.results, "a", encoding="utf-8") as f:
        f.write(json.dumps(result) + "\n")
    print(f"   {args.engine} {args.mode} c={args.clients}: {len(values)} requests, {result['qps']:.1f} q/s, "
          f"p50 {result['p50']:.2f} p95 {result['p95']:.2f} p99 {result['p99']:.2f} ms, {errors} errors"
          + (f" (first: {first_error})" if first_error else ""), file=sys.stderr)
    if errors and errors > len(values) // 100:
        sys.exit(f"bench-peers: {args.engine} failed {errors} requests under load: {first_error}")


# --- report --------------------------------------------------------------------------------------

ENGINES = [
    ("strata", "Strata (strata-index + strata-searchd, HTTP)"),
    ("strata-bare", "Strata, passages=0 (same daemon)"),
    ("quest", "Xapian omindex + quest"),
    ("sphinx", "Sphinx 2.2 indexer + searchd (SphinxQL)"),
    ("fts5", "SQLite FTS5 (Python sqlite3)"),
]

NOTES = {
    "strata": "ICU word breaking, stems per language, passages + 3 snippets per hit, collapsing to documents [1]",
    "strata-bare": "as above but `passages=0`: no passages or snippets, as the peers answer [1]",
    "quest": "whole documents, one English stemmer, no snippets, no facets; one process per query [2]",
    "sphinx": "no ICU word breaking, one English stemmer, no snippets / passages / themes / cross-language [3]",
    "fts5": "unicode61 tokens, no stemming, no snippets; facets = two GROUP BY queries [4]",
}

FOOTNOTES = """\
[1] Strata: `GET /v1/search` with the API's defaults (group=document, 3 passages with snippets per
    document, per_page=10); plain runs pass `facets=none` (the API counts all six facets unless
    told), faceted runs `facets=country,year`. Memory: the daemon's VmHWM. The "passages=0" rows
    query the same daemon with `passages=0`, documents only, which is what the peers return.
[2] omindex indexes whole files (no passages) with one English stemmer for every language; quest
    (`quest -d DB -m 10 -o and 'QUERY'`, AND as the other engines) is one process per query, so its
    latency includes process start and opening the database; it has no facets (n/a). Memory: the
    largest ru_maxrss of a quest process.
[3] Sphinx 2.2.11: a charset_table of Latin, Greek and Cyrillic letters, lower-cased and folded
    (2.2.11 has no non_cjk alias; no ICU word breaking, no CJK segmentation), `morphology = stem_en`
    only, the default proximity_bm25 ranker over title and body, whole documents; no passages,
    snippets, themes or cross-language search. Facets: `FACET country ORDER BY COUNT(*) DESC
    LIMIT 100 FACET year ...` in the same SphinxQL statement (one round trip, extra result sets;
    without LIMIT a facet stops at 20 values). Memory: searchd's VmHWM (threads workers, no
    watchdog). The client is pure-Python PyMySQL.
[4] SQLite FTS5: tokenizer unicode61 (remove_diacritics 2), no stemming, bm25 over title and body,
    whole documents; no facet engine: faceted runs issue the MATCH three times (top 10, then GROUP BY
    country, then GROUP BY year, joined by rowid to a plain table of title, country and year).
    Contentless table (`content = ''`: the index only, no stored text, as Sphinx 2.2).
    In-process: memory is the largest ru_maxrss of a client process, Python included
    (the interpreter alone, before opening the database, in brackets).
"matches" is the median over the query set of the documents each engine counts as matching (from
the check run before timing): the engines answer the same queries with somewhat different sets
(stemming, tokenising, phrase rules). Server memory is the peak over all cells."""


def fmt(v, digits=2):
    if v is None:
        return "n/a"
    if v != v:  # NaN
        return "–"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.{digits}f}"


def median_matches(path):
    """Median of the engine's total matches over the plain check run, or None."""
    try:
        with open(path, encoding="utf-8") as f:
            totals = sorted(int(r["total"]) for r in csv.DictReader(f, delimiter="\t") if r["mode"] == "plain")
    except OSError:
        return None
    return totals[len(totals) // 2] if totals else None


def cmd_report(args):
    index, memory, loads = {}, {}, {}
    with open(args.results, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r["kind"] == "index":
                index[r["engine"]] = r
            elif r["kind"] == "memory":
                memory[r["engine"]] = r
            elif r["kind"] == "load":
                loads[(r["engine"], r["mode"], r["clients"])] = r
    with open(args.meta, encoding="utf-8") as f:
        meta = json.load(f)
    conc = meta["concurrency"]
    head = ["engine", "queries", "matches", "index MB/s", "index size MB", "indexer peak RSS MB"]
    for c in conc:
        head += [f"c={c} p50 ms", f"c={c} p95 ms", f"c={c} p99 ms", f"c={c} QPS"]
    head += ["query-side peak RSS MB", "notes"]
    out = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for engine, label in ENGINES:
        if engine not in index and not any(k[0] == engine for k in loads):
            continue
        ix = index.get(engine)
        for mode in ("plain", "facets"):
            row = [label if mode == "plain" else "″", "plain (top 10)" if mode == "plain" else "+ facets country, year"]
            if mode == "plain":
                m = median_matches(os.path.join(args.checks, f"check.{engine}.tsv"))
                row.append(str(m) if m is not None else "?")
                if ix:
                    row += [fmt(meta["text_bytes"] / 1e6 / ix["seconds"]), fmt(ix["size_bytes"] / 1e6, 1),
                            fmt(ix["rss_kb"] / 1024, 0)]
                else:
                    row += ["(same index)", "", ""]
            else:
                row += ["", "", "", ""]
            rss = None
            for c in conc:
                r = loads.get((engine, mode, c))
                if r is None:
                    row += ["n/a"] * 4
                    continue
                cell = [fmt(r["p50"]), fmt(r["p95"]), fmt(r["p99"]), fmt(r["qps"], 0)]
                if r["errors"]:
                    cell[3] += f" ({r['errors']} errors)"
                row += cell
                rss = max(rss or 0, r["client_rss_kb"])
            if engine == "strata-bare":
                row.append("(same server)" if mode == "plain" else "")
            elif engine in memory:
                row.append(fmt(memory[engine]["kb"] / 1024, 0) + " (server)" if mode == "plain" else "")
            elif rss is not None:
                py = max(v["python_rss_kb"] for k, v in loads.items() if k[0] == engine)
                what = "a quest process" if engine == "quest" else f"Python alone {py / 1024:.0f}"
                row.append(f"{fmt(rss / 1024, 0)} ({what})")
            else:
                row.append("n/a")
            row.append(NOTES[engine] if mode == "plain" else "")
            out.append("| " + " | ".join(row) + " |")
    print("\n".join(out))
    print()
    print(FOOTNOTES)
    print()
    print(targets_table(index, memory, loads, meta))


def targets_table(index, memory, loads, meta):
    """The issue's table: each figure of Strata beside its peer's and the target."""
    mb = meta["text_bytes"] / 1e6

    def speed(engine):
        return mb / index[engine]["seconds"] if engine in index else None

    def size(engine):
        return index[engine]["size_bytes"] / 1e6 if engine in index else None

    def cell(engine, mode, c, key):
        r = loads.get((engine, mode, c))
        return r[key] if r and r["requests"] and r[key] == r[key] else None  # None: not measured

    def ratio(a, b):
        return f"{a / b:.2f}x" if a is not None and b else "n/a"

    def met(ok):
        return "n/a" if ok is None else ("yes" if ok else "**no**")

    def pair(a, b):
        return f"{fmt(a)} / {fmt(b)} ms"

    rows = []
    s, o = speed("strata"), speed("quest")
    rows.append(["indexing MB/s", fmt(s), f"omindex {fmt(o)}", ratio(s, o), ">= omindex",
                 met(None if s is None or o is None else s >= o)])
    s, o = size("strata"), size("quest")
    rows.append(["index size MB", fmt(s, 1), f"omindex {fmt(o, 1)}", ratio(s, o), "<= 2x omindex",
                 met(None if s is None or o is None else s <= 2 * o)])
    p50, p99 = cell("strata-default", "plain", 1, "p50"), cell("strata-default", "plain", 1, "p99")
    sp50, sp99 = cell("sphinx", "facets", 1, "p50"), cell("sphinx", "facets", 1, "p99")
    rows.append(["faceted search, c=1, p50 / p99 (defaults: six facets, cross-language, 3 passages)",
                 pair(p50, p99), f"Sphinx (country, year) {pair(sp50, sp99)}", ratio(p50, sp50),
                 "p50 <= 2 ms, p99 <= 10 ms", met(None if p50 is None else p50 <= 2 and p99 <= 10)])
    q8, s8 = cell("strata-default", "plain", 8, "qps"), cell("sphinx", "facets", 8, "qps")
    rows.append(["faceted search, c=8, QPS (defaults)", fmt(q8, 0), f"Sphinx {fmt(s8, 0)}", ratio(q8, s8),
                 ">= 2x Sphinx", met(None if q8 is None or s8 is None else q8 >= 2 * s8)])
    x50, x99 = cell("strata", "plain", 1, "p50"), cell("strata", "plain", 1, "p99")
    rows.append(["cross-language search, c=1, p50 / p99 (no facets)", pair(x50, x99), "none crosses languages",
                 "", "", ""])
    c50, c99 = cell("strata-compare", "plain", 1, "p50"), cell("strata-compare", "plain", 1, "p99")
    rows.append(["compare, default matrix, c=1, p50 / p99", pair(c50, c99), "none", "", "p50 <= 20 ms",
                 met(None if c50 is None else c50 <= 20)])
    m = memory["strata"]["kb"] / 1024 if "strata" in memory else None
    sm = memory["sphinx"]["kb"] / 1024 if "sphinx" in memory else None
    rows.append(["daemon memory (peak RSS) MB", fmt(m, 0), f"Sphinx searchd {fmt(sm, 0)}", ratio(m, sm),
                 "< 300 MB at 1 GB (this corpus: %.0f MB)" % mb, met(None if m is None else m < 300)])
    out = [f"Targets (issue 15) on this corpus ({mb:.0f} MB of text):", "",
           "| figure | Strata | peer | ratio | target | met |", "| --- | --- | --- | --- | --- | --- |"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


# --- main ----------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("corpus")
    p.add_argument("src")
    p.add_argument("out")
    p.add_argument("list")
    p.add_argument("--target-mb", type=float, required=True)
    p.add_argument("--seed", type=int, default=1)
    p = sub.add_parser("xmlpipe")
    p.add_argument("list")
    sub.add_parser("sphinx-charset")
    p = sub.add_parser("fts5-index")
    p.add_argument("list")
    p.add_argument("db")
    p = sub.add_parser("wait-sphinx")
    p.add_argument("port", type=int)
    p = sub.add_parser("check")
    p.add_argument("engine", choices=CLIENTS)
    p.add_argument("target")
    p.add_argument("queries")
    p.add_argument("out")
    p = sub.add_parser("load")
    p.add_argument("engine", choices=CLIENTS)
    p.add_argument("target")
    p.add_argument("queries")
    p.add_argument("--mode", choices=["plain", "facets"], required=True)
    p.add_argument("--clients", type=int, required=True)
    p.add_argument("--duration", type=float, required=True)
    p.add_argument("--warmup", type=float, default=1.0)
    p.add_argument("--results", required=True)
    p = sub.add_parser("report")
    p.add_argument("results")
    p.add_argument("meta")
    p.add_argument("checks", help="directory of the check.ENGINE.tsv files")
    args = ap.parse_args()
    try:
        {"corpus": cmd_corpus, "xmlpipe": cmd_xmlpipe, "sphinx-charset": cmd_sphinx_charset, "fts5-index": cmd_fts5_index,
         "wait-sphinx": cmd_wait_sphinx, "check": cmd_check, "load": cmd_load, "report": cmd_report}[args.cmd](args)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
