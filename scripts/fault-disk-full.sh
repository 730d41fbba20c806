#!/usr/bin/env bash
# A disk that fills up mid-build must end in a clear error with the published site intact.
# Needs root (it mounts a 300 KiB tmpfs), so it is a script to run by hand rather than part of scripts/test.
# Usage: sudo scripts/fault-disk-full.sh [path/to/fanzine]
set -euo pipefail
cd "$(dirname "$0")/.."
fanzine=${1:-target/release/fanzine}
[ -x "$fanzine" ] || cargo build --release
work=$(mktemp -d)
mnt="$work/disk"
mkdir -p "$mnt" "$work/small/content"
trap 'umount "$mnt" 2>/dev/null || true; rm -rf "$work"' EXIT
mount -t tmpfs -o size=300k tmpfs "$mnt"

printf '+++\ntitle = "Small"\ndate = 2020-01-01\n+++\n\nFits.\n' > "$work/small/content/small.md"
"$fanzine" build --root "$work/small" --output-dir "$mnt/public"
before=$(cd "$mnt/public" && find . -type f -exec sha256sum {} + | sort)

for i in $(seq 1 200); do
  printf '+++\ntitle = "Post %s"\ndate = 2020-01-01\n+++\n\n%s\n' "$i" "$(head -c 4000 /dev/zero | tr '\0' 'x')" \
    > "$work/small/content/post-$i.md"
done
set +e
"$fanzine" build --root "$work/small" --output-dir "$mnt/public" 2> "$work/stderr"
code=$?
set -e
after=$(cd "$mnt/public" && find . -type f -exec sha256sum {} + | sort)
cat "$work/stderr"
[ "$code" -eq 3 ] || { echo "FAIL: exit code $code, expected 3"; exit 1; }
grep -q "No space left on device" "$work/stderr" || { echo "FAIL: the error does not say the disk is full"; exit 1; }
[ "$before" = "$after" ] || { echo "FAIL: public/ changed"; exit 1; }
for entry in "$mnt"/.* "$mnt"/*; do
  case "${entry##*/}" in .|..|public|.public.lock) ;; *) echo "FAIL: leftover $entry"; exit 1 ;; esac
done
echo "OK: disk full gave exit 3, a clear message, and public/ byte-identical"
