#!/usr/bin/env bash
# Lighthouse scores of the bundled blog's theme, the figures the issue's closing note asks for: builds the site,
# serves public/ on loopback (python3's http.server, so nothing of the preview's live-reload script is measured),
# and runs npm's lighthouse, pinned at 12.2.3, on Node 20 with Debian's chromium, for the home page and the scheduler
# post, mobile and desktop. Prints a table of the four category scores (0-100). Lighthouse is installed into
# target/lighthouse (ignored by git), never globally.
# Usage: scripts/lighthouse.sh [REPORT_DIR]   (default target/lighthouse/reports; the JSON reports are kept there)
# FANZINE=path/to/fanzine uses that binary instead of building a release one.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
version=12.2.3
tools=target/lighthouse
reports=${1:-$tools/reports}
chrome=${CHROME_PATH:-/usr/bin/chromium}
[ -x "$chrome" ] || { echo "install chromium first (apt-get install chromium)" >&2; exit 1; }
node --version | grep -q '^v20\.' || { echo "lighthouse $version is measured on Node 20; found $(node --version)" >&2; exit 1; }
if [ "$(node -p "require('./$tools/node_modules/lighthouse/package.json').version" 2>/dev/null)" != "$version" ]; then
  mkdir -p "$tools"
  npm install --no-audit --no-fund --silent --prefix "$tools" "lighthouse@$version" >&2
fi
mkdir -p "$reports"
port=$((20000 + RANDOM % 20000))
site=$(mktemp -d)
bin=${FANZINE:-target/release/fanzine}
[ -n "${FANZINE:-}" ] || cargo build --release --quiet
"$bin" build --quiet --base-url "http://127.0.0.1:$port" -o "$site/public" >&2
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$site/public" >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$site"' EXIT
wait_for_server "http://127.0.0.1:$port/" 0.1 || true
pages=("home /" "scheduler-post /2017/05/claims-in-the-scheduler/")
printf '%-16s %-8s %12s %14s %15s %4s\n' page form performance accessibility best-practices seo
for entry in "${pages[@]}"; do
  name=${entry%% *}
  path=${entry#* }
  for form in mobile desktop; do
    preset=()
    [ "$form" = desktop ] && preset=(--preset=desktop)
    out="$reports/$name-$form.json"
    CHROME_PATH=$chrome node "$tools/node_modules/lighthouse/cli/index.js" "http://127.0.0.1:$port$path" \
      "${preset[@]}" --quiet --output=json --output-path="$out" \
      --only-categories=performance,accessibility,best-practices,seo \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking" >&2
    node -e '
      const r = require(process.argv[1]);
      const s = (k) => Math.round(r.categories[k].score * 100);
      const row = [process.argv[2], process.argv[3], s("performance"), s("accessibility"), s("best-practices"), s("seo")];
      console.log(`${row[0].padEnd(16)} ${row[1].padEnd(8)} ${String(row[2]).padStart(12)} ${String(row[3]).padStart(14)} ${String(row[4]).padStart(15)} ${String(row[5]).padStart(4)}`);
      for (const [k, c] of Object.entries(r.categories))
        for (const ref of c.auditRefs)
          if (ref.weight > 0 && r.audits[ref.id].score !== null && r.audits[ref.id].score < 1)
            console.error(`  ${process.argv[2]} ${process.argv[3]} ${k}: ${ref.id} (${r.audits[ref.id].score})`);
    ' "$(realpath "$out")" "$name" "$form"
  done
done
