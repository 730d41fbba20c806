#!/usr/bin/env bash
# Screenshots of the bundled blog for a human look at the theme: the home page and the scheduler post, at a phone
# width (390 px) and a desktop width (1280 px), in headless Chromium. The images are written to a folder (default
# target/screenshots) and never committed.
# Usage: scripts/screenshots.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/screenshots}
mkdir -p "$out"
command -v chromium >/dev/null || { echo "install chromium first (apt-get install chromium)" >&2; exit 1; }
cargo build --release --quiet
port=$((20000 + RANDOM % 20000))
target/release/fanzine serve --port "$port" >/dev/null 2>&1 &
server=$!
profile=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$profile"' EXIT
for _ in $(seq 1 100); do
  curl -sf -o /dev/null "http://127.0.0.1:$port/" && break
  sleep 0.2
done
shoot() { # name path width height
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$profile" --hide-scrollbars \
    --window-size="$3,$4" --screenshot="$out/$1-$3.png" "http://127.0.0.1:$port$2" 2>/dev/null
  echo "$out/$1-$3.png"
}
for width in 390 1280; do
  shoot home / "$width" 2400
  shoot scheduler-post /2017/05/claims-in-the-scheduler/ "$width" 9000
done
