#!/usr/bin/python3
"""Helper of scripts/bench-relevance: ranks a judged query set with Strata, SQLite FTS5 and
Xapian omindex + quest over the same documents, and reports nDCG@10, recall@20 and MRR.

usage: bench_relevance.py [CORPUS] [--queries F] [--qrels F] [--per-query OUT.json]
                          [--strata-variant NAME=ARGS ...] [--systems LIST] [--build-dir DIR]
                          [--keep] [--judge-check]

Run it through scripts/bench-relevance, which installs omindex and quest first.
"""
import argparse
import csv
import dataclasses
import glob
import json
import math
import os
import re
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from types import SimpleNamespace

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_peers import cmd_fts5_index, doc_type, yaml_quote  # noqa: E402 - a sibling script, not a package

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JUDGED_DIR = os.path.join(REPO, "tests", "relevance", "real")
DEPTH = 20  # ranked documents kept per query: recall and MRR are cut here
NDCG_K = 10
KINDS = ("topical", "crosslingual", "known-item", "native")
NATIVE_LANGS = ("es", "pt", "it", "pl")
GRADES = {0, 1, 2}
QUEST = "/usr/bin/quest"
OMINDEX = "/usr/bin/omindex"


def say(msg):
    print(f"bench-relevance: {msg}", file=sys.stderr, flush=True)


def die(msg):
    say(msg)
    sys.exit(1)


# --- inputs -------------------------------------------------------------------------------------

@dataclass
class Doc:
    stem: str  # file name without .txt: the id the judgments use
    path: str
    country: str
    year: int
    lang: str
    title: str


@dataclass
class Query:
    id: str
    kind: str
    lang: str
    text: str
    need: str = ""


@dataclass
class Judged:
    queries: list
    qrels: dict  # query id -> {doc stem: grade}
    sources: list  # the files read, for the report
    problems: list = field(default_factory=list)


def read_manifest(corpus):
    path = os.path.join(corpus, "manifest.tsv")
    if not os.path.isfile(path):
        die(f"{corpus} has no manifest.tsv (columns file, country_iso2, country, year, language, title)")
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    docs = []
    for r in rows:
        stem = os.path.splitext(os.path.basename(r["file"]))[0]
        docs.append(Doc(stem, os.path.join(corpus, r["file"]), r["country_iso2"], int(r["year"]),
                        r["language"], r["title"]))
    return sorted(docs, key=lambda d: d.stem)


def tsv_rows(paths):
    """(path, line number, fields) of every data line: blank lines, # comments and a header
    line (first field "id") are skipped, so merged files and parts may carry headers or not."""
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                line = line.rstrip("\n").rstrip("\r")
                if not line.strip() or line.startswith("#"):
                    continue
                fields = line.split("\t")
                if fields[0] == "id":
                    continue
                yield path, n, fields


def judged_files(option, merged_name, part_glob):
    """The files to read: the option's, else the merged file, else the parts being written."""
    if option:
        return [option]
    merged = os.path.join(JUDGED_DIR, merged_name)
    if os.path.isfile(merged):
        return [merged]
    return sorted(glob.glob(os.path.join(JUDGED_DIR, "parts", part_glob)))


def read_judged(queries_opt, qrels_opt):
    qfiles = judged_files(queries_opt, "queries.tsv", "*.queries.tsv")
    rfiles = judged_files(qrels_opt, "qrels.tsv", "*.qrels.tsv")
    if not qfiles or not rfiles:
        die(f"no judged set: neither {JUDGED_DIR}/queries.tsv + qrels.tsv nor parts/*.queries.tsv + *.qrels.tsv")
    judged = Judged([], {}, qfiles + rfiles)
    for path, n, f in tsv_rows(qfiles):
        if len(f) not in (4, 5):
            judged.problems.append(f"{path}:{n}: {len(f)} columns, expected id, kind, lang, query, need")
            continue
        judged.queries.append(Query(*[x.strip() for x in f]))
    for path, n, f in tsv_rows(rfiles):
        if len(f) not in (3, 4):
            judged.problems.append(f"{path}:{n}: {len(f)} columns, expected id, doc, grade, evidence")
            continue
        qid, doc, grade = f[0].strip(), f[1].strip(), f[2].strip()
        grades = judged.qrels.setdefault(qid, {})
        if doc in grades:
            judged.problems.append(f"{path}:{n}: a second row for {qid} / {doc}")
        if not grade.isdigit() or int(grade) not in GRADES:
            judged.problems.append(f"{path}:{n}: grade {grade!r} is not 0, 1 or 2")
            continue
        grades[doc] = int(grade)
    return judged


