#!/usr/bin/env bash
# Scripting Strata from the shell with curl and jq: run a batch of queries, then turn a
# compare matrix into a table.   usage: batch.sh [BASE_URL]   (default http://127.0.0.1:8765)
set -euo pipefail
BASE="${1:-http://127.0.0.1:8765}"

# 1. A batch: three queries in one request; print query id, document id, country, year.
curl -sf -X POST "$BASE/v1/batch" -H 'Content-Type: application/json' -d '{
  "queries": [
    {"id": "ethics-es", "q": "ética", "country": ["ES", "MX"]},
    {"id": "data",      "q": "\"open data\" OR datos", "crosslingual": false},
    {"id": "compute",   "q": "supercomputer", "per_page": 3}
  ],
  "defaults": {"facets": "none", "per_page": 5}
}' | jq -r '.results[] | .id as $q
            | if .error then "\($q)\tERROR\t\(.error.message)"
              else .result.hits[] | "\($q)\t\(.id)\t\(.country)\t\(.year)" end'

echo

# 2. A compare matrix (countries × themes) as a table: one line per country, share in %.
curl -sf "$BASE/v1/compare?themes=ethics,data&best=false" \
  | jq -r '(["country"] + [.columns[].value]) as $head
           | ($head | @tsv),
             (.cells | group_by(.row)[] | [.[0].row] + [.[] | (.share * 100 | round | tostring) + "%"] | @tsv)'
