#!/usr/bin/env bash
# Runs the scripting examples in scripts/examples/ against a real daemon on loopback, or
# with "readme" every example of README.md against the bundled corpus (readme_examples.py).
#   examples_test.sh shell|python|r|r-trend|readme   (scripts/setup installs R and jsonlite;
#   without them the R examples exit 77, "skipped")
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${STRATA_BUILD_DIR:-$ROOT/build}"
which_one="$1"
if [ "$which_one" = r ] || [ "$which_one" = r-trend ]; then
  if ! command -v Rscript >/dev/null || ! Rscript -e 'library(jsonlite)' >/dev/null 2>&1; then
    echo "SKIPPED: R with jsonlite is not installed; the R example was not run"
    exit 77
  fi
fi
TMP="$(mktemp -d)"
cleanup() { [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
CORPUS="$ROOT/tests/data/corpus"
[ "$which_one" = readme ] && CORPUS="$ROOT/corpus"
"$BUILD/indexer/strata-index" "$CORPUS" "$TMP/idx" --quiet > /dev/null
"$BUILD/searchd/strata-searchd" --index "$TMP/idx" --listen 127.0.0.1:0 2> "$TMP/log" &
PID=$!
for _ in $(seq 1 100); do grep -q "listening on" "$TMP/log" && break; sleep 0.05; done
PORT="$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$TMP/log" | head -n 1)"
[ -n "$PORT" ] || { echo "daemon did not start"; cat "$TMP/log"; exit 1; }
BASE="http://127.0.0.1:$PORT"
case "$which_one" in
  shell) out="$("$ROOT/scripts/examples/batch.sh" "$BASE")" ;;
  python) out="$(/usr/bin/python3 "$ROOT/scripts/examples/batch.py" "$BASE")" ;;
  r) out="$(Rscript "$ROOT/scripts/examples/batch.R" "$BASE")" ;;
  r-trend) out="$(Rscript "$ROOT/scripts/examples/trend.R" "$BASE" datos "$TMP/trend.pdf")" ;;
  readme) /usr/bin/python3 "$ROOT/tests/readme_examples.py" "$ROOT/README.md" "$BASE" "$TMP/idx" "$BUILD"; exit 0 ;;  # set -e: a failure exits with its status
  *) echo "usage: $0 shell|python|r|r-trend|readme"; exit 2 ;;
esac
echo "$out"
fail=0
expect() { if ! grep -qE "$1" <<<"$out"; then echo "MISSING: $1"; fail=1; fi; }
if [ "$which_one" = r-trend ]; then
  expect $'^country\tyear\toccurrences\tper_million\tdocuments\tdocuments_total$'
  expect $'^MX\t2018\t[1-9][0-9]*\t[0-9.]+\t1\t1$'
  expect $'^ES\t2020\t[1-9]'
  [ -s "$TMP/trend.pdf" ] || { echo "MISSING: the chart $TMP/trend.pdf"; fail=1; }
  [ "$fail" = 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
  exit "$fail"
fi
expect $'^ethics-es\tes-2020-test-estrategia\tES\t2020'
expect $'^data\tgb-2021-test-strategy\tGB\t2021'
if [ "$which_one" != r ]; then
  expect $'^country\tethics\tdata$'
  expect $'^GB\t[0-9]+%\t[0-9]+%$'
else
  expect 'ethics'
fi
[ "$fail" = 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
exit "$fail"