def check_judged(judged, docs):
    """Appends to judged.problems what makes the judged set unusable as a complete judgment."""
    stems = {d.stem for d in docs}
    p = judged.problems
    seen = set()
    for q in judged.queries:
        if q.id in seen:
            p.append(f"query id {q.id} appears twice")
        seen.add(q.id)
        if q.kind not in KINDS:
            p.append(f"{q.id}: kind {q.kind!r} is not one of {', '.join(KINDS)}")
        if not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z]{2,4})?", q.lang):
            p.append(f"{q.id}: lang {q.lang!r} is not a language code")
        if not q.text:
            p.append(f"{q.id}: empty query")
    for qid in sorted(set(judged.qrels) - seen):
        p.append(f"qrels has query id {qid}, which is not in the queries")
    for q in judged.queries:
        grades = judged.qrels.get(q.id, {})
        unknown = sorted(set(grades) - stems)
        missing = sorted(stems - set(grades))
        if unknown:
            p.append(f"{q.id}: judged documents not in the corpus: {', '.join(unknown[:5])}"
                     + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""))
        if len(missing) == len(stems):
            p.append(f"{q.id}: no judgments")
        elif missing:
            p.append(f"{q.id}: {len(missing)} of {len(stems)} documents not judged ({', '.join(missing[:3])}"
                     + (", ...)" if len(missing) > 3 else ")"))


# --- the corpus each engine reads -----------------------------------------------------------------

def strata_id(stem):
    """A valid Strata id (schemas/document.schema.json: ^[a-z0-9][a-z0-9._-]{1,127}$)."""
    return re.sub(r"[^a-z0-9._-]+", "-", stem.lower()).strip("-._")[:128]


def write_strata_corpus(docs, out):
    """One text copy and one metadata YAML per document, as scripts/bench-index writes them."""
    os.makedirs(os.path.join(out, "docs"))
    ids = {}
    for d in docs:
        sid = strata_id(d.stem)
        if sid in ids:
            die(f"{d.stem} and {ids[sid]} map to the same Strata id {sid}")
        ids[sid] = d.stem
        shutil.copyfile(d.path, os.path.join(out, "docs", d.stem + ".txt"))
        with open(os.path.join(out, "docs", d.stem + ".yaml"), "w", encoding="utf-8") as f:
            f.write(f"# generated by scripts/bench-relevance from manifest.tsv\nid: {yaml_quote(sid)}\n"
                    f"country: {yaml_quote(d.country)}\ntitle: {yaml_quote(d.title)}\n")
            if d.lang == "en":
                f.write(f"title_en: {yaml_quote(d.title)}\n")
            f.write(f"year: {d.year}\nlanguage: {yaml_quote(d.lang)}\ntype: {yaml_quote(doc_type(d.title))}\n"
                    f"file: {yaml_quote(d.stem + '.txt')}\ndigest: false\n")
    return ids


def run(argv, what, ok=(0,)):
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace")
    if p.returncode not in ok:
        die(f"{what} failed (exit {p.returncode}): {shlex.join(argv)}\n{(p.stderr or p.stdout)[-3000:]}")
    return p.stdout


# --- systems: each maps a query text to its ranked document stems ---------------------------------

class Strata:
    one_process_per_query = True

    def __init__(self, cli, index, ids, extra):
        self.cli, self.index, self.ids, self.extra = cli, index, ids, extra
        self.warnings = {}  # query -> warnings Strata returned, kept for --per-query

    def search(self, text):
        # "--" ends the options, so a query starting with "-" stays a query.
        argv = [self.cli, "search", "--index", self.index, "--format", "json", "--group", "document",
                "--per-page", str(DEPTH), *self.extra, "--", text]
        out = json.loads(run(argv, "strata search", ok=(0, 1)))  # 1: found nothing
        if out.get("warnings"):
            self.warnings[text] = out["warnings"]
        return [self.ids.get(h["id"], "?" + h["id"]) for h in out["hits"]]


