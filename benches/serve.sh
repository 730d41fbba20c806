#!/usr/bin/env bash
# fanzine serve under load: save-to-reload latency and page throughput on the synthetic corpus.
#
# What it measures, on one corpus of POSTS posts (default 10,000, make-corpus.py --flavor plain --seed 1):
# 1. the median time from saving one post to the reload event on the live-reload stream
#    (benches/serve-latency.py: EDITS edits of the same post, each waited for);
# 2. requests per second serving a post page and the home page under wrk (DURATION seconds, CONNECTIONS
#    connections, 2 threads), with the count of errors and non-2xx answers, which must be zero.
# The server runs in the background on a free port and is stopped (by its pid) on exit. Only loopback is used.
#
# Usage: benches/serve.sh
#   POSTS=10000 EDITS=15 DURATION=10 CONNECTIONS=32
#   FANZINE_BIN=path   binary to measure (default target/release/fanzine, built with cargo if missing)
#   CORPUS=dir         reuse a generated corpus instead of a temporary one
#   CORPUS_SCRIPT=path default <repo>/../shared/bench/make-corpus.py
# Needs python3 and wrk (installed with apt-get when missing).
set -euo pipefail

POSTS=${POSTS:-10000}
EDITS=${EDITS:-15}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-32}
ROOT=$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)
CORPUS_SCRIPT=${CORPUS_SCRIPT:-$ROOT/../shared/bench/make-corpus.py}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
FANZINE_BIN=${FANZINE_BIN:-$TARGET/release/fanzine}
SCRIPT=serve.sh
source "$ROOT/benches/lib.sh"

need_tool wrk
command -v python3 >/dev/null || die "need python3"
build_if_missing "$FANZINE_BIN"

WORK=$(mktemp -d)
SERVER=""
cleanup() {
  if [[ -n $SERVER ]]; then kill -INT "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if [[ -z ${CORPUS:-} ]]; then
  CORPUS=$WORK/corpus
  log "generating $POSTS posts"
  python3 "$CORPUS_SCRIPT" --posts "$POSTS" --seed 1 --out "$CORPUS" --flavor plain >&2
fi

"$FANZINE_BIN" serve --root "$CORPUS" --port 0 2>"$WORK/serve.log" &
SERVER=$!
log "waiting for the first build (server pid $SERVER)"
for _ in $(seq 1 1200); do
  grep -q '^serving ' "$WORK/serve.log" && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/serve.log" >&2; die "the server exited"; }
  sleep 0.5
done
URL=$(grep -m1 -o 'http://[^ ]*/' "$WORK/serve.log")
[[ -n $URL ]] || die "the server did not come up within 10 minutes"
ADDR=${URL#http://}; ADDR=${ADDR%/}
grep '^built ' "$WORK/serve.log" >&2 || true

POST=$(find "$CORPUS/content" -name '*.md' | sort | sed -n '5000p')
[[ -n $POST ]] || POST=$(find "$CORPUS/content" -name '*.md' | sort | sed -n 1p)
echo "== save-to-reload latency ($EDITS edits of ${POST#$CORPUS/})"
python3 "$ROOT/benches/serve-latency.py" "$ADDR" "$POST" "$EDITS"
grep ' changed: ' "$WORK/serve.log" | tail -3

PAGE=$(curl -s "$URL" | grep -o "href=\"$URL[^\"]*/\"" | sed -n '5p' | sed "s|href=\"$URL||; s|\"||")
for path in "$PAGE" ""; do
  echo "== wrk: /$path for ${DURATION}s, $CONNECTIONS connections"
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$URL$path" | tee "$WORK/wrk.txt"
  if grep -q -E 'Socket errors|Non-2xx' "$WORK/wrk.txt"; then die "wrk saw errors on /$path"; fi
done
