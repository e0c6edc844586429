#!/usr/bin/env python3
"""Tests scripts/fetch-corpus against a local HTTP server.

Starts an http.server on 127.0.0.1 (port 0) in a thread that serves a small PDF
(tests/data/two-pages.pdf), an HTML page and a text file with Range support, plus paths that
answer 404, a truncated body, 500 twice then 200, redirects, an empty body, a fake PDF and an
unsupported type. Each test writes its own sources.yaml, runs the script as a subprocess
into a temporary directory and checks the files, the metadata YAML, the manifest, the
output, the exit status and the requests the server saw. Uses only the standard library
and python3-yaml.
"""
import hashlib
import http.server
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import unittest

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(ROOT, "scripts", "fetch-corpus")
BUILD = os.environ.get("STRATA_BUILD_DIR", os.path.join(ROOT, "build"))
STRATA_INDEX = os.path.join(BUILD, "indexer", "strata-index")

with open(os.path.join(ROOT, "tests", "data", "two-pages.pdf"), "rb") as _f:
    PDF = _f.read()
HTML = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>National AI Strategy</title>"
        "</head><body><h1>National AI Strategy</h1><p>The government will invest in research, skills and "
        "data infrastructure for artificial intelligence, with an ethics framework and a public "
        "monitoring board.</p><h2>Pillars</h2><p>Research excellence, adoption by small firms, and "
        "trustworthy public services.</p></body></html>").encode("utf-8")
TEXT = ("Künstliche Intelligenz: Fortschreibung der Strategie der Bundesregierung. Die Bundesregierung "
        "fördert Forschung, Transfer in die Wirtschaft und den verantwortungsvollen Einsatz von KI.\n").encode("utf-8")
TRUNCATED = PDF * 3