def fts5_terms(text):
    """Each word of the query as a quoted FTS5 string, so "-", ":", "AND" or "l'IA" are not
    syntax; words without a letter or digit are dropped (unicode61 would make no token of them,
    and an empty string matches nothing)."""
    return ['"' + w.replace('"', '""') + '"' for w in text.split() if any(c.isalnum() for c in w)]


class Fts5:
    def __init__(self, db, stems, operator):
        self.conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        self.stems = stems  # rowid - 1 -> stem
        self.operator = operator  # " " (FTS5's implicit AND) or " OR "

    def search(self, text):
        terms = fts5_terms(text)
        if not terms:
            return []
        rows = self.conn.execute("SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?",
                                 (self.operator.join(terms), DEPTH)).fetchall()
        return [self.stems[r[0] - 1] for r in rows]


class Quest:
    one_process_per_query = True

    def __init__(self, db):
        self.db = db
        self.warnings = {}  # query -> quest's complaint, for --per-query

    def search(self, text):
        # quest's defaults: QueryParser default flags, OR, English stemmer (STEM_SOME), BM25.
        argv = [QUEST, "-d", self.db, "-m", str(DEPTH), "--", text]
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace")
        if p.returncode != 0:
            said = (p.stdout + p.stderr).strip()
            if "Couldn't parse query" not in said:
                die(f"quest failed (exit {p.returncode}): {shlex.join(argv)}\n{said[-3000:]}")
            self.warnings[text] = [said]  # what a quest user gets for, say, a dangling AND: nothing
            return []
        # The MSet lists each hit's data in rank order; omindex stores url=/<file name>.
        return [os.path.splitext(u)[0] for u in re.findall(r"^url=/(.*)$", p.stdout, re.M)]


def copy_binaries(build_dir, work):
    """Copies of strata-index and strata, so that a rebuild of build/ during the run changes
    nothing, and when they were built (their modification time, which the copies keep)."""
    os.makedirs(os.path.join(work, "bin"))
    copies = []
    for b in ("indexer/strata-index", "cli/strata"):
        src = os.path.join(build_dir, b)
        if not os.access(src, os.X_OK):
            die(f"no {src}: build Strata first (scripts/setup); this benchmark never builds")
        copies.append(shutil.copy2(src, os.path.join(work, "bin")))
    built = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(max(os.path.getmtime(c) for c in copies)))
    return copies, built


def setup_strata(docs, work, binaries, cli_args, variants):
    """Indexes the corpus once; returns one (name, label, Strata) per variant."""
    indexer, cli = binaries
    corpus, index = os.path.join(work, "strata-corpus"), os.path.join(work, "strata-index")
    ids = write_strata_corpus(docs, corpus)
    run([indexer, "--check", corpus], "strata-index --check")
    say("strata: indexing")
    run([indexer, corpus, index, "--rebuild", "--quiet"], "strata-index")
    out = [("strata", "Strata" + (f" `{cli_args}`" if cli_args else ""), Strata(cli, index, ids, shlex.split(cli_args)))]
    for name, args in variants:
        out.append(("strata-" + name, f"Strata [{name}] `{args}`", Strata(cli, index, ids, shlex.split(args))))
    return out


def setup_fts5(docs, work):
    # bench_peers' FTS5 index (title + body, unicode61 remove_diacritics 2) from its list format.
    listing, db = os.path.join(work, "fts5.list"), os.path.join(work, "fts5.db")
    with open(listing, "w", encoding="utf-8") as f:
        for d in docs:
            title = d.title.replace("\t", " ").replace("\n", " ")
            f.write(f"{os.path.abspath(d.path)}\t{d.country}\t{d.year}\t{d.lang}\t{title}\n")
    say("fts5: indexing")
    cmd_fts5_index(SimpleNamespace(list=listing, db=db))
    stems = [d.stem for d in docs]
    return [("fts5", "SQLite FTS5, AND", Fts5(db, stems, " ")),
            ("fts5-or", "SQLite FTS5, OR", Fts5(db, stems, " OR "))]


def setup_quest(docs, work):
    text, db = os.path.join(work, "omega-text"), os.path.join(work, "omega-db")
    os.makedirs(text)
    for d in docs:
        os.symlink(os.path.abspath(d.path), os.path.join(text, d.stem + ".txt"))
    say("quest: indexing with omindex")
    run([OMINDEX, "--db", db, "--url", "/", "--follow", "-M", "txt:text/plain", text], "omindex")
    return [("quest", "Xapian omindex + quest", Quest(db))]


