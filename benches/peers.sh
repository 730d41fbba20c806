#!/usr/bin/env bash
# fanzine vs Zola 0.21 and Hugo: clean-build time and memory on the synthetic
# corpus.
#
# What it measures: for each corpus size N, with syntax highlighting on and
# off, the wall-clock time, the CPU time (user + sys, so parallelism shows up
# as CPU > wall) and the peak resident memory of one complete build from an
# empty output directory, for fanzine (--flavor plain corpus), Zola 0.21
# (--flavor zola, the same stack: pulldown-cmark, Tera, syntect) and Hugo
# (--flavor hugo). The corpora hold byte-identical Markdown bodies; only front
# matter syntax and site wrapper differ (see make-corpus.py). The ratios
# compare fanzine with Zola, the peer the project measures itself against.
#
# Why interleaved medians: a shared machine drifts (other jobs, thermal
# throttling, page cache). Running fanzine, hugo, fanzine, hugo... spreads any
# drift over both tools instead of penalising whichever ran second, and the
# median of RUNS samples ignores the odd outlier that a mean would absorb.
# One untimed warm-up build per tool and size comes first (WARMUP=0 skips it),
# so neither tool pays alone for a cold page cache.
#
# Usage: benches/peers.sh
#   POSTS="1000 10000"  corpus sizes (add 100000 for the large row; with
#                       CORPORA set, each corpus is generated once and kept)
#   HIGHLIGHT="on off"  syntax highlighting settings to measure
#   CORPORA=dir         keep generated corpora here and reuse them (default:
#                       a temporary folder, removed on exit)
#   RUNS=3              timed builds per tool and size (3 keeps the whole run
#                       of both sizes under 5 minutes here)
#   CACHED=1            also time a second fanzine build with nothing changed
#                       (default; 0 skips it), reported as "fanzine (cached)":
#                       it reuses the Markdown cache (.fanzine-cache/) and
#                       links its spare output folder from the clean build's;
#                       then a third with one post edited, "fanzine (one post
#                       edited)"
#   WARMUP=1            untimed builds per tool and size before timing
#   FANZINE_BIN=path    binary to measure (default target/release/fanzine,
#                       built with cargo only if unset and missing);
#                       FANZINE_BIN=/bin/true times the Hugo half alone
#   CORPUS_SCRIPT=path  default <repo>/../shared/bench/make-corpus.py
#   HUGO=hugo           Hugo binary (installed with apt-get when missing)
#   ZOLA=path           default <repo>/../shared/peers/zola-0.21; ZOLA=/bin/true
#                       leaves it out
#
# Needs bash, python3, GNU time (/usr/bin/time, package "time"); hyperfine is
# not used. Temporary corpora and outputs live in one temp dir removed on exit.
set -euo pipefail

POSTS=${POSTS:-"1000 10000"}
HIGHLIGHT=${HIGHLIGHT:-"on off"}
RUNS=${RUNS:-3}
CACHED=${CACHED:-1}
WARMUP=${WARMUP:-1}
HUGO=${HUGO:-hugo}
TIME=/usr/bin/time

repo_root() {
  git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel
}

SCRIPT=peers.sh
# die, log, apt_install
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_tools() {
  if [[ ! -x $TIME ]]; then
    log "GNU time missing; installing package 'time'"
    apt_install time || die "need $TIME: install the 'time' package and retry"
  fi
  if ! command -v "$HUGO" >/dev/null; then
    log "Hugo missing; installing package 'hugo'"
    apt_install hugo || die "could not install Hugo (not root and no working sudo?); install it from your package manager or https://gohugo.io and retry"
    command -v "$HUGO" >/dev/null || die "Hugo still not found as '$HUGO' after installing"
  fi
  [[ -x $ZOLA ]] || die "Zola not found at $ZOLA (set ZOLA=path, or ZOLA=/bin/true to leave it out)"
  command -v python3 >/dev/null || die "need python3 to generate the corpus"
  [[ -f $CORPUS_SCRIPT ]] || die "corpus script not found: $CORPUS_SCRIPT (set CORPUS_SCRIPT)"
}

# ensure_fanzine: build the release binary only when the caller did not pick
# one and none exists, so a benchmark never triggers a surprise rebuild.
ensure_fanzine() {
  if [[ -z ${FANZINE_BIN:-} ]]; then
    FANZINE_BIN=$ROOT/target/release/fanzine
    if [[ ! -x $FANZINE_BIN ]]; then
      log "building fanzine (cargo build --release)"
      (cd "$ROOT" && cargo build --release) >&2
    fi
  fi
  [[ -x $FANZINE_BIN ]] || die "fanzine binary not executable: $FANZINE_BIN"
  "$FANZINE_BIN" build --help >/dev/null 2>&1 ||
    die "'$FANZINE_BIN build --help' failed: no build subcommand yet? (FANZINE_BIN=/bin/true measures Hugo alone)"
}

