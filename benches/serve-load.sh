#!/usr/bin/env bash
# fanzine serve under load while posts are edited: many connections fetch pages for DURATION seconds while a loop
# rewrites one post (alternating two versions, each saved the way editors do: a temporary file renamed over it),
# so the server rebuilds and swaps its output throughout. Prints requests, connections, rebuilds, socket errors,
# non-2xx answers and bodies that were incomplete or mixed two versions; exits 1 unless all of those are zero.
#
# What "mixed" means: the edited post carries LOADMARK-A or LOADMARK-B in its body; a page with both or neither
# would be half of one build and half of another. Loopback only; the server and the edit loop are stopped (by pid)
# on exit.
#
# Usage: benches/serve-load.sh
#   POSTS=1000 DURATION=20 CONNECTIONS=256 THREADS=2 EDIT_EVERY=0.2
#   FANZINE_BIN=path   binary to measure (default target/release/fanzine, built with cargo if missing)
#   CORPUS_SCRIPT=path default <repo>/../shared/bench/make-corpus.py
# Needs python3, curl and wrk (wrk is installed with apt-get when missing).
set -euo pipefail

POSTS=${POSTS:-1000}
DURATION=${DURATION:-20}
CONNECTIONS=${CONNECTIONS:-256}
THREADS=${THREADS:-2}
EDIT_EVERY=${EDIT_EVERY:-0.2}
ROOT=$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)
CORPUS_SCRIPT=${CORPUS_SCRIPT:-$ROOT/../shared/bench/make-corpus.py}
FANZINE_BIN=${FANZINE_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/release/fanzine}
SCRIPT=serve-load.sh
source "$ROOT/benches/lib.sh"

need_tool wrk
command -v python3 >/dev/null && command -v curl >/dev/null || die "need python3 and curl"
build_if_missing "$FANZINE_BIN"

WORK=$(mktemp -d)
SERVER="" EDITOR_LOOP=""
cleanup() {
  if [[ -n $EDITOR_LOOP ]]; then kill "$EDITOR_LOOP" 2>/dev/null || true; wait "$EDITOR_LOOP" 2>/dev/null || true; fi
  if [[ -n $SERVER ]]; then kill -INT "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

log "generating $POSTS posts"
python3 "$CORPUS_SCRIPT" --posts "$POSTS" --seed 1 --out "$WORK/corpus" --flavor plain >&2
POST=$(find "$WORK/corpus/content" -name '*.md' | sort | sed -n 1p)
SLUG=$(basename "$POST" .md)
cp "$POST" "$WORK/original.md"
# version A|B: the original post with a marker paragraph after the front matter's closing +++.
version() { awk -v m="LOADMARK-$1" '{ print } /^\+\+\+$/ && ++n == 2 { print ""; print m; print "" }' "$WORK/original.md"; }
version A >"$WORK/A.md"
version B >"$WORK/B.md"
cp "$WORK/A.md" "$POST"

"$FANZINE_BIN" serve --root "$WORK/corpus" --port 0 2>"$WORK/serve.log" &
SERVER=$!
for _ in $(seq 1 600); do
  grep -q '^serving ' "$WORK/serve.log" && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/serve.log" >&2; die "the server exited"; }
  sleep 0.5
done
URL=$(grep -o 'http://[^ ]*/' "$WORK/serve.log" | sed -n 1p)
[[ -n $URL ]] || die "the server did not come up within 5 minutes"
grep '^built ' "$WORK/serve.log" >&2 || true

# Pages are fetched to files first: `curl | grep -q` would end curl with SIGPIPE, which pipefail turns into a failure.
curl -s "${URL}sitemap.xml" >"$WORK/sitemap.xml"
PAGE=$(grep -o "<loc>$URL[^<]*$SLUG[^<]*/</loc>" "$WORK/sitemap.xml" | sed "s|<loc>$URL|/|; s|</loc>||" | sed -n 1p)
[[ -n $PAGE ]] || die "the edited post $SLUG is not in the sitemap"
curl -s "$URL${PAGE#/}" >"$WORK/page.html"
grep -q LOADMARK-A "$WORK/page.html" || die "the edited post $PAGE does not show its marker"
TAG=$(grep -o "href=\"${URL}tags/[^\"]*/\"" "$WORK/page.html" | sed "s|href=\"$URL|/|; s|\"||" | sed -n 1p)
export PATHS="$PAGE,/,/tags/,${TAG:-/archive/},/atom.xml,/style.css" EDITED="$PAGE"

(
  edits=0
  while :; do
    for v in B A; do
      cp "$WORK/$v.md" "$WORK/corpus/content/posts/.$SLUG.md.tmp"
      mv "$WORK/corpus/content/posts/.$SLUG.md.tmp" "$POST"
      edits=$((edits + 1)); echo "$edits" >"$WORK/edits"
      sleep "$EDIT_EVERY"
    done
  done
) &
EDITOR_LOOP=$!

echo "== wrk: $CONNECTIONS connections, $THREADS threads, ${DURATION}s over $PATHS, editing $PAGE every ${EDIT_EVERY}s"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency -s "$ROOT/benches/serve-load.lua" "$URL" \
  | tee "$WORK/wrk.txt"
kill "$EDITOR_LOOP"; wait "$EDITOR_LOOP" 2>/dev/null || true; EDITOR_LOOP=""
sleep 1
rebuilds=$(grep -c ' changed: rebuilt' "$WORK/serve.log" || true)
failed_builds=$(grep -c 'build failed' "$WORK/serve.log" || true)
requests=$(grep -o '^ *[0-9]* requests in' "$WORK/wrk.txt" | grep -o '[0-9]*' | sed -n 1p)
echo "== summary: $requests requests, $CONNECTIONS connections, ${DURATION}s, $(cat "$WORK/edits") edits, $rebuilds rebuilds ($failed_builds failed)"
grep ' changed: ' "$WORK/serve.log" | tail -2

grep -q 'checked [0-9]* responses: 0 incomplete bodies, 0 with both or neither edit marker, 0 not 200' "$WORK/wrk.txt" \
  || die "some answers were incomplete, mixed or not 200"
grep -q 'socket errors: connect 0, read 0, write 0, timeout 0; non-2xx/3xx 0' "$WORK/wrk.txt" || die "wrk saw errors"
((rebuilds > 0)) || die "the server never rebuilt during the load"
((failed_builds == 0)) || die "a rebuild failed during the load"