def rank_all(systems, queries):
    """{system name: {query id: [stems]}} and the wall seconds each system spent querying.

    Engines run as one process per query (strata, quest) are called from a few threads at once:
    most of a strata call is process start-up (about 0.2 s), not search."""
    rankings, seconds = {}, {}
    for name, _, engine in systems:
        t0 = time.monotonic()
        texts = [q.text for q in queries]
        if getattr(engine, "one_process_per_query", False):
            with ThreadPoolExecutor(max_workers=(os.cpu_count() or 1) + 1) as pool:
                ranked = list(pool.map(engine.search, texts))
        else:  # in-process (sqlite3 connections stay in the thread that opened them)
            ranked = [engine.search(t) for t in texts]
        rankings[name] = {q.id: r for q, r in zip(queries, ranked)}
        seconds[name] = time.monotonic() - t0
        say(f"{name}: {len(queries)} queries in {seconds[name]:.1f} s")
    return rankings, seconds


# --- metrics --------------------------------------------------------------------------------------

def dcg(grades):
    return sum(g / math.log2(rank + 2) for rank, g in enumerate(grades))


def ndcg(ranking, grades, k=NDCG_K):
    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    return dcg([grades.get(d, 0) for d in ranking[:k]]) / ideal if ideal else None


def recall(ranking, relevant, k=DEPTH):
    return len(relevant & set(ranking[:k])) / len(relevant) if relevant else None


def reciprocal_rank(ranking, relevant, k=DEPTH):
    return next((1 / (i + 1) for i, d in enumerate(ranking[:k]) if d in relevant), 0.0)


def query_metrics(q, ranking, grades, lang_of):
    """Every metric that applies to this query; a metric without relevant documents to find is
    left out, so that averages run over the queries where it means something."""
    relevant = {d for d, g in grades.items() if g >= 1}
    m = {}
    if relevant:
        m.update(ndcg10=ndcg(ranking, grades), recall20=recall(ranking, relevant),
                 mrr=reciprocal_rank(ranking, relevant))
    if q.lang == "en":
        foreign = {d for d in relevant if lang_of.get(d) != "en"}
        if foreign:
            m["nonen_recall20"] = recall(ranking, foreign)
    if q.lang in NATIVE_LANGS:
        # Does the query rank the relevant documents of its own language, whatever else it finds?
        same = {d: g for d, g in grades.items() if lang_of.get(d) == q.lang}
        if any(g >= 1 for g in same.values()):
            mine = [d for d in ranking if lang_of.get(d) == q.lang]
            m["lang_ndcg10"] = ndcg(mine, same)
            m["lang_recall20"] = recall(mine, {d for d, g in same.items() if g >= 1})
    return m


def ideal_ranking(grades, first=lambda d: False):
    """The judged relevant documents by grade, those for which `first` holds ahead of the rest."""
    order = sorted(grades.items(), key=lambda x: (not first(x[0]), -x[1], x[0]))
    return [d for d, g in order if g >= 1][:DEPTH]


def perfect_metrics(q, grades, lang_of):
    """The ceiling of each metric, each on the ranking best for it: no one ranking is (a perfect
    nDCG@10 puts the grade-2 documents of every language before a grade-1 one in Spanish).
    R@20 stays below 1 for a query with more than 20 relevant documents."""
    m = query_metrics(q, ideal_ranking(grades), grades, lang_of)
    foreign = query_metrics(q, ideal_ranking(grades, lambda d: lang_of.get(d) != "en"), grades, lang_of)
    native = query_metrics(q, ideal_ranking(grades, lambda d: lang_of.get(d) == q.lang), grades, lang_of)
    m.update({k: v for k, v in foreign.items() if k == "nonen_recall20"})
    m.update({k: v for k, v in native.items() if k.startswith("lang_")})
    return m


def add_perfect(systems, queries, rankings, scores, qrels, lang_of):
    """A last row: what the judgments allow at best."""
    systems.append(("perfect", "(perfect ranking, from the judgments)", None))
    rankings["perfect"] = {q.id: ideal_ranking(qrels.get(q.id, {})) for q in queries}
    scores["perfect"] = {q.id: perfect_metrics(q, qrels.get(q.id, {}), lang_of) for q in queries}


