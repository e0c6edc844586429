#!/usr/bin/env python3
"""Runs every example of README.md against the bundled corpus, and checks that each finds
something.   usage: readme_examples.py README BASE_URL INDEX_DIR BUILD_DIR

An example is a `curl` or `build/cli/strata` command of a ```sh block (continued lines
joined), or a whole ```python or ```r block. The README's address http://127.0.0.1:8765 is
replaced by the test daemon's, build/ by the build directory, and the CLI searches
INDEX_DIR. Each must exit 0 and print something; a JSON answer must have hits or non-empty
cells; a CLI command is run again with --format json and checked the same way; and every
query id of a batch in the example must begin a line of its output.
"""
import json
import os
import re
import shutil
import subprocess
import sys

README, BASE, INDEX, BUILD = sys.argv[1:5]


def examples(text):
    """(language, code) for each runnable example, in README order."""
    out = []
    for lang, body in re.findall(r"^```(\w+)\n(.*?)^```", text, re.S | re.M):
        if lang in ("python", "r"):
            if "127.0.0.1:8765" in body:
                out.append((lang, body))
            continue
        if lang != "sh":
            continue
        joined = re.sub(r"\\\n\s*", " ", body)
        for line in joined.splitlines():
            line = line.strip()
            if line.startswith("curl ") or line.startswith("build/cli/strata "):
                out.append(("sh", line))
    return out


def localise(code):
    code = code.replace("http://127.0.0.1:8765", BASE)
    return re.sub(r"(^|\s)build/", lambda m: m.group(1) + BUILD + "/", code)


def found_in_json(j):
    """Why a JSON answer found nothing, or None when it found something."""
    if isinstance(j, dict) and "results" in j:
        for line in j["results"]:
            if "error" in line or line["result"]["total"] == 0:
                return "batch query %s found nothing" % line.get("id")
        return None
    if isinstance(j, dict) and "total" in j:
        return None if j["total"] > 0 else "total is 0"
    if isinstance(j, dict) and "cells" in j:
        return None if any(c["passages"] > 0 for c in j["cells"]) else "every cell is empty"
    return None


def run(lang, code):
    env = dict(os.environ, STRATA_INDEX=INDEX)
    if lang == "python":
        argv = [sys.executable, "-c", localise(code)]
    elif lang == "r":
        argv = ["Rscript", "-e", localise(code)]
    else:
        argv = ["bash", "-o", "pipefail", "-c", localise(code)]
    p = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120)
    return p.returncode, p.stdout, p.stderr


def check(lang, code):
    rc, out, err = run(lang, code)
    if rc != 0:
        return "exit status %d: %s" % (rc, err.strip()[:300])
    if not out.strip():
        return "printed nothing"
    try:
        why = found_in_json(json.loads(out))
        if why:
            return why
    except ValueError:
        pass
    for qid in re.findall(r'"id":\s*"([^"]+)"', code):
        if not re.search(r"^%s\s" % re.escape(qid), out, re.M):
            return "batch query %r found nothing" % qid
    if lang == "sh" and code.startswith("build/cli/strata ") and "--format" not in code:
        rc, out, err = run(lang, code + " --format json")
        why = "exit status %d: %s" % (rc, err.strip()[:300]) if rc else found_in_json(json.loads(out))
        if why:
            return "with --format json: " + why
    return None


def main():
    text = open(README, encoding="utf-8").read()
    have_r = shutil.which("Rscript") and subprocess.run(["Rscript", "-e", "library(jsonlite)"], capture_output=True).returncode == 0
    failed = ran = 0
    for lang, code in examples(text):
        if lang == "r" and not have_r:
            print("SKIPPED (no R with jsonlite): " + code.splitlines()[0])
            continue
        ran += 1
        why = check(lang, code)
        print(("FAILED: " if why else "ok: ") + code.splitlines()[0][:100] + ("\n    " + why if why else ""))
        failed += bool(why)
    if ran < 5:
        print("only %d examples found in %s" % (ran, README))
        failed += 1
    print("%d examples, %d failed" % (ran, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