ID_RE = re.compile(r"[a-z0-9][a-z0-9._-]{1,127}")
LANG_RE = re.compile(r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*")
ALLOWED_KEYS = {"id", "country", "title", "title_en", "year", "language", "type", "issuer", "source_url", "file",
                "digest", "themes"}
SUMMARY_RE = re.compile(r"^(?:dry run: would download|downloaded) (\d+), skipped \(complete\) (\d+), "
                        r"skipped \(no url\) (\d+), failed (\d+)$")


def sha256(data):
    return hashlib.sha256(data).hexdigest()


class Handler(http.server.BaseHTTPRequestHandler):
    """Routes of the test server. HTTP/1.0: one response per connection."""

    STATIC = {
        "/docs/strategy.pdf": (PDF, "application/pdf", True),
        "/docs/page.html": (HTML, "text/html; charset=utf-8", True),
        "/norange/strategy.pdf": (PDF, "application/pdf", False),
        "/octet/report.pdf": (PDF, "application/octet-stream", True),
        "/fake.pdf": (b"<html><body>Please log in</body></html>", "application/pdf", True),
        "/doc.docx": (b"PK\x03\x04 not really a docx",
                      "application/vnd.openxmlformats-officedocument.wordprocessingml.document", True),
    }

    def log_message(self, fmt, *args):  # keep the test output quiet
        pass

    def record(self, status):
        st = self.server.state
        with st["lock"]:
            st["log"].append({"path": self.path, "range": self.headers.get("Range"), "status": status})

    def send_body(self, status, body, ctype, extra=None, length=None):
        self.record(status)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        st = self.server.state
        path = self.path
        if path in self.STATIC:
            body, ctype, ranges = self.STATIC[path]
            rng = self.headers.get("Range")
            m = re.fullmatch(r"bytes=(\d+)-", rng or "")
            if ranges and m:
                start = int(m.group(1))
                if start >= len(body):
                    self.send_body(416, b"", "text/plain", {"Content-Range": f"bytes */{len(body)}"})
                    return
                self.send_body(206, body[start:], ctype,
                               {"Content-Range": f"bytes {start}-{len(body) - 1}/{len(body)}",
                                "Accept-Ranges": "bytes"})
                return
            self.send_body(200, body, ctype, {"Accept-Ranges": "bytes"} if ranges else None)
        elif path == "/badrange/strategy.pdf":
            # Answers a Range request with 206 but the whole document, not the range asked for.
            extra = {"Content-Range": f"bytes 0-{len(PDF) - 1}/{len(PDF)}"}
            self.send_body(206 if self.headers.get("Range") else 200, PDF, "application/pdf", extra)
        elif path == "/flaky.txt":
            with st["lock"]:
                st["flaky"] += 1
                n = st["flaky"]
            if n <= 2:
                self.send_body(500, b"try again", "text/plain")
            else:
                self.send_body(200, TEXT, "text/plain; charset=utf-8")
        elif path == "/truncated.pdf":
            # Promises the whole body, sends half of it and closes the connection.
            self.record(200)
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", str(len(TRUNCATED)))
            self.end_headers()
            self.wfile.write(TRUNCATED[: len(TRUNCATED) // 2])
            self.wfile.flush()
            self.close_connection = True
        elif path == "/empty.pdf":
            self.send_body(200, b"", "application/pdf")
        elif path == "/redirect/page":
            self.send_body(302, b"", "text/plain", {"Location": "/docs/page.html"})
        elif path == "/redirect/ftp":
            self.send_body(302, b"", "text/plain", {"Location": f"ftp://127.0.0.1:{self.server.server_port}/x.pdf"})
        elif path == "/redirect/file":
            self.send_body(302, b"", "text/plain", {"Location": "file:///etc/hostname"})
        else:
            self.send_body(404, b"not found", "text/plain")


# The entries of a successful run, with the ids the script must give them.
GOOD = [
    # (kind, id, path, entry fields)
    ("digests", "mx-2018-estrategia-ia", "/docs/page.html",
     {"id": "mx-2018-estrategia-ia", "country": "MX", "year": 2018, "title": "Estrategia de IA MX 2018",
      "title_en": "AI Strategy MX 2018", "issuer": "Gobierno de México", "language": "es",
      "type": "strategy"}),
    ("strategies", "fr-2018-ai-for-humanity-french-strategy", "/docs/strategy.pdf",
     {"row": 1, "country": "FR", "year": 2018, "title": "AI for Humanity: French Strategy",
      "type": "strategy", "language": "English"}),
    ("strategies", "fr-2018-ai-for-humanity-french-strategy-2", "/octet/report.pdf",
     {"row": 2, "country": "FR", "year": 2018, "title": "AI for Humanity: French Strategy",
      "type": "action-plan"}),
    ("strategies", "de-2020-kunstliche-intelligenz-fortschreibung", "/flaky.txt",
     {"row": 3, "country": "DE", "year": 2020, "title": "Künstliche Intelligenz: Fortschreibung",
      "type": "Roadmap", "language": "de"}),
    ("strategies", "gb-2021-national-ai-strategy", "/redirect/page",
     {"row": 5, "country": "GB", "year": 2021, "title": "National AI Strategy", "type": "strategy"}),
    ("strategies", "es-2020-estrategia-nacional-de-inteligencia-artificial", "/norange/strategy.pdf",
     {"row": 6, "country": "ES", "year": 2020, "title": "Estrategia Nacional de Inteligencia Artificial",
      "type": "strategy", "sha256": sha256(PDF)}),
]
NO_URL = ("strategies", None, None,
          {"row": 4, "country": "DE", "year": 2019, "title": "A strategy without a known url", "type": "strategy"})
GOOD_BYTES = {"/docs/page.html": HTML, "/docs/strategy.pdf": PDF, "/octet/report.pdf": PDF, "/flaky.txt": TEXT,
              "/redirect/page": HTML, "/norange/strategy.pdf": PDF}
GOOD_EXT = {"/docs/page.html": "html", "/docs/strategy.pdf": "pdf", "/octet/report.pdf": "pdf", "/flaky.txt": "txt",
            "/redirect/page": "html", "/norange/strategy.pdf": "pdf"}

# Entries that must fail, with a fragment of the reason the script must give.
BAD = [
    ("fr-2019-missing", "/missing.pdf", "404"),
    ("fr-2019-truncated", "/truncated.pdf", "Content-Length"),
    ("fr-2019-ftp-redirect", "/redirect/ftp", "non-http(s)"),
    ("fr-2019-file-redirect", "/redirect/file", "non-http(s)"),
    ("fr-2019-empty", "/empty.pdf", "empty body"),
    ("fr-2019-fake", "/fake.pdf", "%PDF-"),
    ("fr-2019-docx", "/doc.docx", "unsupported content type"),
    ("fr-2019-wrong-hash", "/docs/strategy.pdf", "sha256 mismatch"),
]


class FetchCorpusTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        cls.httpd.daemon_threads = True
        cls.httpd.state = {"lock": threading.Lock(), "log": [], "flaky": 0}
        cls.base = f"http://127.0.0.1:{cls.httpd.server_port}"
        cls.thread = threading.Thread(target=cls.httpd.serve_forever, daemon=True)
        cls.thread.start()

    @classmethod
    def tearDownClass(cls):
        cls.httpd.shutdown()
        cls.httpd.server_close()

    def setUp(self):
        st = self.httpd.state
        with st["lock"]:
            st["log"].clear()
            st["flaky"] = 0
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.dest = os.path.join(self.tmp.name, "dest")

    # -- helpers ------------------------------------------------------------------------

    def requests(self, path=None):
        with self.httpd.state["lock"]:
            return [r for r in self.httpd.state["log"] if path is None or r["path"] == path]

    def clear_log(self):
        with self.httpd.state["lock"]:
            self.httpd.state["log"].clear()

    def write_sources(self, entries, name="sources.yaml"):
        data = {"digests": [], "strategies": []}
        for kind, _id, path, fields in entries:
            e = dict(fields)
            if path is not None:
                e["url"] = self.base + path
            data[kind].append(e)
        path = os.path.join(self.tmp.name, name)
        with open(path, "w", encoding="utf-8") as f:
            yaml.safe_dump(data, f, allow_unicode=True, sort_keys=False)
        return path

    def good_sources(self):
        return self.write_sources(GOOD[:3] + [GOOD[3], NO_URL] + GOOD[4:])

    def run_fetch(self, *args, sources=None):
        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        env["no_proxy"] = env["NO_PROXY"] = "127.0.0.1,localhost"
        cmd = [sys.executable, SCRIPT, self.dest]
        if sources:
            cmd += ["--sources", sources]
        cmd += ["--timeout", "10", "--backoff", "0.05", *args]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=50, env=env)
        p.output = p.stdout + p.stderr
        return p

    def summary(self, proc):
        lines = proc.stdout.strip().splitlines()
        self.assertTrue(lines, f"no output:\n{proc.output}")
        m = SUMMARY_RE.match(lines[-1])
        self.assertIsNotNone(m, f"last line is not the summary:\n{proc.output}")
        return tuple(int(x) for x in m.groups())

    def manifest(self):
        with open(os.path.join(self.dest, ".fetch-manifest.json"), encoding="utf-8") as f:
            return json.load(f)

    def read(self, name):
        with open(os.path.join(self.dest, name), "rb") as f:
            return f.read()

    # -- tests --------------------------------------------------------------------------

    def test_downloads_files_and_metadata(self):
        p = self.run_fetch(sources=self.good_sources())
        self.assertEqual(p.returncode, 0, p.output)
        self.assertEqual(self.summary(p), (6, 0, 1, 0), p.output)
        manifest = self.manifest()["files"]
        for kind, ident, path, fields in GOOD:
            ext = GOOD_EXT[path]
            self.assertEqual(self.read(f"{ident}.{ext}"), GOOD_BYTES[path], ident)
            self.assertFalse(os.path.exists(os.path.join(self.dest, f"{ident}.{ext}.part")))
            with open(os.path.join(self.dest, f"{ident}.yaml"), encoding="utf-8") as f:
                text = f.read()
            meta = yaml.safe_load(text)
            self.assertLessEqual(set(meta), ALLOWED_KEYS, ident)
            self.assertRegex(meta["id"], ID_RE)
            self.assertEqual(meta["id"], ident)
            self.assertEqual(meta["country"], fields["country"])
            self.assertEqual(meta["title"], fields["title"])
            self.assertEqual(meta["year"], fields["year"])
            self.assertEqual(meta["source_url"], self.base + path)
            self.assertEqual(meta["file"], f"{ident}.{ext}")
            self.assertIs(meta["digest"], False)
            self.assertIn(meta["type"], ("strategy", "action-plan", "ethics-framework", "regulation",
                                         "white-paper", "review", "other"))
            if "language" in meta:
                self.assertRegex(meta["language"], LANG_RE)
            # Every string value is quoted, as the corpus format asks.
            for line in text.splitlines():
                key, _, value = line.partition(": ")
                if key not in ("year", "digest"):
                    self.assertTrue(value.startswith('"'), f"{ident}: unquoted {line!r}")
            rec = manifest[ident]
            self.assertEqual(rec["url"], self.base + path)
            self.assertEqual(rec["size"], len(GOOD_BYTES[path]))
            self.assertEqual(rec["sha256"], sha256(GOOD_BYTES[path]))
            self.assertTrue(rec["content_type"], ident)
        by_id = {i: yaml.safe_load(self.read(f"{i}.yaml").decode("utf-8")) for _, i, _, _ in GOOD}
        digest = by_id["mx-2018-estrategia-ia"]
        self.assertEqual((digest["title_en"], digest["issuer"], digest["language"], digest["type"]),
                         ("AI Strategy MX 2018", "Gobierno de México", "es", "strategy"))
        self.assertEqual(by_id["fr-2018-ai-for-humanity-french-strategy"]["language"], "en")  # "English" mapped
        self.assertNotIn("language", by_id["fr-2018-ai-for-humanity-french-strategy-2"])  # left to the indexer
        self.assertEqual(by_id["fr-2018-ai-for-humanity-french-strategy-2"]["type"], "action-plan")
        self.assertEqual(by_id["de-2020-kunstliche-intelligenz-fortschreibung"]["type"], "other")  # "Roadmap"
        self.assertNotIn("title_en", by_id["gb-2021-national-ai-strategy"])
        # Only the listed URLs (and the http redirect one of them answers with) were requested.
        listed = {path for _, _, path, _ in GOOD} | {"/docs/page.html"}
        self.assertLessEqual({r["path"] for r in self.requests()}, listed)
        # No yaml or file for the entry without a url.
        self.assertFalse([n for n in os.listdir(self.dest) if n.startswith("de-2019")])

    def test_retries_5xx_then_succeeds(self):
        p = self.run_fetch("--retries", "3", sources=self.write_sources([GOOD[3]]))
        self.assertEqual(p.returncode, 0, p.output)
        self.assertEqual(self.summary(p), (1, 0, 0, 0), p.output)
        self.assertEqual([r["status"] for r in self.requests("/flaky.txt")], [500, 500, 200])
        self.assertEqual(self.read("de-2020-kunstliche-intelligenz-fortschreibung.txt"), TEXT)

    def test_retries_give_up(self):
        p = self.run_fetch("--retries", "1", sources=self.write_sources([GOOD[3]]))
        self.assertEqual(p.returncode, 1, p.output)
        self.assertEqual(self.summary(p), (0, 0, 0, 1), p.output)
        self.assertEqual([r["status"] for r in self.requests("/flaky.txt")], [500, 500])
        self.assertIn("HTTP 500", p.output)

    def test_second_run_skips_complete(self):
        sources = self.good_sources()
        p = self.run_fetch(sources=sources)
        self.assertEqual(p.returncode, 0, p.output)
        before = {n: self.read(n) for n in os.listdir(self.dest) if not n.startswith(".")}
        self.clear_log()
        p = self.run_fetch(sources=sources)
        self.assertEqual(p.returncode, 0, p.output)
        self.assertEqual(self.summary(p), (0, 6, 1, 0), p.output)
        self.assertEqual(self.requests(), [], "a complete file was requested again")
        after = {n: self.read(n) for n in os.listdir(self.dest) if not n.startswith(".")}
        self.assertEqual(before, after)

    def test_resumes_part_file_with_range(self):
        ident = "fr-2018-ai-for-humanity-french-strategy"
        os.makedirs(self.dest)
        with open(os.path.join(self.dest, f"{ident}.pdf.part"), "wb") as f:
            f.write(PDF[:300])
        p = self.run_fetch(sources=self.write_sources([GOOD[1]]))
        self.assertEqual(p.returncode, 0, p.output)
        self.assertEqual(self.summary(p), (1, 0, 0, 0), p.output)
        reqs = self.requests("/docs/strategy.pdf")
        self.assertEqual([(r["range"], r["status"]) for r in reqs], [("bytes=300-", 206)])
        self.assertEqual(self.read(f"{ident}.pdf"), PDF)
        self.assertEqual(self.manifest()["files"][ident]["sha256"], sha256(PDF))
        self.assertFalse(os.path.exists(os.path.join(self.dest, f"{ident}.pdf.part")))

    def test_restarts_when_range_is_not_honoured(self):
        ident = "es-2020-estrategia-nacional-de-inteligencia-artificial"
        os.makedirs(self.dest)
        with open(os.path.join(self.dest, f"{ident}.pdf.part"), "wb") as f:
            f.write(PDF[:300])
        # A part file longer than the document draws a 416: the download starts over.
        ident2 = "fr-2018-ai-for-humanity-french-strategy"
        with open(os.path.join(self.dest, f"{ident2}.pdf.part"), "wb") as f:
            f.write(PDF + b"junk")
        # A 206 for another range than the one asked for is not appended: the download starts over.
        ident3 = "it-2020-proposte-per-una-strategia"
        with open(os.path.join(self.dest, f"{ident3}.pdf.part"), "wb") as f:
            f.write(PDF[:300])
        it = ("strategies", ident3, "/badrange/strategy.pdf",
              {"row": 9, "country": "IT", "year": 2020, "title": "Proposte per una strategia"})
        p = self.run_fetch(sources=self.write_sources([GOOD[1], GOOD[5], it]))
        self.assertEqual(p.returncode, 0, p.output)
        self.assertEqual(self.summary(p), (3, 0, 0, 0), p.output)
        self.assertEqual([(r["range"], r["status"]) for r in self.requests("/badrange/strategy.pdf")],
                         [("bytes=300-", 206), (None, 200)])
        self.assertEqual(self.read(f"{ident3}.pdf"), PDF)
        self.assertEqual([(r["range"], r["status"]) for r in self.requests("/norange/strategy.pdf")],
                         [("bytes=300-", 200)])
        self.assertEqual([(r["range"], r["status"]) for r in self.requests("/docs/strategy.pdf")],
                         [(f"bytes={len(PDF) + 4}-", 416), (None, 200)])
        self.assertEqual(self.read(f"{ident}.pdf"), PDF)
        self.assertEqual(self.read(f"{ident2}.pdf"), PDF)

    def test_changed_or_removed_file_is_downloaded_again(self):
        sources = self.good_sources()
        p = self.run_fetch(sources=sources)
        self.assertEqual(p.returncode, 0, p.output)
        pdf_name = "fr-2018-ai-for-humanity-french-strategy.pdf"
        html_name = "gb-2021-national-ai-strategy.html"
        changed = bytearray(PDF)
        changed[-10] ^= 0xFF  # same size, different content
        with open(os.path.join(self.dest, pdf_name), "wb") as f:
            f.write(changed)
        os.remove(os.path.join(self.dest, html_name))
        self.clear_log()
        p = self.run_fetch(sources=sources)
        self.assertEqual(p.returncode, 0, p.output)
        self.assertEqual(self.summary(p), (2, 4, 1, 0), p.output)
        self.assertEqual(sorted(r["path"] for r in self.requests() if r["status"] == 200),
                         ["/docs/page.html", "/docs/strategy.pdf"])
        self.assertEqual(self.read(pdf_name), PDF)
        self.assertEqual(self.read(html_name), HTML)

    def test_failures_are_reported_and_the_run_goes_on(self):
        entries = [("strategies", None, path, {"row": i, "country": "FR", "year": 2019, "title": ident[8:]})
                   for i, (ident, path, _) in enumerate(BAD)]
        entries[-1][3]["sha256"] = "0" * 64
        entries.insert(3, GOOD[1])
        p = self.run_fetch("--retries", "2", sources=self.write_sources(entries))
        self.assertEqual(p.returncode, 1, p.output)
        self.assertEqual(self.summary(p), (1, 0, 0, len(BAD)), p.output)
        self.assertEqual(self.read("fr-2018-ai-for-humanity-french-strategy.pdf"), PDF)
        files = os.listdir(self.dest)
        for ident, path, reason in BAD:
            line = next((ln for ln in p.output.splitlines() if ident in ln and self.base + path in ln), None)
            self.assertIsNotNone(line, f"{ident} not reported with its url:\n{p.output}")
            self.assertIn(reason, line)
            self.assertNotIn(f"{ident}.yaml", files)
            self.assertFalse([n for n in files if n.startswith(ident + ".") and not n.endswith(".part")], ident)
        self.assertEqual(len(self.requests("/missing.pdf")), 1, "a 404 must not be retried")
        self.assertEqual(len(self.requests("/truncated.pdf")), 3, "a truncated body is retried")
        self.assertNotIn("fr-2019-missing", self.manifest()["files"])

    def test_dry_run_touches_nothing(self):
        p = self.run_fetch("--dry-run", sources=self.good_sources())
        self.assertEqual(p.returncode, 0, p.output)
        self.assertEqual(self.summary(p), (6, 0, 1, 0), p.output)
        self.assertFalse(os.path.exists(self.dest))
        self.assertEqual(self.requests(), [])
        self.assertIn("would download fr-2018-ai-for-humanity-french-strategy", p.stdout)

    def test_country_and_only_filters(self):
        sources = self.good_sources()
        p = self.run_fetch("--country", "de,GB", sources=sources)
        self.assertEqual(p.returncode, 0, p.output)
        self.assertEqual(self.summary(p), (2, 0, 1, 0), p.output)
        self.assertEqual(sorted(n for n in os.listdir(self.dest) if n.endswith(".yaml")),
                         ["de-2020-kunstliche-intelligenz-fortschreibung.yaml", "gb-2021-national-ai-strategy.yaml"])
        p = self.run_fetch("--only", "digests", sources=sources)
        self.assertEqual(p.returncode, 0, p.output)
        self.assertEqual(self.summary(p), (1, 0, 0, 0), p.output)
        self.assertTrue(os.path.exists(os.path.join(self.dest, "mx-2018-estrategia-ia.html")))

    def test_usage_errors_exit_2(self):
        sources = self.good_sources()
        bad_yaml = os.path.join(self.tmp.name, "bad.yaml")
        with open(bad_yaml, "w") as f:
            f.write("strategies: [unclosed\n")
        a_file = os.path.join(self.tmp.name, "a-file")
        open(a_file, "w").close()
        for args, src in ((["--only", "nothing"], sources), (["--retries", "-1"], sources),
                          (["--country", "FRA"], sources), (["--timeout", "0"], sources), ([], bad_yaml),
                          ([], os.path.join(self.tmp.name, "missing.yaml"))):
            with self.subTest(args=args, sources=src):
                p = self.run_fetch(*args, sources=src)
                self.assertEqual(p.returncode, 2, p.output)
        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        p = subprocess.run([sys.executable, SCRIPT, a_file, "--sources", sources], capture_output=True, text=True,
                           timeout=30, env=env)
        self.assertEqual(p.returncode, 2, p.stdout + p.stderr)
        self.assertEqual(self.requests(), [])

    @unittest.skipUnless(os.path.exists(STRATA_INDEX), f"{STRATA_INDEX} is not built")
    def test_indexer_accepts_the_downloads(self):
        p = self.run_fetch(sources=self.good_sources())
        self.assertEqual(p.returncode, 0, p.output)
        c = subprocess.run([STRATA_INDEX, "--check", self.dest], capture_output=True, text=True, timeout=50)
        self.assertEqual(c.returncode, 0, c.stdout + c.stderr)
        self.assertIn(f"documents: {len(GOOD)}", c.stdout)


if __name__ == "__main__":
    prog = unittest.main(exit=False, verbosity=2)
    r = prog.result
    failed = len(r.failures) + len(r.errors) + len(r.unexpectedSuccesses)
    passed = r.testsRun - failed - len(r.skipped) - len(r.expectedFailures)
    if r.skipped:
        print(f"{len(r.skipped)} skipped")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