print_machine() {
  local cpu fz commit
  cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
  echo "## Machine"
  echo
  echo "- CPU: ${cpu:-unknown} ($(nproc) cores online, $(uname -m))"
  fz=$("$FANZINE_BIN" --version 2>/dev/null | head -n 1 || true)
  commit=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)
  echo "- fanzine: ${fz:-unknown version} ($FANZINE_BIN, repo at $commit)"
  echo "- hugo: $("$HUGO" version | head -n 1)"
  echo "- zola: $("$ZOLA" --version 2>/dev/null | head -n 1) ($ZOLA)"
  echo "- runs: $RUNS per tool and size, interleaved, warm-up $WARMUP, medians shown"
  echo
}

# make_corpora N HL: the three flavours of one corpus, in $CORPORA; kept ones
# are reused.
make_corpora() {
  local n=$1 hl=$2 flavor flags=()
  [[ $hl == off ]] && flags+=(--no-highlight)
  for flavor in plain hugo zola; do
    [[ -d $CORPORA/$flavor-$n-$hl ]] && continue
    python3 "$CORPUS_SCRIPT" --posts "$n" --seed 1 --out "$CORPORA/$flavor-$n-$hl" --flavor "$flavor" \
      --zola-version 0.21 "${flags[@]}"
  done
  # make-corpus.py's plain flavour has no config file, so --no-highlight cannot reach fanzine: say it here.
  if [[ $hl == off ]]; then
    printf '[highlight]\nenabled = false\n' >"$CORPORA/plain-$n-$hl/fanzine.toml"
  fi
}

# timed LABEL N CMD...: run CMD under GNU time and append
# "N<TAB>LABEL<TAB>wall<TAB>cpu<TAB>peak_kib" to the results file.
timed() {
  local label=$1 n=$2 wall user sys rss
  shift 2
  # Each build starts with nothing left to flush: otherwise the previous
  # build's writes (often the other tool's) are written back during this one.
  sync
  if ! "$TIME" -f '%e %U %S %M' -o "$WORK/time" "$@" >"$WORK/run.log" 2>&1; then
    tail -n 20 "$WORK/run.log" >&2
    die "$label build of $n posts failed: $*"
  fi
  read -r wall user sys rss <"$WORK/time"
  printf '%s\t%s\t%s\t%s\t%s\n' "$n" "$label" "$wall" \
    "$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')" "$rss" >>"$RESULTS"
}

# set_aside PATH...: move what an earlier build left out of the way, to be
# deleted after the timed runs. Deleting it right before a build would bill
# the build for the file system's bookkeeping: ext4 skips inodes freed in the
# last minutes when it allocates new ones, which made clean builds of 1,000
# posts drift from 1.2 to 1.8 s over four runs on this machine (system time
# 0.3 -> 1.7 s), for fanzine and Hugo alike.
set_aside() {
  local path
  mkdir -p "$WORK/trash"
  for path in "$@"; do
    if [[ -e $path ]]; then
      mv "$path" "$(mktemp -d "$WORK/trash/XXXXXX")/"
    fi
  done
}

# One build of each kind: fanzine_clean N [RUNNER], RUNNER being timed (the
# default) or untimed. Clean builds start from nothing: no output directory,
# no spare beside it and no .fanzine-cache for fanzine; no resources/ or
# module/image cache for Hugo.
fanzine_clean() {
  local n=$1 out=$WORK/out-fanzine
  set_aside "$out" "$WORK/.out-fanzine.spare" "$CORPORA/plain-$n/.fanzine-cache"
  "${2:-timed}" fanzine "$n" "$FANZINE_BIN" build --root "$CORPORA/plain-$n" --output-dir "$out"
}

# A second build with nothing changed, right after a clean one: the Markdown
# comes from the cache, and the spare output folder is made from the clean
# build's with hard links, so no page is written (folders still are).
fanzine_cached() {
  local n=$1 out=$WORK/out-fanzine
  "${2:-timed}" "fanzine (cached)" "$n" "$FANZINE_BIN" build --root "$CORPORA/plain-$n" --output-dir "$out"
}

# Then a build after one post's text changed (a line appended, the post's
# original put back afterwards so that the corpus stays as generated): the
# other posts' Markdown comes from the cache.
fanzine_edited() {
  local n=$1 out=$WORK/out-fanzine post
  # sed reads to the end: `head` would close the pipe early, and under pipefail sort's SIGPIPE ended the script.
  post=$(find "$CORPORA/plain-$n/content" -name '*.md' ! -name '_index.md' | sort | sed -n 1p)
  cp "$post" "$WORK/post.orig"
  printf '\nOne more line.\n' >>"$post"
  "${2:-timed}" "fanzine (one post edited)" "$n" "$FANZINE_BIN" build --root "$CORPORA/plain-$n" --output-dir "$out"
  cp "$WORK/post.orig" "$post"
}

hugo_clean() {
  local n=$1 out=$WORK/out-hugo
  set_aside "$out" "$CORPORA/hugo-$n/resources" "$HUGO_CACHEDIR"
  "${2:-timed}" hugo "$n" "$HUGO" --source "$CORPORA/hugo-$n" --destination "$out" --quiet
}

