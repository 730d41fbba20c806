#!/usr/bin/env bash
# fanzine vs Hugo: clean-build time and memory on the synthetic corpus.
#
# What it measures: for each corpus size N, the wall-clock time, the CPU time
# (user + sys, so parallelism shows up as CPU > wall) and the peak resident
# memory of one complete build from an empty output directory, for fanzine
# (--flavor plain corpus) and Hugo (--flavor hugo corpus). Both corpora hold
# byte-identical Markdown bodies; only front matter syntax and site wrapper
# differ (see make-corpus.py).
#
# Why interleaved medians: a shared machine drifts (other jobs, thermal
# throttling, page cache). Running fanzine, hugo, fanzine, hugo... spreads any
# drift over both tools instead of penalising whichever ran second, and the
# median of RUNS samples ignores the odd outlier that a mean would absorb.
# One untimed warm-up build per tool and size comes first (WARMUP=0 skips it),
# so neither tool pays alone for a cold page cache.
#
# Usage: benches/peers.sh
#   POSTS="1000 10000"  corpus sizes
#   RUNS=3              timed builds per tool and size (3 keeps the whole run
#                       of both sizes under 5 minutes here)
#   CACHED=1            also time a second fanzine build with nothing changed
#                       (default; 0 skips it), reported as "fanzine (cached)":
#                       it reuses the Markdown cache (.fanzine-cache/) and
#                       links its spare output folder from the clean build's
#   WARMUP=1            untimed builds per tool and size before timing
#   FANZINE_BIN=path    binary to measure (default target/release/fanzine,
#                       built with cargo only if unset and missing);
#                       FANZINE_BIN=/bin/true times the Hugo half alone
#   CORPUS_SCRIPT=path  default <repo>/../shared/bench/make-corpus.py
#   HUGO=hugo           Hugo binary (installed with apt-get when missing)
#
# Needs bash, python3, GNU time (/usr/bin/time, package "time"); hyperfine is
# not used. Temporary corpora and outputs live in one temp dir removed on exit.
set -euo pipefail

POSTS=${POSTS:-"1000 10000"}
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
  echo "- runs: $RUNS per tool and size, interleaved, warm-up $WARMUP, medians shown"
  echo
}

make_corpora() {
  local n=$1
  python3 "$CORPUS_SCRIPT" --posts "$n" --seed 1 --out "$WORK/plain-$n" --flavor plain
  python3 "$CORPUS_SCRIPT" --posts "$n" --seed 1 --out "$WORK/hugo-$n" --flavor hugo
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
  set_aside "$out" "$WORK/.out-fanzine.spare" "$WORK/plain-$n/.fanzine-cache"
  "${2:-timed}" fanzine "$n" "$FANZINE_BIN" build --root "$WORK/plain-$n" --output-dir "$out"
}

# A second build with nothing changed, right after a clean one: the Markdown
# comes from the cache, and the spare output folder is made from the clean
# build's with hard links, so no page is written (folders still are).
fanzine_cached() {
  local n=$1 out=$WORK/out-fanzine
  "${2:-timed}" "fanzine (cached)" "$n" "$FANZINE_BIN" build --root "$WORK/plain-$n" --output-dir "$out"
}

hugo_clean() {
  local n=$1 out=$WORK/out-hugo
  set_aside "$out" "$WORK/hugo-$n/resources" "$HUGO_CACHEDIR"
  "${2:-timed}" hugo "$n" "$HUGO" --source "$WORK/hugo-$n" --destination "$out" --quiet
}

# untimed LABEL N CMD...: same call shape as timed, result discarded.
untimed() {
  shift 2
  "$@" >/dev/null 2>&1 || die "warm-up failed: $*"
}

bench_size() {
  local n=$1 i
  log "corpus: $n posts"
  make_corpora "$n" 2>&1 | sed 's/^/  /' >&2
  for ((i = 0; i < WARMUP; i++)); do
    fanzine_clean "$n" untimed
    hugo_clean "$n" untimed
  done
  for ((i = 1; i <= RUNS; i++)); do
    log "  run $i/$RUNS"
    fanzine_clean "$n"
    if [[ $CACHED == 1 ]]; then
      fanzine_cached "$n"
    fi
    hugo_clean "$n"
  done
  set_aside "$WORK/plain-$n" "$WORK/hugo-$n" "$WORK/out-fanzine" "$WORK/out-hugo"
}

# print_table: medians per (posts, tool) from the results file, as Markdown.
# Ratios compare each fanzine row with Hugo at the same size (< 1: fanzine
# is faster / smaller).
print_table() {
  echo "| posts | tool | median wall s | median CPU s | median peak MiB | wall fanzine/hugo | memory fanzine/hugo |"
  echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: |"
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
        key = order[j]; split(key, part, SUBSEP); hugo = part[1] SUBSEP "hugo"
        rw = rm = "—"
        if (part[2] != "hugo" && (hugo in mw)) {
          rw = mw[hugo] > 0 ? sprintf("%.2f", mw[key] / mw[hugo]) : "n/a"
          rm = mm[hugo] > 0 ? sprintf("%.2f", mm[key] / mm[hugo]) : "n/a"
        }
        printf "| %s | %s | %.2f | %.2f | %.1f | %s | %s |\n", part[1], part[2], mw[key], mc[key], mm[key], rw, rm
      }
    }' "$RESULTS"
}

main() {
  [[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer, got '$RUNS'"
  [[ $WARMUP =~ ^[0-9]+$ ]] || die "WARMUP must be a non-negative integer, got '$WARMUP'"
  ROOT=$(repo_root) || die "run from inside the fanzine repository"
  CORPUS_SCRIPT=${CORPUS_SCRIPT:-$ROOT/../shared/bench/make-corpus.py}
  ensure_tools
  ensure_fanzine

  WORK=$(mktemp -d "${TMPDIR:-/tmp}/fanzine-peers.XXXXXX")
  trap 'rm -rf "$WORK"' EXIT
  RESULTS=$WORK/results.tsv
  : >"$RESULTS"
  # Keep Hugo's cache inside the temp dir so clean builds are really clean.
  export HUGO_CACHEDIR=$WORK/hugo-cache

  local n
  for n in $POSTS; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || die "POSTS entries must be positive integers, got '$n'"
    bench_size "$n"
  done

  print_machine
  print_table
}

main "$@"