def evaluate(systems, queries, rankings, qrels, lang_of):
    """{system: {query id: metrics}}."""
    return {name: {q.id: query_metrics(q, rankings[name][q.id], qrels.get(q.id, {}), lang_of) for q in queries}
            for name, _, _ in systems}


def mean(values):
    values = [v for v in values if v is not None]
    return (sum(values) / len(values), len(values)) if values else (None, 0)


# --- report ---------------------------------------------------------------------------------------

def cell(v):
    return "–" if v is None else f"{v:.3f}"


def table(head, rows):
    return "\n".join(["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
                     + ["| " + " | ".join(r) + " |" for r in rows])


def averaged(per_query, queries, metric, where=lambda q: True):
    return mean(per_query[q.id].get(metric) for q in queries if where(q))


def column(label, systems, scores, queries, metric, where=lambda q: True):
    """A header (with the number of queries averaged, the same for every system) and its cells."""
    n = averaged(scores[systems[0][0]], queries, metric, where)[1]
    return f"{label} (n={n})", [cell(averaged(scores[s], queries, metric, where)[0]) for s, _, _ in systems]


def main_table(systems, scores, queries, rankings):
    cols = [column("nDCG@10", systems, scores, queries, "ndcg10"),
            column("R@20", systems, scores, queries, "recall20"),
            column("MRR", systems, scores, queries, "mrr"),
            column("non-en R@20", systems, scores, queries, "nonen_recall20")]
    for lang in NATIVE_LANGS:
        cols.append(column(f"{lang} nDCG@10", systems, scores, queries, "lang_ndcg10", lambda q, l=lang: q.lang == l))
    hits = [f"{mean(len(r) for r in rankings[s].values())[0]:.1f}" for s, _, _ in systems]
    empty = [str(sum(1 for r in rankings[s].values() if not r)) for s, _, _ in systems]
    head = ["system"] + [c[0] for c in cols] + [f"hits/query (≤{DEPTH})", "no hit"]
    rows = [[label] + [c[1][i] for c in cols] + [hits[i], empty[i]] for i, (_, label, _) in enumerate(systems)]
    return table(head, rows)


def kind_table(systems, scores, queries):
    cols = []
    for kind in KINDS:
        for metric, label in (("ndcg10", "nDCG@10"), ("recall20", "R@20")):
            cols.append(column(f"{kind} {label}", systems, scores, queries, metric, lambda q, k=kind: q.kind == k))
    return table(["system"] + [c[0] for c in cols],
                 [[label] + [c[1][i] for c in cols] for i, (_, label, _) in enumerate(systems)])


def lang_table(systems, scores, queries):
    cols = []
    for lang in NATIVE_LANGS:
        for metric, label in (("lang_ndcg10", "nDCG@10"), ("lang_recall20", "R@20")):
            cols.append(column(f"{lang} {label}", systems, scores, queries, metric, lambda q, l=lang: q.lang == l))
    return table(["system"] + [c[0] for c in cols],
                 [[label] + [c[1][i] for c in cols] for i, (_, label, _) in enumerate(systems)])


def git_version():
    def git(*a):
        p = subprocess.run(["git", "-C", REPO, *a], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        return p.stdout.strip() if p.returncode == 0 else ""
    head = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--untracked-files=no")
    n = len(dirty.splitlines())
    return head + (f" with uncommitted changes to {n} tracked file{'s' if n > 1 else ''}" if dirty else " (clean)")


def command_line(argv):
    env = "".join(f"{k}={shlex.quote(os.environ[k])} " for k in ("STRATA_ARGS", "BUILD_DIR") if os.environ.get(k))
    return env + shlex.join(["scripts/bench-relevance", *argv])


FOOTNOTES = f"""\
- Every system ranks the same {{ndocs}} whole documents and keeps its top {DEPTH}. Averages run over the
  queries where the metric applies (n): nDCG@10 (gain = grade 0/1/2, log2(rank + 1) discount, ideal
  from all judged grades), R@20 and MRR (cut at {DEPTH}; relevant = grade >= 1) over queries with a relevant
  document; "non-en R@20" over English queries with a relevant non-English document, counting only those;
  "xx nDCG@10 / R@20" over queries in language xx with a relevant document in xx, on the ranking and
  judgments restricted to documents in xx (with one document in a language, both say whether it is in
  the top {DEPTH}). "hits/query": mean length of the ranked lists; "no hit": queries with an empty one.
  Unjudged documents count as grade 0. The "perfect ranking" row is the ceiling of each column, from the
  judgments (R@20 < 1 where a query has more than {DEPTH} relevant documents).
- Strata: `strata search QUERY --index DIR --format json --group document --per-page {DEPTH}` (embedded),
  plus the row's arguments; one metadata YAML per document from manifest.tsv (title, country, year, language).
- SQLite FTS5: table fts5(title, body), tokenize "unicode61 remove_diacritics 2", no stemming, ranked by
  bm25(); each query word quoted; AND = FTS5's implicit AND of the words, OR = the words joined by OR.
- Xapian omindex + quest: omindex over the text files (title from the text itself), quest with its defaults
  (OR of the words, English stemmer for every language, BM25)."""


def shown_path(path):
    """Relative to the repository when inside it, else absolute."""
    rel = os.path.relpath(os.path.realpath(path), REPO)
    return os.path.realpath(path) if rel.startswith("..") else rel


def print_report(ctx, systems, scores, queries, rankings, seconds):
    judged = ctx.judged
    rel = sum(1 for q in queries if any(g >= 1 for g in judged.qrels.get(q.id, {}).values()))
    langs = {}
    for d in ctx.docs:
        langs[d.lang] = langs.get(d.lang, 0) + 1
    print("# bench-relevance\n\n```\n" + command_line(ctx.argv) + "\n```\n")
    print(f"- {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}; Strata git HEAD {git_version()};"
          f" binaries built {ctx.built}; total run {time.monotonic() - ctx.t0:.1f} s"
          f" (querying: {', '.join(f'{s} {t:.1f} s' for s, t in seconds.items())})")
    print(f"- corpus: {ctx.corpus}, {len(ctx.docs)} documents"
          f" ({', '.join(f'{n} {l}' for l, n in sorted(langs.items(), key=lambda x: -x[1]))})")
    print(f"- judged set: {', '.join(shown_path(p) for p in judged.sources)}; {len(queries)} queries,"
          f" {rel} with a relevant document"
          + (f"; {len(judged.problems)} problems (see --judge-check)" if judged.problems else "; complete"))
    print(f"- {ctx.omega}; SQLite {sqlite3.sqlite_version}\n")
    print(main_table(systems, scores, queries, rankings) + "\n")
    print("By kind of query:\n\n" + kind_table(systems, scores, queries) + "\n")
    print("Native-language queries, on their language's documents only:\n\n" + lang_table(systems, scores, queries) + "\n")
    print(FOOTNOTES.format(ndocs=len(ctx.docs)))


def write_per_query(path, systems, queries, rankings, scores, qrels):
    out = []
    for q in queries:
        entry = {"id": q.id, "kind": q.kind, "lang": q.lang, "query": q.text, "need": q.need,
                 "relevant": {d: g for d, g in sorted(qrels.get(q.id, {}).items()) if g >= 1}, "systems": {}}
        for name, _, engine in systems:
            entry["systems"][name] = {"ranking": rankings[name][q.id], **scores[name][q.id]}
            if getattr(engine, "warnings", {}).get(q.text):
                entry["systems"][name]["warnings"] = engine.warnings[q.text]
        out.append(entry)
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"systems": {n: label for n, label, _ in systems}, "queries": out}, f, ensure_ascii=False, indent=1)
    say(f"per-query metrics and rankings in {path}")


