#!/usr/bin/env bash
# Runs one cargo-fuzz target for a while, starting from the repository's own inputs: the bundled posts, the
# bad-input fixtures and the claim scenarios, plus what earlier runs kept in fuzz/seeds/<target>.
# New inputs go to fuzz/corpus/<target> (not committed); crashes to fuzz/artifacts/<target>.
# Usage: fuzz/run.sh front_matter|markdown|scenario [SECONDS=480]
# Needs cargo-fuzz (cargo install cargo-fuzz) and a C++ compiler; RUSTC_BOOTSTRAP=1 lets it use stable Rust.
set -euo pipefail
cd "$(dirname "$0")/.."
target=$1 seconds=${2:-480}
case $target in
  front_matter) seeds=(content tests/fixtures/errors) max_len=65536 ;;
  markdown) seeds=(content tests/fixtures/errors tests/fixtures/features) max_len=32768 ;;
  scenario) seeds=(tests/fixtures/claims) max_len=16384 ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac
mkdir -p "fuzz/corpus/$target" "fuzz/seeds/$target"
# -timeout: an input that takes 10 s is a hang and is reported like a crash. -max_len matches the target's own
# cap, so libFuzzer does not waste runs on inputs the target throws away.
RUSTC_BOOTSTRAP=1 exec cargo fuzz run "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" "${seeds[@]}" -- \
  -max_total_time="$seconds" -timeout=10 -max_len="$max_len" -rss_limit_mb=2048 -print_final_stats=1
