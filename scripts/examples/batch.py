#!/usr/bin/env python3
"""Scripting Strata from Python's standard library: run a batch of queries, then turn a
compare matrix into a table.   usage: batch.py [BASE_URL]   (default http://127.0.0.1:8765)"""
import json
import sys
import urllib.parse
import urllib.request

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8765"


def post(path, body):
    req = urllib.request.Request(BASE + path, data=json.dumps(body).encode("utf-8"),
                                 headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.load(r)


def get(path, **params):
    with urllib.request.urlopen(BASE + path + "?" + urllib.parse.urlencode(params), timeout=60) as r:
        return json.load(r)


# 1. A batch: each result is tagged with its query id; a bad query has its own error.
batch = post("/v1/batch", {
    "queries": [
        {"id": "ethics-es", "q": "ética", "country": ["ES", "MX"]},
        {"id": "data", "q": '"open data" OR datos', "crosslingual": False},
        {"id": "compute", "q": "supercomputer", "per_page": 3},
    ],
    "defaults": {"facets": "none", "per_page": 5},
})
for line in batch["results"]:
    if "error" in line:
        print(line["id"], "ERROR", line["error"]["message"], sep="\t")
        continue
    for hit in line["result"]["hits"]:
        print(line["id"], hit["id"], hit["country"], hit["year"], sep="\t")

print()

# 2. A compare matrix as a table: rows are countries, columns themes, cells the share.
matrix = get("/v1/compare", themes="ethics,data", best="false")
columns = [c["value"] for c in matrix["columns"]]
shares = {(c["row"], c["column"]): c["share"] for c in matrix["cells"]}
print("country", *columns, sep="\t")
for row in matrix["rows"]:
    print(row["value"], *(f"{round(shares[(row['value'], c)] * 100)}%" for c in columns), sep="\t")