# --- main -----------------------------------------------------------------------------------------

def parse_args(argv):
    ap = argparse.ArgumentParser(prog="scripts/bench-relevance", description=__doc__.split("\n\n")[0].replace("\n", " "))
    ap.add_argument("corpus", nargs="?", default=os.path.join(REPO, "..", "shared", "corpus-real"),
                    help="directory with manifest.tsv and the text files (default ../shared/corpus-real)")
    ap.add_argument("--queries", help="queries TSV (default tests/relevance/real/queries.tsv, else parts/*.queries.tsv)")
    ap.add_argument("--qrels", help="judgments TSV (default tests/relevance/real/qrels.tsv, else parts/*.qrels.tsv)")
    ap.add_argument("--judge-check", action="store_true", help="only validate the judged set; exit 1 on problems")
    ap.add_argument("--as-questions", action="store_true",
                    help="search each English query's need statement instead of its words: the research question "
                         "as a sentence (13 to 30 words), judged by the same grades")
    ap.add_argument("--per-query", metavar="FILE", help="write per-query metrics and rankings as JSON")
    ap.add_argument("--strata-variant", action="append", default=[], metavar="NAME=ARGS",
                    help="one more Strata row with these strata search arguments (repeatable)")
    ap.add_argument("--systems", default="strata,fts5,quest", help="a subset of strata,fts5,quest (default all)")
    ap.add_argument("--build-dir", default=os.environ.get("BUILD_DIR", "build"),
                    help="where indexer/strata-index and cli/strata are, relative to the repository (default build)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = ap.parse_args(argv)
    args.variants = []
    for v in args.strata_variant:
        name, sep, extra = v.partition("=")
        if not sep or not re.fullmatch(r"[A-Za-z0-9_.+-]+", name):
            ap.error(f"--strata-variant {v!r}: expected NAME=ARGS, e.g. xl='--crosslingual'")
        if name in [n for n, _ in args.variants]:
            ap.error(f"--strata-variant {name} is given twice")
        args.variants.append((name, extra))
    args.build_dir = os.path.join(REPO, args.build_dir)  # an absolute path stays as it is
    args.systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    if set(args.systems) - {"strata", "fts5", "quest"}:
        ap.error(f"--systems: unknown {', '.join(sorted(set(args.systems) - {'strata', 'fts5', 'quest'}))}")
    return args


def judge_check(judged):
    if judged.problems:
        for p in judged.problems:
            print(p)
        say(f"{len(judged.problems)} problems in {', '.join(judged.sources)}")
        return 1
    say(f"{len(judged.queries)} queries, each judged against every document: OK")
    return 0


def build_systems(args, ctx, work):
    systems = []
    if "strata" in args.systems:
        binaries, ctx.built = copy_binaries(args.build_dir, work)
        systems += setup_strata(ctx.docs, work, binaries, os.environ.get("STRATA_ARGS", ""), args.variants)
    if "fts5" in args.systems:
        systems += setup_fts5(ctx.docs, work)
    if "quest" in args.systems:
        systems += setup_quest(ctx.docs, work)
    return systems


def benchmark(args, ctx, work):
    systems = build_systems(args, ctx, work)
    queries = ctx.judged.queries
    rankings, seconds = rank_all(systems, queries)
    lang_of = {d.stem: d.lang for d in ctx.docs}
    scores = evaluate(systems, queries, rankings, ctx.judged.qrels, lang_of)
    add_perfect(systems, queries, rankings, scores, ctx.judged.qrels, lang_of)
    if args.per_query:  # first: a reader of the report may stop reading (| head) before its end
        write_per_query(args.per_query, systems, queries, rankings, scores, ctx.judged.qrels)
    print_report(ctx, systems, scores, queries, rankings, seconds)


def main(argv):
    args = parse_args(argv)
    corpus = os.path.realpath(args.corpus)
    ctx = SimpleNamespace(argv=argv, t0=time.monotonic(), corpus=corpus, docs=read_manifest(corpus),
                          judged=read_judged(args.queries, args.qrels))
    check_judged(ctx.judged, ctx.docs)
    if args.judge_check:
        return judge_check(ctx.judged)
    if args.as_questions:
        ctx.judged.queries = [dataclasses.replace(q, text=q.need) for q in ctx.judged.queries if q.lang == "en" and q.need]
    if ctx.judged.problems:
        say(f"the judged set has {len(ctx.judged.problems)} problems (--judge-check lists them); scoring anyway")
    ctx.built = "(Strata not run)"
    ctx.omega = run([OMINDEX, "--version"], "omindex --version").splitlines()[0] if "quest" in args.systems else "no omindex"
    work = tempfile.mkdtemp(prefix="strata-bench-relevance.")
    try:
        benchmark(args, ctx, work)
    finally:
        if args.keep:
            say(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwinds, so the temporary directory goes too
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:  # `| head` stopped reading: end quietly (the temporary directory is gone already)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error when Python flushes
        sys.exit(141)