zola_clean() {
  local n=$1 out=$WORK/out-zola
  set_aside "$out"
  "${2:-timed}" zola "$n" "$ZOLA" --root "$CORPORA/zola-$n" build --output-dir "$out" --force
}

# untimed LABEL N CMD...: same call shape as timed, result discarded.
untimed() {
  shift 2
  "$@" >/dev/null 2>&1 || die "warm-up failed: $*"
}

# bench_size N HL: every tool on one corpus; results are keyed "N-HL".
bench_size() {
  local n=$1 hl=$2 i key=$1-$2
  log "corpus: $n posts, highlighting $hl"
  make_corpora "$n" "$hl" 2>&1 | sed 's/^/  /' >&2
  for ((i = 0; i < WARMUP; i++)); do
    fanzine_clean "$key" untimed
    zola_clean "$key" untimed
    hugo_clean "$key" untimed
  done
  for ((i = 1; i <= RUNS; i++)); do
    log "  run $i/$RUNS"
    fanzine_clean "$key"
    if [[ $CACHED == 1 ]]; then
      fanzine_cached "$key"
      fanzine_edited "$key"
    fi
    zola_clean "$key"
    hugo_clean "$key"
  done
  set_aside "$WORK/out-fanzine" "$WORK/out-hugo" "$WORK/out-zola"
}

# print_table: medians per (posts, tool) from the results file, as Markdown.
# Ratios compare each fanzine row with Zola and Hugo on the same corpus (< 1:
# fanzine is faster / smaller).
print_table() {
  echo "| posts, highlighting | tool | median wall s | median CPU s | median peak MiB | wall / Zola | memory / Zola | wall / Hugo |"
  echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  awk -F'\t' '
    function median(list,   v, c, i, k, x) {
      c = split(list, v, " ")
      # insertion sort: RUNS is small
      for (i = 2; i <= c; i++) {
        x = v[i] + 0
        for (k = i - 1; k >= 1 && v[k] + 0 > x; k--) v[k + 1] = v[k]
        v[k + 1] = x
      }
      return c % 2 ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2
    }
    {
      key = $1 SUBSEP $2
      if (!(key in wall)) order[++keys] = key
      wall[key] = wall[key] " " $3; cpu[key] = cpu[key] " " $4; rss[key] = rss[key] " " $5
    }
    END {
      for (j = 1; j <= keys; j++) {
        key = order[j]; mw[key] = median(wall[key]); mc[key] = median(cpu[key])
        mm[key] = median(rss[key]) / 1024
      }
      for (j = 1; j <= keys; j++) {
        key = order[j]; split(key, part, SUBSEP)
        zola = part[1] SUBSEP "zola"; hugo = part[1] SUBSEP "hugo"
        zw = zm = hw = "—"
        if (part[2] ~ /^fanzine/) {
          if ((zola in mw) && mw[zola] > 0) { zw = sprintf("%.2f", mw[key] / mw[zola]); zm = sprintf("%.2f", mm[key] / mm[zola]) }
          if ((hugo in mw) && mw[hugo] > 0) hw = sprintf("%.2f", mw[key] / mw[hugo])
        }
        shown = part[1]; sub(/-on$/, ", on", shown); sub(/-off$/, ", off", shown)
        printf "| %s | %s | %.2f | %.2f | %.1f | %s | %s | %s |\n", shown, part[2], mw[key], mc[key], mm[key], zw, zm, hw
      }
    }' "$RESULTS"
}

main() {
  [[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer, got '$RUNS'"
  [[ $WARMUP =~ ^[0-9]+$ ]] || die "WARMUP must be a non-negative integer, got '$WARMUP'"
  ROOT=$(repo_root) || die "run from inside the fanzine repository"
  CORPUS_SCRIPT=${CORPUS_SCRIPT:-$ROOT/../shared/bench/make-corpus.py}
  ZOLA=${ZOLA:-$ROOT/../shared/peers/zola-0.21}
  ensure_tools
  ensure_fanzine

  WORK=$(mktemp -d "${TMPDIR:-/tmp}/fanzine-peers.XXXXXX")
  trap 'rm -rf "$WORK"' EXIT
  RESULTS=$WORK/results.tsv
  : >"$RESULTS"
  # Keep Hugo's cache inside the temp dir so clean builds are really clean.
  export HUGO_CACHEDIR=$WORK/hugo-cache

  if [[ -z ${CORPORA:-} ]]; then
    CORPORA=$WORK/corpora
  fi
  mkdir -p "$CORPORA"
  local n hl
  for n in $POSTS; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || die "POSTS entries must be positive integers, got '$n'"
    for hl in $HIGHLIGHT; do
      [[ $hl == on || $hl == off ]] || die "HIGHLIGHT entries are on or off, got '$hl'"
      bench_size "$n" "$hl"
    done
  done

  print_machine
  print_table
}

main "$@"
