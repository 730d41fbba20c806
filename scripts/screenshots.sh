#!/usr/bin/env bash
# Screenshots of the theme for a human look, at a phone width (390 px) and a desktop width (1280 px), in headless
# Chromium: a post with sidenotes that is part 1 of a series, the series' page, and the preview's error overlay
# after a save breaks a post. The pages come from a small scratch site this script writes (the bundled blog has no
# footnotes and no series), previewed by `fanzine serve`. The images are written to a folder (default
# target/screenshots) and never committed. FANZINE=path/to/fanzine uses that binary instead of a release build.
# Usage: scripts/screenshots.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
out=$(realpath -m "${1:-target/screenshots}")
mkdir -p "$out"
command -v chromium >/dev/null || { echo "install chromium first (apt-get install chromium)" >&2; exit 1; }
bin=$(realpath -m "${FANZINE:-target/release/fanzine}")
[ -n "${FANZINE:-}" ] || cargo build --release --quiet
site=$(mktemp -d)
profile=$(mktemp -d)
mkdir -p "$site/content"
cat > "$site/fanzine.toml" <<'TOML'
title = "Screenshots"
author = "A. Writer"
TOML
paragraph="A long-form post needs room for asides. This sentence carries a note,[^a] and the text goes on for a \
while so that the margin has something to sit beside: the reader keeps their place, and the note is there when \
wanted.[^b] Then the argument resumes, with a third aside at the end of its line.[^c]"
{
  printf '+++\ntitle = "Notes in the Margin"\ndate = 2024-01-10\nseries = "Writing Long Posts"\ntags = ["writing"]\n+++\n\n'
  for _ in 1 2 3; do printf '%s\n\n' "$paragraph" | sed 's/\[\^[abc]\]//g'; done
  printf '%s\n\n' "$paragraph"
  for _ in 1 2; do printf '%s\n\n' "$paragraph" | sed 's/\[\^[abc]\]//g'; done
  printf '[^a]: A short note, beside the line that cites it on a wide screen.\n\n'
  printf '[^b]: A second note, a little longer, to show how notes stack in the margin without overlapping.\n\n'
  printf '[^c]: The last note.\n'
} > "$site/content/notes-in-the-margin.md"
printf '+++\ntitle = "Figures and Captions"\ndate = 2024-02-10\nseries = "Writing Long Posts"\ntags = ["writing"]\n+++\n\nThe second part.\n' \
  > "$site/content/figures-and-captions.md"
printf '+++\ntitle = "Cards for Shared Links"\ndate = 2024-03-10\nseries = "Writing Long Posts"\ntags = ["writing"]\n+++\n\nThe third part.\n' \
  > "$site/content/cards-for-shared-links.md"
port=$((20000 + RANDOM % 20000))
(cd "$site" && exec "$bin" serve --port "$port" >/dev/null 2>&1) &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$profile" "$site"' EXIT
wait_for_server "http://127.0.0.1:$port/" 0.2 || true
shoot() { # name path width height
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$profile" --hide-scrollbars \
    --window-size="$3,$4" --screenshot="$out/$1-$3.png" \
    "http://127.0.0.1:$port$2" 2>/dev/null
  echo "$out/$1-$3.png"
}
for width in 390 1280; do
  shoot sidenotes /notes-in-the-margin/ "$width" 2000
  shoot series /series/writing-long-posts/ "$width" 900
done
# A save that breaks the build: the overlay lists the error over the last good page.
printf '+++\ntitle = "Broken"\ndate = 2017-13-01\n+++\nText.\n' > "$site/content/broken.md"
for _ in $(seq 1 50); do
  curl -s "http://127.0.0.1:$port/notes-in-the-margin/" | grep -q 'invalid date' && break
  sleep 0.2
done
for width in 390 1280; do
  shoot overlay /notes-in-the-margin/ "$width" 900
done
